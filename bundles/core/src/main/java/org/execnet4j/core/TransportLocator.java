package org.execnet4j.core;

import java.util.Optional;
import java.util.ServiceLoader;

import org.execnet4j.api.Transport;

/** Finds the {@link Transport} for a spec type: through {@link ServiceLoader} in plain Java, through the service registry in OSGi. */
@FunctionalInterface
public interface TransportLocator {

    /** The transport for a type such as {@code popen}, if one is installed. */
    Optional<Transport> find(String type);

    /** Transports registered in {@code META-INF/services} on the class path of the given loader. */
    static TransportLocator serviceLoader(ClassLoader loader) {
        return type -> ServiceLoader.load(Transport.class, loader).stream()
                .map(ServiceLoader.Provider::get)
                .filter(t -> t.type().equals(type))
                .findFirst();
    }
}
