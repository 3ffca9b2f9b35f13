package org.execnet4j.group.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

import org.execnet4j.api.ServiceProperties;
import org.execnet4j.api.Transport;
import org.execnet4j.core.TransportLocator;

/**
 * A {@link TransportLocator} over the {@link Transport} services a Declarative Services component
 * is bound to: a transport serves the type in its {@value ServiceProperties#TRANSPORT_TYPE} property (else its
 * {@link Transport#type()}), and of several for one type the highest {@code service.ranking} wins.
 */
public final class RegistryTransports implements TransportLocator {

    private record Offer(Transport transport, String type, int ranking) {
    }

    private final List<Offer> offers = new CopyOnWriteArrayList<>();

    /**
     * Records a transport service with its service properties.
     *
     * @param transport the service
     * @param properties its service properties; {@value ServiceProperties#TRANSPORT_TYPE} names
     *     the type served (else {@link Transport#type()}), {@code service.ranking} its precedence
     */
    public void add(Transport transport, Map<String, ?> properties) {
        Object ranking = properties.get("service.ranking");
        offers.add(new Offer(transport, typeOf(transport, properties), ranking instanceof Integer i ? i : 0));
    }

    /**
     * The spec type a transport service serves.
     *
     * @param transport the service
     * @param properties its service properties
     * @return its {@value ServiceProperties#TRANSPORT_TYPE} property, else {@link Transport#type()}
     */
    public static String typeOf(Transport transport, Map<String, ?> properties) {
        return properties.get(ServiceProperties.TRANSPORT_TYPE) instanceof String type ? type : transport.type();
    }

    /**
     * Forgets a transport service that went away.
     *
     * @param transport the service, the same instance given to {@link #add}
     */
    public void remove(Transport transport) {
        offers.removeIf(o -> o.transport() == transport);
    }

    @Override
    public Optional<Transport> find(String type) {
        Offer best = null;
        for (Offer o : offers) {
            if (o.type().equals(type) && (best == null || o.ranking() > best.ranking())) {
                best = o;
            }
        }
        return Optional.ofNullable(best).map(Offer::transport);
    }

    /** {@return the types that have a transport now, sorted} */
    public Set<String> types() {
        Set<String> types = new TreeSet<>();
        offers.forEach(o -> types.add(o.type()));
        return types;
    }
}
