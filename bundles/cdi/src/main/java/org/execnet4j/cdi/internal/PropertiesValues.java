package org.execnet4j.cdi.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Collections;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Keys from every {@value #RESOURCE} the application's class loader sees, overridden by system
 * properties: the configuration when there is no MicroProfile Config.
 */
final class PropertiesValues implements ConfigValues {
    /** The properties resource read. */
    static final String RESOURCE = "META-INF/execnet4j.properties";

    private final Map<String, String> values = new TreeMap<>();

    PropertiesValues(ClassLoader loader) {
        try {
            for (URL url : Collections.list(loader.getResources(RESOURCE))) {
                Properties properties = new Properties();
                try (InputStream in = url.openStream()) {
                    properties.load(in);
                }
                properties.stringPropertyNames().forEach(name -> values.put(name, properties.getProperty(name)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("execnet4j: cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
        Properties system = System.getProperties();
        system.stringPropertyNames().forEach(name -> values.put(name, system.getProperty(name)));
    }

    @Override
    public Map<String, String> startingWith(String prefix) {
        Map<String, String> found = new TreeMap<>();
        values.forEach((name, value) -> {
            if (name.startsWith(prefix)) {
                found.put(name, value);
            }
        });
        return found;
    }

    @Override
    public String describe() {
        return RESOURCE + " and system properties";
    }
}
