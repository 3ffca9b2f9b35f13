package org.execnet4j.core;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.ServiceLoader;

import org.execnet4j.api.Transport;

/** Finds the {@link Transport} for a spec type: through {@link ServiceLoader} in plain Java, through the service registry in OSGi. */
@FunctionalInterface
public interface TransportLocator {

    /** The transport for a type such as {@code popen}, if one is installed. */
    Optional<Transport> find(String type);

    /**
     * Transports registered in {@code META-INF/services} on the class path of the given loader,
     * each made once and then shared (an ssh transport shares connections among its gateways).
     */
    static TransportLocator serviceLoader(ClassLoader loader) {
        Map<String, Transport> byType = new ConcurrentHashMap<>();
        ServiceLoader<Transport> services = ServiceLoader.load(Transport.class, loader);
        return type -> {
            Transport known = byType.get(type);
            if (known != null) {
                return Optional.of(known);
            }
            synchronized (services) {
                services.forEach(t -> byType.putIfAbsent(t.type(), t));
            }
            return Optional.ofNullable(byType.get(type));
        };
    }
}
