package io.ferrite.jcache.remote;

import io.ferrite.jcache.FerriteCachingProvider;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * For the TCK's remote run (the surefire execution that sets {@value #ENABLED}): starts a
 * Ferrite server in its own JVM before any test and makes {@code ferrite://127.0.0.1:<port>}
 * the provider's default URI, so every TCK cache lives on that server; stops it at the end.
 * Without the property it does nothing.
 */
public final class RemoteTckServer implements LauncherSessionListener {
    static final String ENABLED = "ferrite.tck.remote";

    private ServerProcess server;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (Boolean.getBoolean(ENABLED)) {
            server = ServerProcess.start();
            System.setProperty(FerriteCachingProvider.DEFAULT_URI_PROPERTY, server.uri());
        }
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (server != null) {
            server.close();
            System.clearProperty(FerriteCachingProvider.DEFAULT_URI_PROPERTY);
        }
    }
}
