package io.ferrite.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigFileParserTest {
    private final ServerConfig config = new ServerConfig();
    private final ConfigFileParser parser = new ConfigFileParser(config);

    @TempDir
    Path dir;

    @Test
    void loadsDirectivesCommentsAndQuotes() {
        parser.loadText("""
                # a comment
                   port 7000\r
                bind 0.0.0.0 -::1

                Maxmemory 100mb
                dir "/tmp/my data"
                requirepass 'p@ss w\\'rd'
                appendonly YES
                lua-time-limit 42
                logfile "caf\\xc3\\xa9.log"
                """);
        assertThat(config.getInt(Directives.PORT)).isEqualTo(7000);
        assertThat(config.get(Directives.BIND)).containsExactly("0.0.0.0", "-::1");
        assertThat(config.get(Directives.MAXMEMORY)).isEqualTo(100L << 20);
        assertThat(config.get(Directives.DIR)).isEqualTo("/tmp/my data");
        assertThat(config.get(Directives.REQUIREPASS)).isEqualTo("p@ss w'rd");
        assertThat(config.get(Directives.APPENDONLY)).isTrue();
        assertThat(config.get(Directives.BUSY_REPLY_THRESHOLD)).isEqualTo(42L);
        assertThat(config.get(Directives.LOGFILE)).isEqualTo("café.log");
    }

    @Test
    void immutableDirectivesAreSettableFromTheFile() {
        parser.loadText("databases 4\nio-threads 2\n");
        assertThat(config.get(Directives.DATABASES)).isEqualTo(4L);
    }

    @Test
    void saveLinesAccumulateAndAnEmptyOneClears() {
        parser.loadText("save 900 1\nsave 300 10\n");
        assertThat(config.get(Directives.SAVE)).containsExactly(new SavePoint(900, 1), new SavePoint(300, 10));
        ServerConfig other = new ServerConfig();
        new ConfigFileParser(other).loadText("save \"\"\n");
        assertThat(other.get(Directives.SAVE)).isEmpty();
    }

    @Test
    void outputBufferLimitLinesMergePerClass() {
        parser.loadText("client-output-buffer-limit normal 1mb 0 0\nclient-output-buffer-limit pubsub 64mb 32mb 10\n");
        assertThat(config.show(Directives.CLIENT_OUTPUT_BUFFER_LIMIT))
                .isEqualTo("normal 1048576 0 0 slave 268435456 67108864 60 pubsub 67108864 33554432 10");
    }

    @Test
    void includeLoadsAnotherFile() throws IOException {
        Path included = dir.resolve("extra.conf");
        Files.writeString(included, "timeout 30\n");
        parser.loadText("port 1\ninclude " + included + "\ntcp-keepalive 7\n");
        assertThat(config.get(Directives.TIMEOUT)).isEqualTo(30L);
        assertThat(config.get(Directives.TCP_KEEPALIVE)).isEqualTo(7L);
    }

    @Test
    void includeCycleFailsInsteadOfRecursingForever() throws IOException {
        Path self = dir.resolve("self.conf");
        Files.writeString(self, "include " + self + "\n");
        assertThatThrownBy(() -> parser.load(Optional.of(self), ""))
                .isInstanceOf(ConfigFileException.class).hasMessageContaining("include depth");
    }

    @Test
    void ignoresRedisOnlyDirectives() {
        parser.loadText("always-show-logo yes\nhash-max-listpack-entries 128\nport 7001\n");
        assertThat(config.getInt(Directives.PORT)).isEqualTo(7001);
    }

    @Test
    void reportsErrorsLikeRedisServer() {
        assertThatThrownBy(() -> parser.loadText("port 7000\n# c\nport abc\n"))
                .isInstanceOf(ConfigFileException.class)
                .hasMessage("""
                        *** FATAL CONFIG FILE ERROR (Ferrite) ***
                        Reading the configuration file, at line 3
                        >>> 'port abc'
                        argument couldn't be parsed into an integer""")
                .satisfies(e -> assertThat(((ConfigFileException) e).lineNumber()).isEqualTo(3));
    }

    @Test
    void reportsEachKindOfBadLine() {
        assertThat(reason("no-such-directive 1")).isEqualTo("Bad directive or wrong number of arguments");
        assertThat(reason("rename-command FLUSHALL \"\"")).isEqualTo("Bad directive or wrong number of arguments");
        assertThat(reason("port 1 2")).isEqualTo("wrong number of arguments");
        assertThat(reason("port")).isEqualTo("wrong number of arguments");
        assertThat(reason("dir \"/tmp")).isEqualTo("Unbalanced quotes in configuration line");
        assertThat(reason("maxmemory 1tb")).isEqualTo("argument must be a memory value");
        assertThat(reason("databases 17")).isEqualTo("argument must be between 1 and 16 inclusive");
        assertThat(reason("daemonize yes")).isEqualTo("Ferrite does not daemonize itself: run it under a service manager");
        assertThat(reason("compression brotli")).isEqualTo("argument(s) must be one of the following: lz4, zstd, none");
    }

    private String reason(String line) {
        try {
            new ConfigFileParser(new ServerConfig()).loadText(line + "\n");
            return null;
        } catch (ConfigFileException e) {
            return e.reason();
        }
    }

    @Test
    void missingFileIsFatal() {
        Path missing = dir.resolve("missing.conf");
        assertThatThrownBy(() -> parser.load(Optional.of(missing), ""))
                .isInstanceOf(ConfigFileException.class)
                .hasMessage("Fatal error, can't open config file '" + missing + "': No such file or directory");
    }

    @Test
    void commandLineOptionsOverrideTheFileAndContinueItsLineNumbers() throws IOException {
        Path file = dir.resolve("redis.conf");
        Files.writeString(file, "port 7000\nsave 60 1\n", StandardCharsets.UTF_8);
        ServerArguments arguments = ServerArguments.parse(file.toString(), "--port", "7001", "--save", "", "--dir", "/x y");
        parser.load(arguments.configFile(), arguments.options());
        assertThat(config.getInt(Directives.PORT)).isEqualTo(7001);
        assertThat(config.get(Directives.SAVE)).isEmpty();
        assertThat(config.get(Directives.DIR)).isEqualTo("/x y");

        ServerArguments bad = ServerArguments.parse(file.toString(), "--timeout", "never");
        assertThatThrownBy(() -> new ConfigFileParser(new ServerConfig()).load(bad.configFile(), bad.options()))
                .isInstanceOf(ConfigFileException.class)
                .hasMessageContaining("at line 4")
                .hasMessageContaining(">>> 'timeout \"never\"'");
    }

    @Test
    void multiArgumentOptionGivenAsOneWordIsSplit() {
        ServerArguments arguments = ServerArguments.parse("--save", "900 1 300 10", "--bind", "127.0.0.1 ::1");
        parser.load(arguments.configFile(), arguments.options());
        assertThat(config.get(Directives.SAVE)).containsExactly(new SavePoint(900, 1), new SavePoint(300, 10));
        assertThat(config.get(Directives.BIND)).isEqualTo(List.of("127.0.0.1", "::1"));
    }
}
