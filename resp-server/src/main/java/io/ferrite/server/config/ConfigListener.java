package io.ferrite.server.config;

/**
 * Told about a directive's new value after CONFIG SET (or a config load) committed it. Called
 * synchronously on the thread that made the change, in the order changes were applied; a
 * listener must be quick and must not throw.
 */
@FunctionalInterface
public interface ConfigListener {
    void changed(Directive<?> directive, Object oldValue, Object newValue);
}
