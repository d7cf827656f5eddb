package io.ferrite.server.command;

/**
 * Executes one command: reads its arguments from {@link CommandContext#request()} and writes
 * exactly one reply to {@link CommandContext#out()}. Arity has been checked already.
 */
@FunctionalInterface
public interface CommandHandler {
    void execute(CommandContext ctx);
}
