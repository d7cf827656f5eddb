package io.ferrite.server.command;

import io.ferrite.server.protocol.RespValue;
import io.ferrite.server.stats.CommandStats;
import java.util.Map;
import java.util.Set;

/**
 * One command (or subcommand) as Redis 7 describes it in COMMAND INFO and COMMAND DOCS, with
 * the handler that implements it.
 *
 * @param name        lower-case name ("get", or "setname" for a subcommand)
 * @param fullName    the name Redis uses in errors and stats ("get", "client|setname")
 * @param arity       Redis arity: N exact argument count, -N at least N (the name counts)
 * @param flags       Redis command flags ("write", "readonly", "denyoom", "no_auth", ...)
 * @param firstKey    position of the first key argument, 0 when none
 * @param lastKey     position of the last key, negative counts from the end
 * @param step        distance between keys
 * @param info        this command's COMMAND INFO entry
 * @param docs        this command's COMMAND DOCS entry (a map)
 * @param handler     the implementation; null for containers (dispatch goes to a subcommand)
 * @param subcommands subcommands by lower-case name; empty for plain commands
 * @param stats       this command's counters for INFO commandstats
 * @param write       the "write" flag, precomputed: dispatch checks it on every command
 * @param denyOom     the "denyoom" flag, precomputed
 * @param noAuth      the "no_auth" flag, precomputed
 */
public record CommandSpec(String name, String fullName, int arity, Set<String> flags, int firstKey, int lastKey,
                          int step, RespValue info, RespValue docs, CommandHandler handler,
                          Map<String, CommandSpec> subcommands, CommandStats.Entry stats,
                          boolean write, boolean denyOom, boolean noAuth) {

    /** What a RESP2 connection may still run while it is subscribed (Redis's processCommand). */
    private static final Set<String> SUBSCRIBER_COMMANDS = Set.of("ping", "subscribe", "ssubscribe", "unsubscribe",
            "sunsubscribe", "psubscribe", "punsubscribe", "quit", "reset");

    /** True for the commands a RESP2 connection in subscriber mode may run. */
    public boolean allowedWhileSubscribed() {
        return SUBSCRIBER_COMMANDS.contains(fullName);
    }

    public boolean isContainer() {
        return !subcommands.isEmpty();
    }

    public boolean hasFlag(String flag) {
        return flags.contains(flag);
    }

    /** True when {@code argc} arguments (name included) satisfy the arity. */
    public boolean arityAccepts(int argc) {
        return arity >= 0 ? argc == arity : argc >= -arity;
    }
}
