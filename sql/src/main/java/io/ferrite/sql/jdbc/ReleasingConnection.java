package io.ferrite.sql.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.concurrent.atomic.AtomicBoolean;

/** A connection that lets go of its engine when it is closed (once, however often close is called). */
final class ReleasingConnection {
    private ReleasingConnection() {}

    static Connection of(Connection target, Runnable release) {
        AtomicBoolean released = new AtomicBoolean();
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    try {
                        return method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    } finally {
                        if (method.getName().equals("close") && method.getParameterCount() == 0 && released.compareAndSet(false, true)) {
                            release.run();
                        }
                    }
                });
    }
}
