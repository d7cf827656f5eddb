package io.ferrite.server.family;

import io.ferrite.server.protocol.RespWriter;

/** Writes a HELP reply the way Redis does: a header line, the lines, and the HELP line. */
final class Help {
    private Help() {}

    static void write(RespWriter out, String command, String... lines) {
        out.arrayHeader(lines.length + 3);
        out.simpleString(command + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        for (String line : lines) {
            out.simpleString(line);
        }
        out.simpleString("HELP");
        out.simpleString("    Prints this help."); // Redis 7.0's wording
    }
}
