package io.ferrite.server.family;

import io.ferrite.server.command.CommandSpec;
import io.ferrite.server.protocol.RespValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the key arguments of a command from its Redis 7 key specs (COMMAND INFO's 9th field):
 * begin_search "index" with find_keys "range" covers every command Ferrite has; other kinds
 * fall back to the legacy first/last/step positions.
 */
final class KeySpecs {
    /** A key at argument {@code position} (0 = the command name) with its key-spec flags. */
    record Key(int position, List<String> flags) {}

    private KeySpecs() {}

    static int count(CommandSpec spec) {
        return specs(spec).size();
    }

    /** The keys of the command line {@code args} (args.get(0) is the command name). */
    static List<Key> keys(CommandSpec spec, List<String> args) {
        int argc = args.size();
        List<Key> keys = new ArrayList<>();
        for (RespValue.MapReply keySpec : specs(spec)) {
            List<String> flags = new ArrayList<>();
            for (RespValue flag : RespValue.elements(field(keySpec, "flags"))) {
                flags.add(RespValue.text(flag));
            }
            if (flags.contains("variable_flags")) {
                flags = variableFlags(spec.fullName(), args, flags);
            }
            RespValue.MapReply begin = (RespValue.MapReply) field(keySpec, "begin_search");
            RespValue.MapReply find = (RespValue.MapReply) field(keySpec, "find_keys");
            if (!RespValue.text(field(begin, "type")).equals("index") || !RespValue.text(field(find, "type")).equals("range")) {
                legacy(spec, argc, flags, keys);
                continue;
            }
            int start = (int) RespValue.integer(field((RespValue.MapReply) field(begin, "spec"), "index"));
            RespValue.MapReply range = (RespValue.MapReply) field(find, "spec");
            long lastKey = RespValue.integer(field(range, "lastkey"));
            int step = (int) Math.max(1, RespValue.integer(field(range, "keystep")));
            long last = lastKey >= 0 ? start + lastKey : argc + lastKey;
            for (long i = start; i <= last && i < argc; i += step) {
                keys.add(new Key((int) i, flags));
            }
        }
        return keys;
    }

    /**
     * The flags of commands whose key access depends on their arguments, as Redis's own
     * getkeys procedures decide them (SET with or without GET, BITFIELD with or without writes).
     */
    private static List<String> variableFlags(String command, List<String> args, List<String> declared) {
        boolean writesOrReads = switch (command) {
            case "set" -> args.stream().skip(3).anyMatch(a -> a.equalsIgnoreCase("get"));
            case "bitfield" -> args.stream().skip(2).anyMatch(a -> a.equalsIgnoreCase("set") || a.equalsIgnoreCase("incrby"));
            default -> true;
        };
        return switch (command) {
            case "set" -> writesOrReads ? List.of("RW", "access", "update") : List.of("OW", "update");
            case "bitfield" -> writesOrReads ? List.of("RW", "access", "update") : List.of("RO", "access");
            default -> declared.stream().filter(f -> !f.equals("variable_flags")).toList();
        };
    }

    private static void legacy(CommandSpec spec, int argc, List<String> flags, List<Key> keys) {
        int last = spec.lastKey() < 0 ? argc + spec.lastKey() : spec.lastKey();
        for (int i = spec.firstKey(); i > 0 && i <= last && i < argc; i += Math.max(1, spec.step())) {
            keys.add(new Key(i, flags));
        }
    }

    private static List<RespValue.MapReply> specs(CommandSpec spec) {
        List<RespValue.MapReply> specs = new ArrayList<>();
        List<RespValue> fields = ((RespValue.ArrayReply) spec.info()).elements();
        for (RespValue value : RespValue.elements(fields.get(8))) {
            specs.add((RespValue.MapReply) value);
        }
        return specs;
    }

    private static RespValue field(RespValue.MapReply map, String name) {
        for (RespValue.MapReply.Entry entry : map.entries()) {
            if (RespValue.text(entry.key()).equals(name)) {
                return entry.value();
            }
        }
        throw new IllegalArgumentException("key spec without " + name);
    }



}
