package org.execnet4j.cdi.internal;

import java.util.Map;
import java.util.TreeMap;

import org.execnet4j.group.GroupConfiguration;

/**
 * How CDI configuration names a group's keys: {@code execnet4j.group.NAME.KEY}, KEY one of
 * {@link GroupConfiguration#KEYS} (so a NAME may hold dots: {@code execnet4j.group.a.b.specs} is
 * group {@code a.b}).
 */
final class GroupKeys {
    /** What every key of a configured group starts with. */
    static final String PREFIX = "execnet4j.group.";

    private GroupKeys() {
    }

    /**
     * The prefix of one group's keys.
     *
     * @param name the group's name
     * @return {@code execnet4j.group.NAME.}
     */
    static String prefixOf(String name) {
        return PREFIX + name + ".";
    }

    /**
     * Sorts full keys by group: a key that ends in a known key belongs to the name before it; any
     * other key to the name up to its first dot (so that the parser reports it as unknown).
     *
     * @param values full keys (each starting with {@link #PREFIX}) and their values
     * @return group name to its keys (without prefix) and values, names in order
     */
    static Map<String, Map<String, String>> byGroup(Map<String, String> values) {
        Map<String, Map<String, String>> groups = new TreeMap<>();
        values.forEach((fullKey, value) -> {
            String rest = fullKey.substring(PREFIX.length());
            String key = GroupConfiguration.KEYS.stream().filter(k -> rest.endsWith("." + k)).findFirst()
                    .orElseGet(() -> rest.contains(".") ? rest.substring(rest.indexOf('.') + 1) : "");
            String name = key.isEmpty() ? rest : rest.substring(0, rest.length() - key.length() - 1);
            groups.computeIfAbsent(name, n -> new TreeMap<>()).put(key, value);
        });
        return groups;
    }
}
