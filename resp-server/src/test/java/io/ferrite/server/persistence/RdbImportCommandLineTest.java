package io.ferrite.server.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code ./ferrite import-rdb}'s command line: usage errors and a file that is no RDB give their exit codes and words. */
class RdbImportCommandLineTest {
    private record Run(int status, String out, String err) {}

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = RdbImport.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void usageAndFailuresHaveTheirExitCodes() throws Exception {
        assertThat(run().status()).isEqualTo(2);
        assertThat(run("a.rdb", "b.rdb").err()).contains("Usage: ./ferrite import-rdb");
        Path notRdb = Files.createTempFile("not", ".rdb");
        Files.writeString(notRdb, "hello");
        Path dir = Files.createTempDirectory("ferrite-import-cli");
        Run failed = run(notRdb.toString(), "--dir", dir.toString());
        assertThat(failed.status()).isEqualTo(1);
        assertThat(failed.err()).contains("Could not import").contains("not an RDB file");
    }
}
