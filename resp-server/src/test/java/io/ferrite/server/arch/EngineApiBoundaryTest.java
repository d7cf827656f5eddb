package io.ferrite.server.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The RESP door reaches the engine only through its API packages: {@code io.ferrite.core}
 * (the store and its configuration), {@code api}, {@code types} (the command families),
 * {@code strings} (Redis's value algorithms), {@code aof}, {@code snapshot} (point-in-time
 * images) and {@code checkpoint} (checkpoints of the log). Checked on the compiled classes with the JDK's
 * {@code jdeps}, so fully qualified names and lambdas are caught as well as imports.
 */
class EngineApiBoundaryTest {
    private static final Set<String> API = Set.of(
            "io.ferrite.core", "io.ferrite.core.api", "io.ferrite.core.types", "io.ferrite.core.strings", "io.ferrite.core.aof",
            "io.ferrite.core.snapshot", "io.ferrite.core.checkpoint");

    @Test
    void theDoorUsesOnlyTheEngineApiPackages() {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        int rc = jdeps.run(new PrintWriter(out), new PrintWriter(out),
                "-verbose:package", "-filter:none", Path.of("target", "classes").toString());
        assertThat(rc).as(out.toString()).isZero();
        Set<String> used = new TreeSet<>();
        for (String line : out.toString().split("\n")) {
            String[] words = line.trim().split("\\s+");
            if (words.length >= 3 && words[0].startsWith("io.ferrite.server") && words[1].equals("->")
                    && words[2].startsWith("io.ferrite.core")) {
                used.add(words[2]);
            }
        }
        assertThat(used).as("engine packages the RESP door depends on").isNotEmpty().isSubsetOf(API);
    }
}
