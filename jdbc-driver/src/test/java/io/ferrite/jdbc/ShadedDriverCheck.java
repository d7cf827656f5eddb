package io.ferrite.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferrite.server.Main;
import io.ferrite.server.config.ConfigFileParser;
import io.ferrite.server.config.ServerConfig;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * {@code target/ferrite-jdbc.jar} on its own, after {@code package}: a Java 17 JVM with that one
 * jar on its class path reads a key of a running server, and the jar's libraries live under
 * {@code io.ferrite.jdbc.shaded} (the build runs this in its integration-test phase).
 */
class ShadedDriverCheck {
    private static final Path JAR = Path.of("target", "ferrite-jdbc.jar");

    @Test
    void theSingleJarIsADriverOnJava17WithItsLibrariesRelocated() throws Exception {
        assertThat(JAR).exists();
        try (ZipFile jar = new ZipFile(JAR.toFile())) {
            assertThat(jar.getEntry("io/ferrite/jdbc/RemoteDriver.class")).isNotNull();
            assertThat(jar.getEntry("org/apache/calcite/avatica/remote/Driver.class")).isNotNull();
            assertThat(jar.stream().map(entry -> entry.getName())
                    .filter(name -> name.endsWith(".class") && !name.startsWith("io/ferrite/") && !name.startsWith("org/apache/calcite/")))
                    .as("classes outside the driver's and Avatica's packages").isEmpty();
        }
        Path java17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64/bin/java");
        Assumptions.assumeTrue(Files.isExecutable(java17), "no Java 17 at " + java17);
        int sqlPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            sqlPort = probe.getLocalPort();
        }
        ServerConfig config = new ServerConfig();
        new ConfigFileParser(config).loadText("port 0\nbind 127.0.0.1\nsave \"\"\nsql-port " + sqlPort + "\ndir "
                + Files.createTempDirectory("ferrite-jdbc-shaded") + "\n");
        try (Main.Running server = Main.start(config, Optional.empty()); Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            jedis.set("from-17", "hello");
            Path smoke = Path.of("src", "test", "resources", "RemoteSmoke.java");
            Process process = new ProcessBuilder(java17.toString(), "-cp", JAR.toString(), smoke.toString(),
                    "jdbc:ferrite://127.0.0.1:" + server.sql().port()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(output).as(output).contains("java 17 read hello");
            assertThat(process.exitValue()).isZero();
        }
    }
}
