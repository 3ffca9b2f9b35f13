package org.execnet4j.cdi.internal;

import java.util.Map;

/** Where the extension reads its keys: MicroProfile Config when the container has it, else properties. */
interface ConfigValues {
    /** The class that tells whether MicroProfile Config is there. */
    String MICROPROFILE_CONFIG = "org.eclipse.microprofile.config.ConfigProvider";

    /**
     * Every key that starts with the prefix, with its value.
     *
     * @param prefix e.g. {@code execnet4j.group.}
     * @return full keys (prefix included) and values
     */
    Map<String, String> startingWith(String prefix);

    /**
     * Where the values come from, for messages.
     *
     * @return e.g. {@code MicroProfile Config}
     */
    String describe();

    /**
     * MicroProfile Config if the application's class loader sees its API and an implementation,
     * else the properties files and system properties.
     *
     * @param loader the application's class loader
     * @return the source of configuration
     */
    static ConfigValues of(ClassLoader loader) {
        try {
            Class.forName(MICROPROFILE_CONFIG, false, loader);
        } catch (ClassNotFoundException | LinkageError absent) {
            return new PropertiesValues(loader);
        }
        try {
            return new MicroProfileValues(loader);
        } catch (IllegalStateException noImplementation) {
            return new PropertiesValues(loader);
        }
    }
}
