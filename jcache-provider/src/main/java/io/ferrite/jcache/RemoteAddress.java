package io.ferrite.jcache;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;

/**
 * The Ferrite server of a remote cache manager, from its URI
 * {@code ferrite://[user[:password]@]host[:port]} (port 6379 by default) and its properties
 * {@value #USER}, {@value #PASSWORD} (when the URI does not carry them) and {@value #TIMEOUT}
 * (milliseconds a command may wait for its reply, {@value #DEFAULT_TIMEOUT_MS} by default).
 */
record RemoteAddress(String host, int port, String user, String password, Duration timeout) {
    static final String SCHEME = "ferrite";
    static final String USER = "ferrite.user";
    static final String PASSWORD = "ferrite.password";
    static final String TIMEOUT = "ferrite.timeout";
    static final long DEFAULT_TIMEOUT_MS = 5000;

    /** A {@code ferrite://} URI with a host: the caches live on that server. */
    static boolean isRemote(URI uri) {
        String scheme = uri.getScheme();
        if (scheme != null && scheme.equalsIgnoreCase("ferrites")) {
            throw new IllegalArgumentException("TLS (" + uri + ") is not supported yet: Ferrite's server has no TLS;"
                    + " use ferrite://host:port");
        }
        return scheme != null && scheme.equalsIgnoreCase(SCHEME) && uri.getRawAuthority() != null;
    }

    static RemoteAddress of(URI uri, Properties properties) {
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("the cache manager URI " + uri + " names no host: use ferrite://host:port");
        }
        if ((uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/")) || uri.getQuery() != null) {
            throw new IllegalArgumentException("the cache manager URI " + uri + " has a path or query Ferrite does not read:"
                    + " use ferrite://[user[:password]@]host:port, and FerriteConfiguration for the database");
        }
        int port = uri.getPort() == -1 ? 6379 : uri.getPort();
        String user = properties.getProperty(USER);
        String password = properties.getProperty(PASSWORD);
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? password : decode(userInfo.substring(colon + 1));
        }
        long timeout = DEFAULT_TIMEOUT_MS;
        String configured = properties.getProperty(TIMEOUT);
        if (configured != null) {
            try {
                timeout = Long.parseLong(configured.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(TIMEOUT + " must be a number of milliseconds, not '" + configured + "'", e);
            }
            if (timeout <= 0) {
                throw new IllegalArgumentException(TIMEOUT + " must be positive, not " + timeout);
            }
        }
        return new RemoteAddress(host, port, user, password, Duration.ofMillis(timeout));
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return host + ":" + port; // never the password
    }
}
