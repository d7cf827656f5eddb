package io.ferrite.server.pubsub;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A channel or pattern name: binary-safe bytes with content equality, usable as a map key. */
public final class ChannelName {
    private final byte[] bytes;
    private final int hash;

    private ChannelName(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /** Wraps {@code bytes}, which the caller must not change afterwards. */
    public static ChannelName of(byte[] bytes) {
        return new ChannelName(bytes);
    }

    public static ChannelName of(String text) {
        return new ChannelName(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The name's bytes; not to be modified. */
    public byte[] bytes() {
        return bytes;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ChannelName name && name.hash == hash && Arrays.equals(name.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
