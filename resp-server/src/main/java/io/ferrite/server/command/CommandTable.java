package io.ferrite.server.command;

import io.ferrite.server.protocol.RespRequest;
import io.ferrite.server.protocol.RespValue;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Every command the server knows, with the metadata Redis 7 publishes for it (loaded from
 * {@code redis-commands.resp}, captured from a real redis-server) and the handler that
 * implements it. Looking a command up from a request is allocation-free: names are matched
 * case-insensitively against an open-addressing table of their bytes.
 */
public final class CommandTable {
    private static final String RESOURCE = "redis-commands.resp";

    private final Map<String, CommandSpec> byName = new LinkedHashMap<>();
    private final Map<String, CommandHandler> handlers = new LinkedHashMap<>();
    private byte[][] slotNames;
    private CommandSpec[] slotSpecs;
    private int mask;

    private CommandTable() {}

    /** Loads Redis's metadata; handlers are added with {@link #register} before {@link #seal}. */
    public static CommandTable load() {
        CommandTable table = new CommandTable();
        try (InputStream in = CommandTable.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            RespResourceParser parser = new RespResourceParser(in.readAllBytes());
            while (parser.hasMore()) {
                List<RespValue> entry = ((RespValue.ArrayReply) parser.next()).elements();
                table.addRaw((RespValue.ArrayReply) entry.get(1), (RespValue.MapReply) entry.get(2));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        table.addRaw(CommandMetadata.clientSetInfoInfo(), CommandMetadata.clientSetInfoDocs());
        table.addRaw(CommandMetadata.ferriteCompactInfo(), CommandMetadata.ferriteCompactDocs());
        table.addRaw(CommandMetadata.delexInfo(), CommandMetadata.delexDocs());
        return table;
    }

    private final Map<String, RespValue.ArrayReply> rawInfo = new LinkedHashMap<>();
    private final Map<String, RespValue.MapReply> rawDocs = new LinkedHashMap<>();

    private void addRaw(RespValue.ArrayReply info, RespValue.MapReply docs) {
        String name = RespValue.text(info.elements().get(0));
        if (name.contains("|")) {
            // A subcommand supplied on its own: merge it into its container's entries.
            String container = name.substring(0, name.indexOf('|'));
            RespValue.ArrayReply parent = rawInfo.get(container);
            List<RespValue> fields = new ArrayList<>(parent.elements());
            List<RespValue> subs = new ArrayList<>(((RespValue.ArrayReply) fields.get(9)).elements());
            subs.add(info);
            fields.set(9, new RespValue.ArrayReply(subs));
            rawInfo.put(container, new RespValue.ArrayReply(fields));
            RespValue.MapReply parentDocs = rawDocs.get(container);
            List<RespValue.MapReply.Entry> entries = new ArrayList<>(parentDocs.entries());
            for (int i = 0; i < entries.size(); i++) {
                if (RespValue.text(entries.get(i).key()).equals("subcommands")) {
                    List<RespValue.MapReply.Entry> subDocs = new ArrayList<>(((RespValue.MapReply) entries.get(i).value()).entries());
                    subDocs.add(new RespValue.MapReply.Entry(RespValue.BulkString.of(name), docs));
                    entries.set(i, new RespValue.MapReply.Entry(entries.get(i).key(), new RespValue.MapReply(subDocs)));
                }
            }
            rawDocs.put(container, new RespValue.MapReply(entries));
            return;
        }
        rawInfo.put(name, info);
        rawDocs.put(name, docs);
    }

    /** Attaches the implementation of {@code fullName} ("get", "client|setname"). */
    public CommandTable register(String fullName, CommandHandler handler) {
        if (handlers.put(fullName.toLowerCase(Locale.ROOT), handler) != null) {
            throw new IllegalStateException("two handlers for " + fullName);
        }
        return this;
    }

    /**
     * Builds the specs and the lookup table. Fails when a listed command has no handler or a
     * handler has no metadata, so the table never advertises what the server cannot do.
     */
    public CommandTable seal() {
        Set<String> unused = new LinkedHashSet<>(handlers.keySet());
        for (Map.Entry<String, RespValue.ArrayReply> e : rawInfo.entrySet()) {
            CommandSpec spec = build(e.getValue(), rawDocs.get(e.getKey()), unused);
            byName.put(spec.name(), spec);
        }
        if (!unused.isEmpty()) {
            throw new IllegalStateException("handlers without command metadata: " + unused);
        }
        int capacity = Integer.highestOneBit(byName.size() * 4);
        slotNames = new byte[capacity][];
        slotSpecs = new CommandSpec[capacity];
        mask = capacity - 1;
        for (CommandSpec spec : byName.values()) {
            byte[] name = spec.name().getBytes(StandardCharsets.US_ASCII);
            int slot = hash(name, 0, name.length) & mask;
            while (slotNames[slot] != null) {
                slot = (slot + 1) & mask;
            }
            slotNames[slot] = name;
            slotSpecs[slot] = spec;
        }
        return this;
    }

    private CommandSpec build(RespValue.ArrayReply info, RespValue.MapReply docs, Set<String> unused) {
        List<RespValue> f = info.elements();
        String fullName = RespValue.text(f.get(0));
        String name = fullName.contains("|") ? fullName.substring(fullName.indexOf('|') + 1) : fullName;
        Set<String> flags = new LinkedHashSet<>();
        for (RespValue flag : RespValue.elements(f.get(2))) {
            flags.add(RespValue.text(flag));
        }
        Map<String, CommandSpec> subs = new LinkedHashMap<>();
        Map<String, RespValue> subDocs = new LinkedHashMap<>();
        for (RespValue.MapReply.Entry entry : docs.entries()) {
            if (RespValue.text(entry.key()).equals("subcommands")) {
                for (RespValue.MapReply.Entry sub : ((RespValue.MapReply) entry.value()).entries()) {
                    subDocs.put(RespValue.text(sub.key()), sub.value());
                }
            }
        }
        for (RespValue sub : RespValue.elements(f.get(9))) {
            RespValue.ArrayReply subInfo = (RespValue.ArrayReply) sub;
            String subName = RespValue.text(subInfo.elements().get(0));
            CommandSpec spec = build(subInfo, (RespValue.MapReply) subDocs.get(subName), unused);
            subs.put(spec.name(), spec);
        }
        CommandHandler handler = handlers.get(fullName);
        if (handler == null && subs.isEmpty()) {
            throw new IllegalStateException("no handler registered for " + fullName);
        }
        unused.remove(fullName);
        return new CommandSpec(name, fullName, (int) RespValue.integer(f.get(1)), Collections.unmodifiableSet(flags),
                (int) RespValue.integer(f.get(3)), (int) RespValue.integer(f.get(4)), (int) RespValue.integer(f.get(5)), info, docs, handler,
                Collections.unmodifiableMap(subs), new io.ferrite.server.stats.CommandStats.Entry(),
                flags.contains("write"), flags.contains("denyoom"), flags.contains("no_auth"));
    }

    /** The command named by argument {@code i} of {@code request}, or null. */
    public CommandSpec lookup(RespRequest request, int i) {
        ByteBuf buf = request.buffer();
        int offset = request.argOffset(i);
        int length = request.argLength(i);
        int h = 0x811C9DC5;
        for (int k = 0; k < length; k++) {
            h = (h ^ lower(buf.getByte(offset + k))) * 0x01000193;
        }
        for (int slot = h & mask; slotNames[slot] != null; slot = (slot + 1) & mask) {
            byte[] name = slotNames[slot];
            if (name.length == length && equalsLower(buf, offset, name)) {
                return slotSpecs[slot];
            }
        }
        return null;
    }

    /** The top-level command {@code name} (any case), or null. */
    public CommandSpec lookup(String name) {
        return byName.get(name.toLowerCase(Locale.ROOT));
    }

    public Collection<CommandSpec> commands() {
        return byName.values();
    }

    /** Top-level commands plus their subcommands (what COMMAND COUNT counts in Redis 7). */
    public int size() {
        return byName.size();
    }

    private static boolean equalsLower(ByteBuf buf, int offset, byte[] name) {
        for (int k = 0; k < name.length; k++) {
            if (lower(buf.getByte(offset + k)) != name[k]) {
                return false;
            }
        }
        return true;
    }

    private static int lower(byte b) {
        return b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
    }

    private static int hash(byte[] bytes, int offset, int length) {
        int h = 0x811C9DC5;
        for (int k = 0; k < length; k++) {
            h = (h ^ lower(bytes[offset + k])) * 0x01000193;
        }
        return h;
    }



}
