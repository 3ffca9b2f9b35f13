package org.execnet4j.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A parsed gateway spec such as {@code popen//python=python3//env:A=b} or
 * {@code ssh=-p 2222 user@host//chdir=work}: items separated by {@code //}, each a bare
 * {@code key} or {@code key=value} (value = everything after the first {@code =}).
 *
 * <p>Stricter than execnet's {@code XSpec}: exactly one gateway type, no unknown, duplicate or
 * empty items, and values that must be numbers or names are checked here, so a typo fails at
 * once with a message naming the offending part. Equality is that of the original text.
 */
public final class Spec {

    /** The gateway types, in the order execnet checks them. */
    public static final List<String> TYPES = List.of("popen", "ssh", "vagrant_ssh", "socket");

    /** The interpreter a gateway runs when its spec has no {@code python=}. */
    public static final String DEFAULT_PYTHON = "python3";

    /** The execution models a remote interpreter can run tasks with. */
    public static final List<String> EXECMODELS = List.of("thread", "main_thread_only", "eventlet", "gevent");

    /**
     * Every key a spec may hold, besides the types and {@code env:NAME}. Keys of execnet4j's own
     * (execnet ignores them): {@code token-file=PATH} (a socket server's token) and {@code fresh}
     * (bare: the gateway starts a fresh interpreter even where it could be forked from a warm
     * one, see {@code EngineSettings.warmStart()} of execnet4j-core).
     */
    public static final Set<String> OPTION_KEYS = Set.of(
            "id", "python", "chdir", "nice", "dont_write_bytecode", "execmodel", "ssh_config", "via", "installvia",
            "token-file", "fresh");

    private static final Set<String> BARE_KEYS = Set.of("popen", "dont_write_bytecode", "socket", "fresh");
    private static final String ENV_PREFIX = "env:";

    private final String text;
    private final Map<String, String> items;
    private final Map<String, String> env;

    private Spec(String text, Map<String, String> items, Map<String, String> env) {
        this.text = text;
        this.items = items;
        this.env = env;
    }

    /**
     * Parses a spec string.
     *
     * @param text items separated by {@code //}, each {@code key=value} or a bare key, e.g.
     *     {@code ssh=user@host//python=python3//env:LANG=C}; exactly one item names the type
     * @return the spec
     * @throws InvalidSpecException naming the part that is wrong
     */
    public static Spec parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidSpecException(String.valueOf(text), "the spec is empty; expected e.g. 'popen' or 'ssh=user@host'");
        }
        Map<String, String> items = new LinkedHashMap<>();
        Map<String, String> env = new LinkedHashMap<>();
        String[] parts = text.split("//", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.isEmpty()) {
                throw new InvalidSpecException(text, "item " + (i + 1) + " is empty (a '//' too many?)");
            }
            int eq = part.indexOf('=');
            String key = eq < 0 ? part : part.substring(0, eq);
            String value = eq < 0 ? null : part.substring(eq + 1);
            if (key.startsWith(ENV_PREFIX)) {
                addEnv(text, env, key.substring(ENV_PREFIX.length()), value);
            } else {
                checkItem(text, key, value);
                if (items.containsKey(key)) {
                    throw new InvalidSpecException(text, "duplicate key '" + key + "'");
                }
                items.put(key, value);
            }
        }
        checkCombination(text, items);
        return new Spec(text, Collections.unmodifiableMap(items), Collections.unmodifiableMap(env));
    }

    private static void addEnv(String text, Map<String, String> env, String name, String value) {
        if (name.isEmpty()) {
            throw new InvalidSpecException(text, "'env:' needs a variable name, as in env:NAME=value");
        }
        if (value == null) {
            throw new InvalidSpecException(text, "'env:" + name + "' needs a value, as in env:" + name + "=value");
        }
        if (name.chars().anyMatch(c -> c == '\0' || Character.isWhitespace(c))) {
            throw new InvalidSpecException(text, "environment variable name '" + name + "' contains whitespace or NUL");
        }
        if (env.putIfAbsent(name, value) != null) {
            throw new InvalidSpecException(text, "duplicate key 'env:" + name + "'");
        }
    }

    private static void checkItem(String text, String key, String value) {
        if (key.isEmpty()) {
            throw new InvalidSpecException(text, "item '=" + value + "' has no key");
        }
        if (!TYPES.contains(key) && !OPTION_KEYS.contains(key)) {
            throw new InvalidSpecException(text, "unknown key '" + key + "'; known keys: " + String.join(", ", TYPES)
                    + ", " + String.join(", ", OPTION_KEYS.stream().sorted().toList()) + ", env:NAME");
        }
        if (BARE_KEYS.contains(key)) {
            if (value != null && !key.equals("socket")) {
                throw new InvalidSpecException(text, "'" + key + "' takes no value (found '" + key + "=" + value + "')");
            }
            return;
        }
        if (value == null || value.isBlank()) {
            throw new InvalidSpecException(text, "'" + key + "' needs a value, as in " + key + "=...");
        }
        switch (key) {
            case "nice" -> {
                try {
                    Integer.parseInt(value.strip());
                } catch (NumberFormatException e) {
                    throw new InvalidSpecException(text, "nice=" + value + " is not an integer");
                }
            }
            case "execmodel" -> {
                if (!EXECMODELS.contains(value)) {
                    throw new InvalidSpecException(text, "unknown execmodel '" + value + "'; one of " + EXECMODELS);
                }
            }
            case "id" -> {
                if (value.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
                    throw new InvalidSpecException(text, "gateway id '" + value + "' contains whitespace or control characters");
                }
            }
            default -> {
                // free-form value
            }
        }
    }

    private static void checkCombination(String text, Map<String, String> items) {
        List<String> types = TYPES.stream().filter(items::containsKey).toList();
        if (types.isEmpty()) {
            throw new InvalidSpecException(text, "no gateway type; start with one of " + TYPES);
        }
        if (types.size() > 1) {
            throw new InvalidSpecException(text, "more than one gateway type: " + types);
        }
        boolean socket = types.get(0).equals("socket");
        if (socket && items.get("socket") == null && !items.containsKey("installvia")) {
            throw new InvalidSpecException(text, "'socket' needs HOST:PORT (socket=HOST:PORT) unless installvia= is given");
        }
        if (!socket && items.containsKey("token-file")) {
            throw new InvalidSpecException(text, "'token-file' only goes with a socket gateway");
        }
        if (!socket && items.containsKey("installvia")) {
            throw new InvalidSpecException(text, "'installvia' only goes with a socket gateway");
        }
        if (socket && items.containsKey("via")) {
            throw new InvalidSpecException(text, "a socket gateway cannot be proxied with 'via'; use installvia");
        }
        if (socket && items.containsKey("python")) {
            throw new InvalidSpecException(text, "'python' cannot be chosen for a socket gateway (the server's interpreter runs it)");
        }
    }

    /** {@return the gateway type: one of {@link #TYPES}} */
    public String type() {
        return TYPES.stream().filter(items::containsKey).findFirst().orElseThrow();
    }

    /**
     * The value of the type item: the ssh arguments of {@code ssh=...}, the {@code HOST:PORT} of
     * {@code socket=...}, the machine of {@code vagrant_ssh=...}; empty for {@code popen}.
     *
     * @return the target, or empty when the type item is bare
     */
    public Optional<String> target() {
        return Optional.ofNullable(items.get(type()));
    }

    /**
     * The value of any non-{@code env:} key.
     *
     * @param key an item key such as {@code python} or {@code ssh_config}
     * @return its value, or empty when the key is absent or bare
     */
    public Optional<String> get(String key) {
        return Optional.ofNullable(items.get(key));
    }

    /**
     * Whether the key is present, bare or with a value.
     *
     * @param key an item key such as {@code dont_write_bytecode}
     * @return {@code true} if the spec has that item
     */
    public boolean has(String key) {
        return items.containsKey(key);
    }

    /** {@return the gateway id the spec asks for ({@code id=}), or empty for one the group picks} */
    public Optional<String> id() {
        return get("id");
    }

    /** {@return the remote interpreter command ({@code python=}), or empty for the transport's default} */
    public Optional<String> python() {
        return get("python");
    }

    /** {@return the directory the remote changes to after start-up ({@code chdir=}), or empty} */
    public Optional<String> chdir() {
        return get("chdir");
    }

    /** {@return the niceness increment the remote applies to itself ({@code nice=}), or empty} */
    public OptionalInt nice() {
        return get("nice").map(v -> OptionalInt.of(Integer.parseInt(v.strip()))).orElse(OptionalInt.empty());
    }

    /** {@return the {@code env:NAME=value} items, by name, in spec order} */
    public Map<String, String> env() {
        return env;
    }

    /** {@return whether the spec has {@code dont_write_bytecode}, which runs the interpreter with {@code -B}} */
    public boolean dontWriteBytecode() {
        return has("dont_write_bytecode");
    }

    /** {@return the execution model ({@code execmodel=}), one of {@link #EXECMODELS}, or empty} */
    public Optional<String> execmodel() {
        return get("execmodel");
    }

    /** {@return the id of the gateway this one is started through ({@code via=}), or empty} */
    public Optional<String> via() {
        return get("via");
    }

    /** {@return whether the remote needs a configuration step after start-up (chdir, nice or env)} */
    public boolean needsRemoteSetup() {
        return has("chdir") || has("nice") || !env.isEmpty();
    }

    /**
     * This spec with {@code //execmodel=...} appended unless it names an execution model already.
     *
     * @param execmodel one of {@link #EXECMODELS}
     * @return this spec, or a copy with the execution model
     * @throws InvalidSpecException when {@code execmodel} is not one of {@link #EXECMODELS}
     */
    public Spec withDefaultExecmodel(String execmodel) {
        return has("execmodel") ? this : parse(text + "//execmodel=" + execmodel);
    }

    /**
     * This spec with {@code //id=...} appended.
     *
     * @param id the gateway id
     * @return a copy with the id
     * @throws IllegalStateException if the spec has an id already
     * @throws InvalidSpecException if the id makes the spec invalid
     */
    public Spec withId(String id) {
        if (has("id")) {
            throw new IllegalStateException("spec '" + text + "' already has an id");
        }
        return parse(text + "//id=" + id);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Spec other && other.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /** The original spec text. */
    @Override
    public String toString() {
        return text;
    }
}
