package io.ferrite.jcache.management;

import java.lang.management.ManagementFactory;
import java.net.URI;
import javax.cache.CacheException;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Registers a cache's MXBeans on the platform MBean server under the names JSR-107 gives
 * them: {@code javax.cache:type=CacheConfiguration|CacheStatistics,CacheManager=<uri>,Cache=<name>}.
 */
public final class MBeans {
    /** The two kinds of bean a cache has. */
    public enum Kind {
        CONFIGURATION("CacheConfiguration"), STATISTICS("CacheStatistics");

        private final String type;

        Kind(String type) {
            this.type = type;
        }
    }

    private MBeans() {}

    public static void register(Object bean, Kind kind, URI manager, String cache) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = name(kind, manager, cache);
        try {
            if (!server.isRegistered(name)) {
                server.registerMBean(bean, name);
            }
        } catch (InstanceAlreadyExistsException e) {
            // registered meanwhile by another thread: the same cache, so the same bean
        } catch (Exception e) {
            throw new CacheException("cannot register " + name + ": " + e.getMessage(), e);
        }
    }

    public static void unregister(Kind kind, URI manager, String cache) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = name(kind, manager, cache);
        try {
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
        } catch (InstanceNotFoundException e) {
            // gone already
        } catch (Exception e) {
            throw new CacheException("cannot unregister " + name + ": " + e.getMessage(), e);
        }
    }

    private static ObjectName name(Kind kind, URI manager, String cache) {
        try {
            return new ObjectName("javax.cache:type=" + kind.type + ",CacheManager=" + sanitize(manager.toString())
                    + ",Cache=" + sanitize(cache));
        } catch (MalformedObjectNameException e) {
            throw new CacheException(e);
        }
    }

    private static String sanitize(String s) {
        return s == null ? "" : s.replaceAll("[,:=\n]", ".");
    }
}
