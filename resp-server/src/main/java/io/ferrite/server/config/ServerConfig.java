package io.ferrite.server.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The server's configuration: the current value of every {@link Directive}, read lock-free
 * from an immutable snapshot and changed atomically by CONFIG SET (all pairs or none) or by
 * loading a config file, with listeners told of each change.
 *
 * <p>Replies are Redis 7's, word for word, so CONFIG GET/SET handlers only forward them.
 */
public final class ServerConfig {
    private final List<Directive<?>> directives;
    /** Lower-case names and aliases to directives. */
    private final Map<String, Directive<?>> byName = new HashMap<>();
    /** Every name and alias with its directive, in definition order (CONFIG GET's glob order). */
    private final List<Map.Entry<String, Directive<?>>> namesInOrder = new ArrayList<>();
    private final List<ConfigListener> listeners = new CopyOnWriteArrayList<>();
    /** Current values; replaced, never mutated, so readers need no lock. */
    private volatile Map<Directive<?>, Object> values;

    /** A configuration holding every directive of {@link Directives#ALL} at its default. */
    public ServerConfig() {
        this(Directives.ALL);
    }

    ServerConfig(List<Directive<?>> directives) {
        this.directives = List.copyOf(directives);
        Map<Directive<?>, Object> initial = new IdentityHashMap<>();
        for (Directive<?> directive : this.directives) {
            register(directive.name(), directive);
            directive.aliases().forEach(alias -> register(alias, directive));
            initial.put(directive, directive.defaultValue());
        }
        this.values = initial;
    }

    private void register(String name, Directive<?> directive) {
        if (byName.put(name.toLowerCase(Locale.ROOT), directive) != null) {
            throw new IllegalArgumentException("duplicate directive name " + name);
        }
        namesInOrder.add(Map.entry(name, directive));
    }

    /** Every directive, in definition order. */
    public List<Directive<?>> directives() {
        return directives;
    }

    /** The directive called {@code nameOrAlias} (case-insensitive). */
    public Optional<Directive<?>> find(String nameOrAlias) {
        return Optional.ofNullable(byName.get(nameOrAlias.toLowerCase(Locale.ROOT)));
    }

    /** The current value of {@code directive}. */
    @SuppressWarnings("unchecked")
    public <T> T get(Directive<T> directive) {
        T value = (T) values.get(directive);
        if (value == null) {
            throw new IllegalArgumentException("not a directive of this configuration: " + directive);
        }
        return value;
    }

    /** The current value of an integer directive whose range fits an int (port, databases...). */
    public int getInt(Directive<Long> directive) {
        return Math.toIntExact(get(directive));
    }

    /** The current value as CONFIG GET shows it. */
    public <T> String show(Directive<T> directive) {
        return directive.type().show(get(directive));
    }

    /** True if {@code directive} currently holds its default value. */
    public boolean isDefault(Directive<?> directive) {
        return Objects.equals(get(directive), directive.defaultValue());
    }

    /** Adds a listener told of every change to any directive. */
    public void addListener(ConfigListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Adds a listener told of changes to {@code directive} only. */
    public void addListener(Directive<?> directive, ConfigListener listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add((changed, oldValue, newValue) -> {
            if (changed == directive) {
                listener.changed(changed, oldValue, newValue);
            }
        });
    }

    // --- CONFIG GET ----------------------------------------------------------------------

    /**
     * CONFIG GET: the names matching any of {@code patterns} (Redis globs, case-insensitive;
     * aliases included), each with its value as shown by CONFIG GET. A pattern without glob
     * characters is an exact lookup and is returned under the spelling the client used, as
     * Redis does. Reply with a map of this (RESP3) or a flat array (RESP2).
     */
    public Map<String, String> getMatching(List<String> patterns) {
        Map<String, String> matches = new LinkedHashMap<>();
        for (String pattern : patterns) {
            if (!hasGlob(pattern)) {
                if (!matches.containsKey(pattern)) {
                    find(pattern).ifPresent(directive -> matches.put(pattern, show(directive)));
                }
                continue;
            }
            for (Map.Entry<String, Directive<?>> entry : namesInOrder) {
                if (!matches.containsKey(entry.getKey()) && ConfigGlob.matches(pattern, entry.getKey())) {
                    matches.put(entry.getKey(), show(entry.getValue()));
                }
            }
        }
        return matches;
    }

    private static boolean hasGlob(String pattern) {
        return pattern.indexOf('*') >= 0 || pattern.indexOf('?') >= 0 || pattern.indexOf('[') >= 0;
    }

    // --- CONFIG SET ----------------------------------------------------------------------

    /**
     * CONFIG SET {@code name value [name value ...]} ({@code nameValuePairs} are the arguments
     * after SET): validates every pair, then applies all of them or none. Multi-argument
     * directives (save, bind, client-output-buffer-limit) take their arguments space-separated
     * in one value, as in Redis.
     */
    public ConfigSetResult set(List<String> nameValuePairs) {
        if (nameValuePairs.isEmpty()) {
            return ConfigSetResult.refused("ERR wrong number of arguments for 'config|set' command");
        }
        if (nameValuePairs.size() % 2 != 0) {
            return ConfigSetResult.refused("ERR syntax error");
        }
        synchronized (this) {
            int count = nameValuePairs.size() / 2;
            List<Directive<?>> targets = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String name = nameValuePairs.get(2 * i);
                Directive<?> directive = byName.get(name.toLowerCase(Locale.ROOT));
                if (directive == null) {
                    return ConfigSetResult.refused("ERR Unknown option or number of arguments for CONFIG SET - '" + name + "'");
                }
                if (!directive.mutable()) {
                    return ConfigSetResult.refused(failed(name, "can't set immutable config"));
                }
                if (targets.contains(directive)) {
                    return ConfigSetResult.refused(failed(name, "duplicate parameter"));
                }
                targets.add(directive);
            }
            Map<Directive<?>, Object> next = new IdentityHashMap<>(values);
            for (int i = 0; i < count; i++) {
                Directive<?> directive = targets.get(i);
                try {
                    next.put(directive, parse(directive, setArguments(directive, nameValuePairs.get(2 * i + 1)), next));
                } catch (InvalidValueException e) {
                    return ConfigSetResult.refused(failed(directive.name(), e.getMessage()));
                }
            }
            commit(next);
        }
        return ConfigSetResult.APPLIED;
    }

    private static String failed(String name, String reason) {
        return "ERR CONFIG SET failed (possibly related to argument '" + name + "') - " + reason;
    }

    /** CONFIG SET splits multi-argument values on single spaces (sdssplitlen), so "" means no arguments. */
    private static List<String> setArguments(Directive<?> directive, String value) {
        if (!directive.type().multiArg()) {
            return List.of(value);
        }
        return value.isEmpty() ? List.of() : Arrays.asList(value.split(" ", -1));
    }

    // --- loading -------------------------------------------------------------------------

    /**
     * Sets {@code directive} from a config-file line's arguments. {@code again} is true if an
     * earlier line of the same load set it too, so that repeatable directives (save)
     * accumulate instead of replacing.
     */
    synchronized void load(Directive<?> directive, List<String> args, boolean again) throws InvalidValueException {
        Map<Directive<?>, Object> next = new IdentityHashMap<>(values);
        next.put(directive, parseForLoad(directive, args, again, next));
        commit(next);
    }

    private static <T> T parseForLoad(Directive<T> directive, List<String> args, boolean again,
                                      Map<Directive<?>, Object> current) throws InvalidValueException {
        T parsed = parse(directive, args, current);
        if (!again) {
            return parsed;
        }
        @SuppressWarnings("unchecked")
        T earlier = (T) current.get(directive);
        return directive.type().combineInFile(earlier, parsed);
    }

    private static <T> T parse(Directive<T> directive, List<String> args, Map<Directive<?>, Object> current)
            throws InvalidValueException {
        if (args.isEmpty() && !directive.type().multiArg()) {
            throw new InvalidValueException("wrong number of arguments");
        }
        @SuppressWarnings("unchecked")
        T value = (T) current.get(directive);
        return directive.type().parse(args, value);
    }

    /** Publishes {@code next} and tells listeners about every value that changed. Caller holds the lock. */
    private void commit(Map<Directive<?>, Object> next) {
        Map<Directive<?>, Object> previous = values;
        values = next;
        for (Directive<?> directive : directives) {
            Object oldValue = previous.get(directive);
            Object newValue = next.get(directive);
            if (!Objects.equals(oldValue, newValue)) {
                for (ConfigListener listener : listeners) {
                    listener.changed(directive, oldValue, newValue);
                }
            }
        }
    }

    /** Names of every directive and alias (for tests and documentation). */
    Collection<String> names() {
        return byName.keySet();
    }
}
