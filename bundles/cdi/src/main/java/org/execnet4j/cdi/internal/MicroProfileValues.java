package org.execnet4j.cdi.internal;

import java.util.Map;
import java.util.TreeMap;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/** Keys from the application's MicroProfile Config (its properties, system properties, environment, server settings). */
final class MicroProfileValues implements ConfigValues {
    private final Config config;

    MicroProfileValues(ClassLoader loader) {
        this.config = ConfigProvider.getConfig(loader);
    }

    @Override
    public Map<String, String> startingWith(String prefix) {
        Map<String, String> values = new TreeMap<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(prefix)) {
                config.getOptionalValue(name, String.class).ifPresent(value -> values.put(name, value));
            }
        }
        return values;
    }

    @Override
    public String describe() {
        return "MicroProfile Config";
    }
}
