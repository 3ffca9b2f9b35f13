package org.execnet4j.group.internal;

import java.util.Map;

import org.execnet4j.api.Gateway;
import org.execnet4j.api.GatewayFactory;
import org.execnet4j.api.Group;
import org.execnet4j.api.Tracer;
import org.execnet4j.api.Transport;
import org.execnet4j.core.EngineSettings;
import org.execnet4j.core.GatewayLauncher;
import org.execnet4j.group.DefaultGatewayFactory;
import org.execnet4j.trace.SwitchableTracer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.annotations.ServiceScope;

/**
 * The {@link GatewayFactory} service: bundle-scoped, so each bundle gets its own
 * {@link DefaultGatewayFactory}, and every group that bundle made is terminated when it releases
 * the service or stops. Transports come from the service registry; a transport that goes away
 * ends the gateways of its type.
 */
@Component(service = GatewayFactory.class, scope = ServiceScope.BUNDLE)
public final class GatewayFactoryComponent implements GatewayFactory {
    private final RegistryTransports transports = new RegistryTransports();
    private final SwitchableTracer tracer = new SwitchableTracer();
    private volatile DefaultGatewayFactory factory;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addTransport(Transport transport, Map<String, Object> properties) {
        transports.add(transport, properties);
    }

    /** Forgets a transport that went away and ends the gateways of its type, which would hold on to its classes. */
    void removeTransport(Transport transport, Map<String, Object> properties) {
        transports.remove(transport);
        DefaultGatewayFactory current = factory;
        if (current != null) {
            current.exitGatewaysOfType(RegistryTransports.typeOf(transport, properties));
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setTracer(Tracer service) {
        tracer.set(service);
    }

    void unsetTracer(Tracer service) {
        tracer.unset(service);
    }

    @Activate
    void activate() {
        factory = new DefaultGatewayFactory(new GatewayLauncher(transports, EngineSettings.builder().tracer(tracer).build()));
    }

    @Deactivate
    void deactivate() {
        factory.close();
    }

    @Override
    public Group newGroup(String name) {
        return factory.newGroup(name);
    }

    @Override
    public Gateway makeGateway(String spec) {
        return factory.makeGateway(spec);
    }
}
