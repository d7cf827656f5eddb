package io.ferrite.core.aof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The AOF's file formats: the strict reader, the manifest, and check-aof with and without --fix. */
class AofFilesTest {
    @TempDir
    Path dir;

    private static byte[] commands(int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < n; i++) {
            out.writeBytes(RespCommand.of("SET".getBytes(), ("key" + i).getBytes(), ("value" + i).getBytes()));
        }
        return out.toByteArray();
    }

    private record Check(int status, String output) {}

    private static Check check(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = AofCheck.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return new Check(status, bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void readsEveryCommandAndSkipsAnnotations() throws Exception {
        Path file = dir.resolve("a.aof");
        byte[] body = commands(3);
        Files.write(file, ("#TS:1700000000\r\n" + new String(body, StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1));
        List<String> seen = new ArrayList<>();
        AofReader.Outcome outcome = AofReader.read(file, (command, end) -> seen.add(new String(command.arg(1))));
        assertThat(outcome.clean()).isTrue();
        assertThat(outcome.commands()).isEqualTo(3);
        assertThat(outcome.validUpTo()).isEqualTo(Files.size(file));
        assertThat(seen).containsExactly("key0", "key1", "key2");
    }

    @Test
    void aCutOffCommandIsReportedAsTruncatedWithTheLastValidOffset() throws Exception {
        Path file = dir.resolve("a.aof");
        byte[] body = commands(10);
        int nine = commands(9).length;
        for (int cut = nine + 1; cut < body.length; cut++) {
            Files.write(file, java.util.Arrays.copyOf(body, cut));
            AofReader.Outcome outcome = AofReader.check(file);
            assertThat(outcome.truncated()).as("cut at %d", cut).isTrue();
            assertThat(outcome.validUpTo()).isEqualTo(nine);
            assertThat(outcome.commands()).isEqualTo(9);
        }
    }

    @Test
    void garbageIsCorruptionNotTruncation() throws Exception {
        Path file = dir.resolve("a.aof");
        byte[] body = commands(4);
        int two = commands(2).length;
        body[two + 1] = 'x'; // the argument count of the third command
        Files.write(file, body);
        AofReader.Outcome outcome = AofReader.check(file);
        assertThat(outcome.truncated()).isFalse();
        assertThat(outcome.validUpTo()).isEqualTo(two);
        assertThat(outcome.problem()).contains("malformed length line");
        Files.write(file, "REDIS0010...".getBytes());
        assertThat(AofReader.check(file).problem()).contains("RDB file");
    }

    @Test
    void theManifestRoundTripsAndRejectsWhatRedisRejects() throws Exception {
        AofManifest manifest = new AofManifest(List.of(new AofManifest.Entry("appendonly.aof.3.base.aof", 3, 'b'),
                new AofManifest.Entry("my file.7.incr.aof", 7, 'i')));
        manifest.write(dir, "appendonly.aof.manifest");
        Path file = dir.resolve("appendonly.aof.manifest");
        assertThat(Files.readString(file)).isEqualTo(
                "file appendonly.aof.3.base.aof seq 3 type b\nfile \"my file.7.incr.aof\" seq 7 type i\n");
        assertThat(AofManifest.read(file)).isEqualTo(manifest);
        Files.writeString(file, "file a seq 1 type x\n");
        assertThatThrownBy(() -> AofManifest.read(file)).isInstanceOf(AofFormatException.class).hasMessageContaining("Invalid AOF manifest line");
        Files.writeString(file, "file a seq 1 type b\nfile b seq 2 type b\n");
        assertThatThrownBy(() -> AofManifest.read(file)).hasMessageContaining("more than one base");
    }

    @Test
    void aManifestWithoutAnIncrementalFileIsRefused() throws Exception {
        Files.write(dir.resolve("appendonly.aof.1.base.aof"), commands(1));
        Files.writeString(dir.resolve("appendonly.aof.manifest"), "file appendonly.aof.1.base.aof seq 1 type b\n");
        assertThatThrownBy(() -> AofDirectory.open(dir, "appendonly.aof"))
                .isInstanceOf(AofFormatException.class).hasMessageContaining("names no incremental file");
    }

    @Test
    void checkAofReportsAndFixesATruncatedLastFile() throws Exception {
        Path aof = Files.createDirectories(dir.resolve("appendonlydir"));
        Files.write(aof.resolve("appendonly.aof.1.base.aof"), commands(5));
        byte[] incr = commands(8);
        Files.write(aof.resolve("appendonly.aof.1.incr.aof"), java.util.Arrays.copyOf(incr, incr.length - 3));
        Files.writeString(aof.resolve("appendonly.aof.manifest"),
                "file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n");

        Check report = check(dir.toString());
        assertThat(report.status()).isEqualTo(1);
        assertThat(report.output()).contains("AOF appendonly.aof.1.base.aof is valid (5 commands)")
                .contains("AOF appendonly.aof.1.incr.aof is not valid at offset " + commands(7).length + ": the last command is cut off")
                .contains("--fix");

        Check fixed = check("--fix", aof.resolve("appendonly.aof.manifest").toString());
        assertThat(fixed.status()).isZero();
        assertThat(fixed.output()).contains("Successfully truncated AOF appendonly.aof.1.incr.aof").contains("All AOF files and manifest are valid");
        assertThat(Files.size(aof.resolve("appendonly.aof.1.incr.aof"))).isEqualTo(commands(7).length);
        assertThat(check(aof.toString()).status()).isZero();
    }

    private static byte[] words(String... words) {
        return RespCommand.ofWords(words);
    }

    /**
     * A transaction is one unit: a file that ends after a complete MULTI/EXEC is clean; one that
     * ends (or is cut off) before the EXEC of its last MULTI is truncated before that MULTI, and
     * check-aof --fix cuts it there, as redis-check-aof does.
     */
    @Test
    void aFileEndingInsideATransactionIsCutBeforeItsMulti() throws Exception {
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        whole.writeBytes(commands(2));
        whole.writeBytes(words("MULTI"));
        whole.writeBytes(words("SET", "a", "1"));
        whole.writeBytes(words("EXEC"));
        int complete = whole.size();
        whole.writeBytes(words("multi")); // any case, as Redis reads commands
        int multiRead = whole.size();
        whole.writeBytes(words("SET", "b", "2"));
        whole.writeBytes(words("INCR", "c"));
        byte[] open = whole.toByteArray();
        Path file = dir.resolve("appendonly.aof.1.incr.aof");
        Files.write(file, java.util.Arrays.copyOf(open, complete));
        assertThat(AofReader.check(file).clean()).isTrue();
        for (int cut = complete + 1; cut <= open.length; cut++) {
            Files.write(file, java.util.Arrays.copyOf(open, cut));
            AofReader.Outcome outcome = AofReader.check(file);
            assertThat(outcome.truncated()).as("cut at %d", cut).isTrue();
            assertThat(outcome.validUpTo()).as("cut at %d", cut).isEqualTo(complete);
            assertThat(outcome.commands()).isEqualTo(5);
            if (cut >= multiRead) {
                assertThat(outcome.problem()).as("cut at %d", cut).contains("MULTI/EXEC transaction");
            }
        }
        Files.writeString(dir.resolve("appendonly.aof.manifest"), "file appendonly.aof.1.incr.aof seq 1 type i\n");
        Check fixed = check("--fix", dir.toString());
        assertThat(fixed.status()).as(fixed.output()).isZero();
        assertThat(Files.size(file)).isEqualTo(complete);
    }

    /** A base in RDB form goes to the RDB check; without one, or when it fails, check-aof reports the file invalid. */
    @Test
    void anRdbBaseIsCheckedByTheRdbCheck() throws Exception {
        Files.write(dir.resolve("appendonly.aof.1.base.rdb"), "REDIS0010whatever".getBytes(StandardCharsets.US_ASCII));
        Files.write(dir.resolve("appendonly.aof.2.incr.aof"), commands(2));
        Files.writeString(dir.resolve("appendonly.aof.manifest"),
                "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n");
        Check plain = check(dir.toString());
        assertThat(plain.status()).isEqualTo(1);
        assertThat(plain.output()).contains("RDB file appendonly.aof.1.base.rdb is not valid").contains("use ./ferrite check-aof");
        for (boolean valid : new boolean[] {true, false}) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            int status = AofCheck.run(new String[] {"--fix", dir.toString()}, new PrintStream(bytes, true, StandardCharsets.UTF_8),
                    file -> {
                        if (!valid) {
                            throw new java.io.IOException("bad checksum");
                        }
                        return 7;
                    });
            String output = bytes.toString(StandardCharsets.UTF_8);
            if (valid) {
                assertThat(status).as(output).isZero();
                assertThat(output).contains("RDB file appendonly.aof.1.base.rdb is valid (7 keys)").contains("All AOF files and manifest are valid");
            } else {
                assertThat(status).isEqualTo(1);
                assertThat(output).contains("is not valid: bad checksum").contains("Not fixed: only the last file");
            }
        }
    }

    @Test
    void checkAofDoesNotTruncateAnEarlierFile() throws Exception {
        Files.write(dir.resolve("appendonly.aof.1.base.aof"), java.util.Arrays.copyOf(commands(5), 20));
        Files.write(dir.resolve("appendonly.aof.1.incr.aof"), commands(2));
        Files.writeString(dir.resolve("appendonly.aof.manifest"),
                "file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n");
        Check report = check("--fix", dir.toString());
        assertThat(report.status()).isEqualTo(1);
        assertThat(report.output()).contains("Not fixed: only the last file");
        assertThat(Files.size(dir.resolve("appendonly.aof.1.base.aof"))).isEqualTo(20);
    }

    @Test
    void checkAofNamesAMissingFileAndWrongUsage() throws Exception {
        Files.writeString(dir.resolve("appendonly.aof.manifest"), "file appendonly.aof.1.incr.aof seq 1 type i\n");
        assertThat(check(dir.toString()).output()).contains("names appendonly.aof.1.incr.aof, which does not exist");
        assertThat(check().status()).isEqualTo(2);
        assertThat(check(dir.resolve("nothing").toString()).output()).contains("No AOF manifest or file");
    }
}
