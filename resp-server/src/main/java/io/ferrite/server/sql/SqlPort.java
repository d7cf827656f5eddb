package io.ferrite.server.sql;

import io.ferrite.core.FerriteStore;
import io.ferrite.sql.jdbc.EmbeddedDriver;
import java.sql.SQLException;
import java.util.Properties;
import org.apache.calcite.avatica.jdbc.JdbcMeta;
import org.apache.calcite.avatica.server.AvaticaProtobufHandler;
import org.apache.calcite.avatica.server.HttpServer;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The server's SQL port ({@code sql-port}): Avatica's remote protocol, protobuf over HTTP, for
 * the remote JDBC driver ({@code jdbc:ferrite://host:port}). Each remote connection is a
 * connection of the SQL door on this server's engine, so a statement sees and changes the keys
 * RESP clients use, at that moment. Statements run on the HTTP server's threads, never on an
 * event loop, and wait for the disk tier as any API caller does.
 */
public final class SqlPort implements AutoCloseable {
    private final HttpServer http;

    private SqlPort(HttpServer http) {
        this.http = http;
    }

    /** Starts listening on {@code host}:{@code port} (0: a free port). */
    public static SqlPort start(FerriteStore store, String host, int port) throws SQLException {
        Properties info = new Properties();
        info.put(EmbeddedDriver.STORE_PROPERTY, store);
        JdbcMeta meta = new JdbcMeta("jdbc:ferrite:mem:server", info);
        HttpServer http = new HttpServer(port, new AvaticaProtobufHandler(new StatedService(meta))) {
            @Override
            protected ServerConnector getServerConnector() {
                ServerConnector connector = super.getServerConnector();
                connector.setHost(host); // the bind address, as the RESP port's (null: every interface)
                return connector;
            }
        };
        http.start();
        return new SqlPort(http);
    }

    /** The port it listens on. */
    public int port() {
        return http.getPort();
    }

    @Override
    public void close() {
        http.stop();
    }
}
