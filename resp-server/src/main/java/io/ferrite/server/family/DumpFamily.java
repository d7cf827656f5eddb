package io.ferrite.server.family;

import io.ferrite.server.command.CommandTable;

/** DUMP and RESTORE (being written). */
public final class DumpFamily {
    private DumpFamily() {}

    public static void register(CommandTable table) {
        table.register("dump", ctx -> ctx.error("ERR DUMP is being implemented"))
                .register("restore", ctx -> ctx.error("ERR RESTORE is being implemented"));
    }
}
