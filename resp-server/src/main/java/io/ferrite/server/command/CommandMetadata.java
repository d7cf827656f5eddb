package io.ferrite.server.command;

import io.ferrite.server.protocol.RespValue;
import io.ferrite.server.protocol.RespValue.ArrayReply;
import io.ferrite.server.protocol.RespValue.BulkString;
import io.ferrite.server.protocol.RespValue.IntegerReply;
import io.ferrite.server.protocol.RespValue.MapReply;
import io.ferrite.server.protocol.RespValue.SetReply;
import io.ferrite.server.protocol.RespValue.SimpleString;
import java.util.List;

/**
 * Metadata for commands newer than the Redis 7.0 the table was captured from, written the
 * way Redis 7.2 publishes it.
 */
final class CommandMetadata {
    private CommandMetadata() {}

    /** COMMAND INFO entry of CLIENT SETINFO (Redis 7.2). */
    static ArrayReply clientSetInfoInfo() {
        return new ArrayReply(List.of(
                BulkString.of("client|setinfo"), new IntegerReply(4),
                new SetReply(List.of(new SimpleString("noscript"), new SimpleString("loading"), new SimpleString("stale"))),
                new IntegerReply(0), new IntegerReply(0), new IntegerReply(0),
                new SetReply(List.of(new SimpleString("@slow"), new SimpleString("@connection"))),
                new SetReply(List.of(new SimpleString("request_policy:all_nodes"), new SimpleString("response_policy:all_succeeded"))),
                new ArrayReply(List.of()), new ArrayReply(List.of())));
    }

    /** COMMAND DOCS entry of CLIENT SETINFO (Redis 7.2). */
    static MapReply clientSetInfoDocs() {
        RespValue libName = argument("libname", "string", "LIB-NAME");
        RespValue libVer = argument("libver", "string", "LIB-VER");
        RespValue attr = new MapReply(List.of(
                entry("name", "attr"), entry("type", "oneof"),
                new MapReply.Entry(BulkString.of("arguments"), new ArrayReply(List.of(libName, libVer)))));
        return new MapReply(List.of(
                entry("summary", "Sets information specific to the client or connection."),
                entry("since", "7.2.0"),
                entry("group", "connection"),
                entry("complexity", "O(1)"),
                new MapReply.Entry(BulkString.of("arguments"), new ArrayReply(List.of(attr)))));
    }

    /** COMMAND INFO entry of FERRITE.COMPACT (Ferrite's own). */
    static ArrayReply ferriteCompactInfo() {
        return new ArrayReply(List.of(
                BulkString.of("ferrite.compact"), new IntegerReply(1),
                new SetReply(List.of(new SimpleString("admin"), new SimpleString("noscript"))),
                new IntegerReply(0), new IntegerReply(0), new IntegerReply(0),
                new SetReply(List.of(new SimpleString("@admin"), new SimpleString("@slow"), new SimpleString("@dangerous"))),
                new ArrayReply(List.of()), new ArrayReply(List.of()), new ArrayReply(List.of())));
    }

    /** COMMAND DOCS entry of FERRITE.COMPACT. */
    static MapReply ferriteCompactDocs() {
        return new MapReply(List.of(
                entry("summary", "Reclaims the log space of overwritten, deleted and expired keys, on disk and in memory, in the background."),
                entry("since", "0.1.0"),
                entry("group", "server"),
                entry("complexity", "O(N) where N is the size of the log")));
    }

    /** COMMAND INFO entry of DELEX (Redis 8.4). */
    static ArrayReply delexInfo() {
        RespValue keySpec = new MapReply(List.of(
                new MapReply.Entry(BulkString.of("flags"), new SetReply(List.of(new SimpleString("RW"), new SimpleString("delete")))),
                new MapReply.Entry(BulkString.of("begin_search"), new MapReply(List.of(
                        entry("type", "index"),
                        new MapReply.Entry(BulkString.of("spec"), new MapReply(List.of(
                                new MapReply.Entry(BulkString.of("index"), new IntegerReply(1)))))))),
                new MapReply.Entry(BulkString.of("find_keys"), new MapReply(List.of(
                        entry("type", "range"),
                        new MapReply.Entry(BulkString.of("spec"), new MapReply(List.of(
                                new MapReply.Entry(BulkString.of("lastkey"), new IntegerReply(0)),
                                new MapReply.Entry(BulkString.of("keystep"), new IntegerReply(1)),
                                new MapReply.Entry(BulkString.of("limit"), new IntegerReply(0))))))))));
        return new ArrayReply(List.of(
                BulkString.of("delex"), new IntegerReply(-2),
                new SetReply(List.of(new SimpleString("write"), new SimpleString("fast"))),
                new IntegerReply(1), new IntegerReply(1), new IntegerReply(1),
                new SetReply(List.of(new SimpleString("@write"), new SimpleString("@string"), new SimpleString("@fast"))),
                new ArrayReply(List.of()), new ArrayReply(List.of(keySpec)), new ArrayReply(List.of())));
    }

    /** COMMAND DOCS entry of DELEX (Redis 8.4; Ferrite compares values, not digests). */
    static MapReply delexDocs() {
        RespValue key = new MapReply(List.of(entry("name", "key"), entry("type", "key"),
                new MapReply.Entry(BulkString.of("key_spec_index"), new IntegerReply(0))));
        RespValue condition = new MapReply(List.of(
                entry("name", "condition"), entry("type", "oneof"),
                new MapReply.Entry(BulkString.of("flags"), new SetReply(List.of(new SimpleString("optional")))),
                new MapReply.Entry(BulkString.of("arguments"), new ArrayReply(List.of(
                        argument("ifeq-value", "string", "IFEQ"), argument("ifne-value", "string", "IFNE"))))));
        return new MapReply(List.of(
                entry("summary", "Conditionally removes the specified key based on value comparison."),
                entry("since", "8.4.0"),
                entry("group", "string"),
                entry("complexity", "O(1)"),
                new MapReply.Entry(BulkString.of("arguments"), new ArrayReply(List.of(key, condition)))));
    }

    private static RespValue argument(String name, String type, String token) {
        return new MapReply(List.of(entry("name", name), entry("type", type), entry("token", token)));
    }

    private static MapReply.Entry entry(String key, String value) {
        return new MapReply.Entry(BulkString.of(key), BulkString.of(value));
    }
}
