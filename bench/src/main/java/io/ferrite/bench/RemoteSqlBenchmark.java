package io.ferrite.bench;

import io.ferrite.server.Main;
import io.ferrite.server.config.ConfigFileParser;
import io.ferrite.server.config.ServerConfig;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.h2.tools.Server;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The prepared point select of {@link SqlBenchmark} through each engine's network driver: a
 * Ferrite server's {@code sql-port} (Avatica, protobuf over HTTP) with {@code jdbc:ferrite://},
 * and H2's TCP server with {@code jdbc:h2:tcp://}, both serving the same 1M hash rows from this
 * JVM over loopback, each connection used by one thread.
 */
// Avatica, Jetty and Calcite reach their steady state after ~20 s of requests (a server runs for longer): a long warm-up
@Warmup(iterations = 12, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms2g", "-Xmx2g", "-XX:+UseParallelGC"})
public class RemoteSqlBenchmark {
    @State(Scope.Benchmark)
    public static class Servers {
        @Param({"ferrite", "h2"})
        public String engine;

        Main.Running ferrite;
        Server h2;
        Connection loader;
        String url;

        @Setup(Level.Trial)
        public void start() throws Exception {
            if (engine.equals("ferrite")) {
                int sqlPort;
                try (ServerSocket probe = new ServerSocket(0)) {
                    sqlPort = probe.getLocalPort();
                }
                ServerConfig config = new ServerConfig();
                new ConfigFileParser(config).loadText("port 0\nbind 127.0.0.1\nsave \"\"\nsql-port " + sqlPort
                        + "\ndir " + Files.createTempDirectory("ferrite-bench-sql") + "\n");
                ferrite = Main.start(config, Optional.empty());
                SqlBenchmark.loadFerrite(ferrite.context().store());
                url = "jdbc:ferrite://127.0.0.1:" + ferrite.sql().port();
            } else {
                loader = DriverManager.getConnection("jdbc:h2:mem:remote;DB_CLOSE_DELAY=-1;OPTIMIZE_REUSE_RESULTS=FALSE");
                SqlBenchmark.loadH2(loader);
                h2 = Server.createTcpServer("-tcpPort", "0", "-tcpAllowOthers").start();
                url = "jdbc:h2:tcp://127.0.0.1:" + h2.getPort() + "/mem:remote";
            }
        }

        @TearDown(Level.Trial)
        public void stop() throws SQLException {
            if (ferrite != null) {
                ferrite.close();
            }
            if (h2 != null) {
                h2.stop();
                loader.close();
            }
        }
    }

    /** Each thread's connection and prepared point select. */
    @State(Scope.Thread)
    public static class Client {
        Connection connection;
        PreparedStatement select;

        @Setup(Level.Trial)
        public void connect(Servers servers) throws SQLException {
            connection = DriverManager.getConnection(servers.url);
            select = connection.prepareStatement(SqlBenchmark.POINT_SELECT);
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            select.close();
            connection.close();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public String pointSelect(Client client) throws SQLException {
        client.select.setString(1, "user:" + ThreadLocalRandom.current().nextInt(SqlBenchmark.HASHES));
        try (ResultSet rs = client.select.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
