package org.execnet4j.group;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.execnet4j.api.InvalidSpecException;
import org.execnet4j.api.ServiceProperties;
import org.execnet4j.api.Spec;

/**
 * The validated configuration of one configured group: the keys of an
 * {@code org.execnet4j.group-NAME.cfg} file (ConfigAdmin) or of {@code execnet4j.group.NAME.*}
 * (CDI), parsed in one place. {@link #parse} accepts what ConfigAdmin and property files deliver
 * (strings, numbers, string arrays, collections) and rejects every value it cannot read, naming
 * the key and the value; nothing bad is silently replaced by a default.
 */
public final class GroupConfiguration {
    /** Key: the group's name; optional, the caller supplies the default. */
    public static final String NAME = ServiceProperties.GROUP_NAME;
    /** Key: the gateways, spec strings separated by commas (or one per array element); required. */
    public static final String SPECS = ServiceProperties.GROUP_SPECS;
    /** Key: seconds a terminating gateway gets to exit before it is killed; default 5. */
    public static final String TERMINATE_TIMEOUT = "terminate.timeout";
    /** Key: the spec {@code Group.makeGateway()} without arguments starts; default {@code popen}. */
    public static final String DEFAULT_SPEC = "defaultSpec";
    /** Key: {@code eager} or {@code lazy}; default eager. */
    public static final String START = ServiceProperties.GROUP_START;
    /**
     * Key: {@code true} or {@code false}, whether the group's popen gateways are forked from warm
     * interpreters of the group's own; empty or absent: the launcher's setting (README "Fast start").
     */
    public static final String WARM_START = "warmStart";
    /** Every key this class reads. */
    public static final Set<String> KEYS = Set.of(NAME, SPECS, TERMINATE_TIMEOUT, DEFAULT_SPEC, START, WARM_START);

    /** The default of {@value #TERMINATE_TIMEOUT}. */
    public static final Duration DEFAULT_TERMINATE_TIMEOUT = Duration.ofSeconds(5);
    /** The default of {@value #DEFAULT_SPEC}. */
    public static final String DEFAULT_DEFAULT_SPEC = "popen";

    /** When a configured group starts its gateways. */
    public enum Start {
        /** As soon as the configuration is applied. */
        EAGER,
        /** On the first call that needs them (remoteExec, gateways, get, size). */
        LAZY;

        /**
         * The configuration value, {@code eager} or {@code lazy}.
         *
         * @return the lower-case name
         */
        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What {@link #parse} does with keys it does not know. */
    public enum UnknownKeys {
        /** Ignore them: ConfigAdmin dictionaries also carry framework properties (service.pid, ...). */
        IGNORE,
        /** Report each as a problem: every key under a CDI prefix is meant for the group. */
        REJECT
    }

    /**
     * One bad key.
     *
     * @param key the key, without any prefix
     * @param value the value as given, or {@code null} when the key is missing
     * @param reason what is wrong with it
     */
    public record Problem(String key, String value, String reason) {
        /**
         * The problem in words, naming the key with a prefix.
         *
         * @param keyPrefix what the key is written with in its source, e.g. {@code execnet4j.group.workers.}
         * @return e.g. {@code execnet4j.group.workers.start = sometimes: must be eager or lazy}
         */
        public String describe(String keyPrefix) {
            return value == null ? keyPrefix + key + ": " + reason : keyPrefix + key + " = " + value + ": " + reason;
        }

        @Override
        public String toString() {
            return describe("");
        }
    }

    private final String name;
    private final List<String> specs;
    private final Duration terminateTimeout;
    private final String defaultSpec;
    private final Start start;
    private final Optional<Boolean> warmStart;

    private GroupConfiguration(String name, List<String> specs, Duration terminateTimeout, String defaultSpec, Start start,
            Optional<Boolean> warmStart) {
        this.name = name;
        this.specs = List.copyOf(specs);
        this.terminateTimeout = terminateTimeout;
        this.defaultSpec = defaultSpec;
        this.start = start;
        this.warmStart = warmStart;
    }

    /**
     * Parses and validates one group's keys.
     *
     * @param defaultName the name when {@value #NAME} is absent or blank (the .cfg file's suffix, the CDI name)
     * @param values the keys (without prefix) and their values: strings, numbers, string arrays or collections
     * @param unknownKeys whether keys other than {@link #KEYS} are problems
     * @return the configuration
     * @throws InvalidGroupConfigurationException listing every problem found, not only the first
     */
    public static GroupConfiguration parse(String defaultName, Map<String, ?> values, UnknownKeys unknownKeys) {
        List<Problem> problems = new ArrayList<>();
        if (unknownKeys == UnknownKeys.REJECT) {
            for (String key : new TreeSet<>(values.keySet())) {
                if (!KEYS.contains(key)) {
                    problems.add(new Problem(key, text(values.get(key)), "unknown key (known: " + String.join(", ", new TreeSet<>(KEYS)) + ")"));
                }
            }
        }
        String name = text(values.get(NAME));
        name = name == null || name.isBlank() ? defaultName : name.strip();
        List<String> specs = specs(values, problems);
        Duration timeout = timeout(values.get(TERMINATE_TIMEOUT), problems);
        String defaultSpec = defaultSpec(values.get(DEFAULT_SPEC), problems);
        Start start = start(values.get(START), problems);
        Optional<Boolean> warmStart = warmStart(values.get(WARM_START), problems);
        if (!problems.isEmpty()) {
            throw new InvalidGroupConfigurationException(name, problems);
        }
        return new GroupConfiguration(name, specs, timeout, defaultSpec, start, warmStart);
    }

    private static List<String> specs(Map<String, ?> values, List<Problem> problems) {
        Object raw = values.get(SPECS);
        if (raw == null) {
            problems.add(new Problem(SPECS, null, "missing (the gateways, e.g. popen//id=w1, ssh=user@host)"));
            return List.of();
        }
        List<String> specs = new ArrayList<>();
        for (String value : texts(raw)) {
            for (String spec : value.split(",")) {
                if (!spec.isBlank()) {
                    specs.add(spec.strip());
                }
            }
        }
        if (specs.isEmpty()) {
            problems.add(new Problem(SPECS, text(raw), "names no gateway"));
        }
        for (String spec : specs) {
            checkSpec(SPECS, spec, problems);
        }
        return specs;
    }

    private static Duration timeout(Object raw, List<Problem> problems) {
        if (raw == null) {
            return DEFAULT_TERMINATE_TIMEOUT;
        }
        double seconds;
        if (raw instanceof Number number) {
            seconds = number.doubleValue();
        } else {
            try {
                seconds = Double.parseDouble(text(raw).strip());
            } catch (NumberFormatException e) {
                problems.add(new Problem(TERMINATE_TIMEOUT, text(raw), "not a number of seconds"));
                return DEFAULT_TERMINATE_TIMEOUT;
            }
        }
        if (!Double.isFinite(seconds) || seconds < 0 || seconds > Long.MAX_VALUE / 1000.0) {
            problems.add(new Problem(TERMINATE_TIMEOUT, text(raw), "must be a finite number of seconds, 0 or more"));
            return DEFAULT_TERMINATE_TIMEOUT;
        }
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    private static String defaultSpec(Object raw, List<Problem> problems) {
        String spec = text(raw);
        if (spec == null) {
            return DEFAULT_DEFAULT_SPEC;
        }
        if (spec.isBlank()) {
            problems.add(new Problem(DEFAULT_SPEC, spec, "is empty"));
            return DEFAULT_DEFAULT_SPEC;
        }
        checkSpec(DEFAULT_SPEC, spec.strip(), problems);
        return spec.strip();
    }

    private static Start start(Object raw, List<Problem> problems) {
        String value = text(raw);
        if (value == null) {
            return Start.EAGER;
        }
        for (Start start : Start.values()) {
            if (start.value().equalsIgnoreCase(value.strip())) {
                return start;
            }
        }
        problems.add(new Problem(START, value, "must be eager or lazy"));
        return Start.EAGER;
    }

    private static Optional<Boolean> warmStart(Object raw, List<Problem> problems) {
        if (raw == null || raw instanceof Boolean) {
            return Optional.ofNullable((Boolean) raw);
        }
        String value = text(raw).strip();
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Optional.of(Boolean.parseBoolean(value));
        }
        problems.add(new Problem(WARM_START, text(raw), "must be true or false"));
        return Optional.empty();
    }

    private static void checkSpec(String key, String spec, List<Problem> problems) {
        try {
            Spec.parse(spec);
        } catch (InvalidSpecException e) {
            problems.add(new Problem(key, spec, e.getMessage()));
        }
    }

    private static List<String> texts(Object raw) {
        if (raw instanceof String[] array) {
            return Arrays.asList(array);
        }
        if (raw instanceof Collection<?> collection) {
            return collection.stream().map(String::valueOf).toList();
        }
        return List.of(String.valueOf(raw));
    }

    private static String text(Object raw) {
        return raw == null ? null : String.join(", ", texts(raw));
    }

    /**
     * The group's name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The gateways' specs, in order; never empty.
     *
     * @return an immutable list
     */
    public List<String> specs() {
        return specs;
    }

    /**
     * How long a terminating gateway gets to exit.
     *
     * @return the timeout
     */
    public Duration terminateTimeout() {
        return terminateTimeout;
    }

    /**
     * What {@code Group.makeGateway()} without a spec starts.
     *
     * @return a spec
     */
    public String defaultSpec() {
        return defaultSpec;
    }

    /**
     * When the gateways start.
     *
     * @return the start policy
     */
    public Start start() {
        return start;
    }

    /**
     * Whether the gateways start on first use.
     *
     * @return {@code start() == LAZY}
     */
    public boolean isLazy() {
        return start == Start.LAZY;
    }

    /**
     * Whether the gateways are forked from warm interpreters of the group's own.
     *
     * @return the setting, or empty when the configuration leaves it to the launcher
     */
    public Optional<Boolean> warmStart() {
        return warmStart;
    }

    @Override
    public String toString() {
        return "group " + name + " " + specs + " start=" + start.value() + " terminate.timeout=" + terminateTimeout
                + warmStart.map(on -> " warmStart=" + on).orElse("");
    }
}
