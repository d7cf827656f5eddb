package io.ferrite.sql.jdbc;

import io.ferrite.core.FerriteStore;
import io.ferrite.core.api.StorageException;
import io.ferrite.core.embedded.EmbeddedEngine;
import io.ferrite.core.embedded.EmbeddedEngines;
import io.ferrite.core.embedded.EmbeddedSettings;
import io.ferrite.sql.FerriteSql;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * The JDBC driver of an engine in this JVM. {@code jdbc:ferrite:file:/path} opens (or joins)
 * the engine of that data directory, the very one an embedded JCache CacheManager with
 * {@code ferrite.dir=/path} uses, and keeps it across restarts (see
 * {@link io.ferrite.core.embedded.EmbeddedEngine}); {@code jdbc:ferrite:mem:name} an engine in
 * memory shared by the connections of that name. The property {@value #STORE_PROPERTY} hands
 * over an engine the application opened itself (a RESP server's, for example). The other
 * properties are {@link EmbeddedSettings}'s ({@code ferrite.maxmemory}, {@code ferrite.shards},
 * ...), read by the first connection that opens the engine. Closing the last connection of an
 * engine closes it.
 */
public final class EmbeddedDriver implements Driver {
    static final String MEM = "jdbc:ferrite:mem:";
    static final String FILE = "jdbc:ferrite:file:";
    /** Property whose value is an open {@link FerriteStore} for the connection to query. */
    public static final String STORE_PROPERTY = "ferrite.store";

    static {
        try {
            DriverManager.registerDriver(new EmbeddedDriver());
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    public boolean acceptsURL(String url) {
        return url != null && (url.startsWith(MEM) || url.startsWith(FILE));
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null; // another driver's URL, as DriverManager expects
        }
        Properties properties = new Properties();
        if (info != null) {
            for (String name : info.stringPropertyNames()) {
                properties.setProperty(name, info.getProperty(name));
            }
            if (info.get(STORE_PROPERTY) instanceof FerriteStore given) {
                return FerriteSql.connect(given);
            }
        }
        String name;
        if (url.startsWith(FILE)) {
            name = url.substring(FILE.length());
            if (name.isBlank()) {
                throw new SQLException("no data directory in '" + url + "': jdbc:ferrite:file:/path/to/dir", "08001");
            }
            properties.setProperty(EmbeddedSettings.DIR, name);
        } else {
            name = url.substring(MEM.length());
            properties.remove(EmbeddedSettings.DIR);
        }
        EmbeddedEngine engine;
        try {
            engine = EmbeddedEngines.acquire("jdbc:" + name, properties);
        } catch (IllegalArgumentException | IllegalStateException | StorageException e) {
            throw new SQLException("cannot open the engine of '" + url + "': " + e.getMessage(), "08001", e);
        }
        try {
            return ReleasingConnection.of(FerriteSql.connect(engine.store()), () -> EmbeddedEngines.release(engine));
        } catch (SQLException | RuntimeException e) {
            EmbeddedEngines.release(engine);
            throw e;
        }
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        return new DriverPropertyInfo[] {
            property(EmbeddedSettings.MAX_MEMORY, "bytes of memory before the log spills to the data directory (0: no limit)"),
            property(EmbeddedSettings.SHARDS, "shards of a new engine (default: the number of cores)"),
            property(EmbeddedSettings.CHECKPOINTS, "yes (default with a directory): the data outlives the engine"),
            property(EmbeddedSettings.CHECKPOINT_SECONDS, "seconds between checkpoints while keys change (default 60)"),
        };
    }

    private static DriverPropertyInfo property(String name, String description) {
        DriverPropertyInfo info = new DriverPropertyInfo(name, null);
        info.description = description;
        return info;
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
        return false; // Calcite's SQL, not SQL-92 entry level in every detail
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("the driver logs through System.Logger");
    }
}
