package org.execnet4j.core;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.ServiceLoader;

import org.execnet4j.api.Transport;

/** Finds the {@link Transport} for a spec type: through {@link ServiceLoader} in plain Java, through the service registry in OSGi. */
@FunctionalInterface
public interface TransportLocator {

    /**
     * Finds the transport for a spec type.
     *
     * @param type a spec type such as {@code popen} or {@code ssh}
     * @return the installed transport for it, or empty if there is none
     */
    Optional<Transport> find(String type);

    /**
     * Transports registered in {@code META-INF/services} on the class path of the given loader,
     * each made once and then shared (an ssh transport shares connections among its gateways).
     *
     * @param loader the class loader whose {@code META-INF/services/org.execnet4j.api.Transport}
     *     files are read (lazily, on the first look-up of a type not yet known)
     * @return a thread-safe locator over those transports
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
