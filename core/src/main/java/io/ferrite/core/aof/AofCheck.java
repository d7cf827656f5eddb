package io.ferrite.core.aof;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code ./ferrite check-aof [--fix] DIR|MANIFEST|FILE}: checks append-only files as
 * {@code redis-check-aof} does and, with {@code --fix}, truncates the last file after its last
 * valid command, as {@code redis-check-aof --fix} does (a crash mid-write leaves a cut-off
 * command there; what is dropped is printed). Damage in an earlier file (the base, an older
 * incremental file) is reported and not fixed: dropping its tail would drop later files' base.
 */
public final class AofCheck {
    private AofCheck() {}

    /** Checks a base file in RDB form (written with {@code aof-use-rdb-preamble yes}); the engine knows no RDB. */
    @FunctionalInterface
    public interface RdbCheck {
        /** Reads the whole file; returns its number of keys, or throws naming what is wrong. */
        long check(Path file) throws Exception;
    }

    private static final RdbCheck NO_RDB = file -> {
        throw new IllegalStateException("an RDB file, which this checker cannot read (use ./ferrite check-aof)");
    };

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    /** Runs the check; returns the exit status (0: valid or fixed, 1: damaged, 2: usage). */
    public static int run(String[] args, PrintStream out) {
        return run(args, out, NO_RDB);
    }

    /** As {@link #run(String[], PrintStream)}, with {@code rdb} checking base files in RDB form. */
    public static int run(String[] args, PrintStream out, RdbCheck rdb) {
        boolean fix = false;
        Path target = null;
        for (String arg : args) {
            if (arg.equals("--fix")) {
                fix = true;
            } else if (target == null) {
                target = Path.of(arg);
            } else {
                target = null;
                break;
            }
        }
        if (target == null) {
            out.println("Usage: ./ferrite check-aof [--fix] <dir|file.manifest|file.aof>");
            return 2;
        }
        try {
            List<Path> files = filesOf(target, out);
            if (files == null) {
                return 1;
            }
            for (int i = 0; i < files.size(); i++) {
                Path file = files.get(i);
                if (AofReader.isRdb(file)) {
                    try {
                        long keys = rdb.check(file);
                        out.printf("RDB file %s is valid (%d keys)%n", file.getFileName(), keys);
                        continue;
                    } catch (Exception e) {
                        out.printf("RDB file %s is not valid: %s%n", file.getFileName(), e.getMessage());
                        out.println(i == files.size() - 1 ? "Not fixed: an RDB file cannot be truncated; restore it from a backup."
                                : "Not fixed: only the last file of the AOF can be truncated; restore this one from a backup.");
                        return 1;
                    }
                }
                AofReader.Outcome outcome = AofReader.check(file);
                out.printf("AOF analyzed: filename=%s, size=%d, ok_up_to=%d, diff=%d%n", file.getFileName(), outcome.size(),
                        outcome.validUpTo(), outcome.size() - outcome.validUpTo());
                if (outcome.clean()) {
                    out.printf("AOF %s is valid (%d commands)%n", file.getFileName(), outcome.commands());
                    continue;
                }
                out.printf("AOF %s is not valid at offset %d: %s%n", file.getFileName(), outcome.validUpTo(), outcome.problem());
                boolean last = i == files.size() - 1;
                if (!fix) {
                    out.println(last ? "Run again with --fix to truncate it after its last complete command." : "");
                    return 1;
                }
                if (!last) {
                    out.println("Not fixed: only the last file of the AOF can be truncated; restore this one from a backup.");
                    return 1;
                }
                AofDirectory.truncate(file, outcome.validUpTo());
                out.printf("Successfully truncated AOF %s to %d bytes (%d commands kept, %d bytes dropped)%n", file.getFileName(),
                        outcome.validUpTo(), outcome.commands(), outcome.size() - outcome.validUpTo());
            }
            out.println("All AOF files and manifest are valid");
            return 0;
        } catch (Exception e) {
            out.println("Cannot check " + target + ": " + e.getMessage());
            return 1;
        }
    }

    /** The files {@code target} names: a directory's or a manifest's files in replay order, or one file. */
    private static List<Path> filesOf(Path target, PrintStream out) throws Exception {
        Path manifest = null;
        if (Files.isDirectory(target)) {
            try (var entries = Files.list(target)) {
                manifest = entries.filter(p -> p.getFileName().toString().endsWith(".manifest")).findFirst().orElse(null);
            }
            if (manifest == null) {
                Path inner = target.resolve("appendonlydir");
                return Files.isDirectory(inner) ? filesOf(inner, out) : missing(target, out);
            }
        } else if (target.getFileName().toString().endsWith(".manifest")) {
            manifest = target;
        }
        if (manifest == null) {
            return Files.exists(target) ? List.of(target) : missing(target, out);
        }
        AofManifest parsed = AofManifest.read(manifest);
        Path dir = manifest.toAbsolutePath().getParent();
        List<Path> files = parsed.replayOrder().stream().map(e -> dir.resolve(e.name())).toList();
        for (Path file : files) {
            if (!Files.exists(file)) {
                out.println("The manifest names " + file.getFileName() + ", which does not exist");
                return null;
            }
        }
        out.println("Start checking Multi Part AOF (manifest " + manifest.getFileName() + ", " + files.size() + " files)");
        return files;
    }

    private static List<Path> missing(Path target, PrintStream out) {
        out.println("No AOF manifest or file at " + target);
        return null;
    }
}
