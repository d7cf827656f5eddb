package io.ferrite.server.family;

import io.ferrite.core.api.ValueExport;
import io.ferrite.core.api.ValueType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Redis's DEBUG DIGEST and DIGEST-VALUE, computed as its debug.c does: SHA-1 mixes of the type,
 * the value's strings (a set's members xored together, a hash's field-value pairs and a sorted
 * set's member-score pairs xored together, so their order does not matter; a list's elements
 * mixed in order) and an expiry marker, so two keys holding
 * equal values have equal digests, whatever their encodings.
 */
final class ValueDigest implements ValueExport {
    /** Redis's object type codes (server.h). */
    private static final int OBJ_STRING = 0;
    private static final int OBJ_LIST = 1;
    private static final int OBJ_SET = 2;
    private static final int OBJ_ZSET = 3;
    private static final int OBJ_HASH = 4;
    private static final byte[] EXPIRE_MARK = "!!expire!!".getBytes(StandardCharsets.US_ASCII);

    private final MessageDigest sha1;
    private final byte[] digest = new byte[20];
    private final byte[] element = new byte[20];
    /** True while the value being digested is a list. */
    private boolean ordered;

    ValueDigest() {
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-1", e);
        }
    }

    /** The digest of a key's value (zero before any value is given), for one key at a time. */
    byte[] digest() {
        return digest;
    }

    void reset() {
        java.util.Arrays.fill(digest, (byte) 0);
    }

    /** Adds the expiry marker when the key has a TTL (Redis mixes the marker, not the time). */
    void expires() {
        xor(digest, EXPIRE_MARK, 0, EXPIRE_MARK.length);
    }

    /** Mixes a key's name into the digest, before its value (DEBUG DIGEST). */
    void mixKey(byte[] key) {
        mix(digest, key, 0, key.length);
    }

    /** Adds this key's digest to a dataset digest: {@code total ^= SHA1(digest)}. */
    void xorInto(byte[] total) {
        xor(total, digest, 0, 20);
    }

    /** Redis's mixDigest: {@code into = SHA1(into ^ SHA1(bytes))}. */
    void mix(byte[] into, byte[] bytes, int offset, int length) {
        xor(into, bytes, offset, length);
        sha1.update(into, 0, 20);
        finish(into);
    }

    private void xor(byte[] into, byte[] bytes, int offset, int length) {
        sha1.update(bytes, offset, length);
        byte[] hash = sha1.digest();
        for (int i = 0; i < 20; i++) {
            into[i] ^= hash[i];
        }
    }

    private void finish(byte[] into) {
        System.arraycopy(sha1.digest(), 0, into, 0, 20);
    }

    private static byte[] bytes(MemorySegment s, long offset, long length) {
        return s.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
    }

    private void type(int code) {
        byte[] aux = {(byte) (code >>> 24), (byte) (code >>> 16), (byte) (code >>> 8), (byte) code};
        mix(digest, aux, 0, 4);
    }

    @Override
    public void string(MemorySegment source, long offset, long length) {
        type(OBJ_STRING);
        byte[] value = bytes(source, offset, length);
        mix(digest, value, 0, value.length);
    }

    @Override
    public void collection(ValueType type, String encoding, long count, int intsetWidth) {
        ordered = type == ValueType.LIST;
        type(switch (type) {
            case HASH -> OBJ_HASH;
            case LIST -> OBJ_LIST;
            case ZSET -> OBJ_ZSET;
            default -> OBJ_SET;
        });
    }

    @Override
    public void member(MemorySegment source, long offset, long length) {
        byte[] member = bytes(source, offset, length);
        if (ordered) {
            mix(digest, member, 0, member.length); // a list's digest depends on its order
        } else {
            xor(digest, member, 0, member.length);
        }
    }

    @Override
    public void entry(MemorySegment field, long fieldOffset, long fieldLength, MemorySegment value, long valueOffset, long valueLength) {
        java.util.Arrays.fill(element, (byte) 0);
        byte[] f = bytes(field, fieldOffset, fieldLength);
        mix(element, f, 0, f.length);
        byte[] v = bytes(value, valueOffset, valueLength);
        mix(element, v, 0, v.length);
        xor(digest, element, 0, 20);
    }

    static String hex(byte[] digest) {
        StringBuilder out = new StringBuilder(40);
        for (byte b : digest) {
            out.append(Character.forDigit((b >>> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return out.toString();
    }
}
