package io.ferrite.jdbc;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * The JDBC driver of a Ferrite server: {@code jdbc:ferrite://host[:port]} (port 7379 unless
 * given) reaches the server's SQL port ({@code sql-port}) with Avatica's remote protocol,
 * protobuf over HTTP; the server runs each statement on its engine, so the rows are the keys
 * its RESP clients see at that moment. The SQL, the tables and the errors are the embedded
 * driver's. Properties: {@code user} and {@code password} once the server has users;
 * Avatica's own ({@code timeout}, ...) pass through.
 */
public final class RemoteDriver implements Driver {
    static final String PREFIX = "jdbc:ferrite://";
    /** The SQL port a server listens on when {@code sql-port} is turned on without a number of its own. */
    public static final int DEFAULT_PORT = 7379;

    private final org.apache.calcite.avatica.remote.Driver avatica = new org.apache.calcite.avatica.remote.Driver();

    static {
        try {
            DriverManager.registerDriver(new RemoteDriver());
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    public boolean acceptsURL(String url) {
        return url != null && url.startsWith(PREFIX);
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        return avatica.connect(avaticaUrl(url), info == null ? new Properties() : info);
    }

    /** {@code jdbc:ferrite://host:port[/]} as Avatica's {@code jdbc:avatica:remote:url=http://host:port;serialization=protobuf}. */
    static String avaticaUrl(String url) throws SQLException {
        String address = url.substring(PREFIX.length());
        if (address.endsWith("/")) {
            address = address.substring(0, address.length() - 1);
        }
        if (address.isEmpty() || address.contains("/") || address.contains(";")) {
            throw new SQLException("not a Ferrite server address: '" + url + "' (jdbc:ferrite://host[:port])", "08001");
        }
        int colon = address.lastIndexOf(':');
        boolean hasPort = colon > 0 && address.indexOf(']', colon) < 0;
        if (hasPort) {
            String port = address.substring(colon + 1);
            if (!port.chars().allMatch(Character::isDigit) || port.isEmpty() || Integer.parseInt(port) > 65535) {
                throw new SQLException("not a port: '" + port + "' in '" + url + "'", "08001");
            }
        } else {
            address = address + ":" + DEFAULT_PORT;
        }
        return "jdbc:avatica:remote:url=http://" + address + ";serialization=protobuf";
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        return new DriverPropertyInfo[0];
    }

    @Override
    public int getMajorVersion() {
        return 0;
    }

    @Override
    public int getMinorVersion() {
        return 1;
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("the driver does not log through java.util.logging");
    }
}
