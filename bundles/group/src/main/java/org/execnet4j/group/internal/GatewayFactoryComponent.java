package org.execnet4j.group.internal;

import java.util.function.Consumer;

import org.execnet4j.api.Gateway;
import org.execnet4j.api.GatewayFactory;
import org.execnet4j.api.Group;
import org.execnet4j.core.EngineSettings;
import org.execnet4j.group.DefaultGatewayFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;

/**
 * The {@link GatewayFactory} service: bundle-scoped, so each bundle gets its own
 * {@link DefaultGatewayFactory}, and every group that bundle made is terminated when it releases
 * the service or stops. Transports and the tracer come from {@link EngineWiring}; a transport
 * that goes away ends the gateways of its type, which would hold on to its classes.
 */
@Component(service = GatewayFactory.class, scope = ServiceScope.BUNDLE)
public final class GatewayFactoryComponent implements GatewayFactory {
    private final EngineWiring wiring;
    private final DefaultGatewayFactory factory;
    private final Consumer<String> endOnDeparture;

    /**
     * Activates the factory for one bundle.
     *
     * @param wiring the shared engine whose launcher the groups of this factory use
     */
    @Activate
    public GatewayFactoryComponent(@Reference EngineWiring wiring) {
        this.wiring = wiring;
        factory = new DefaultGatewayFactory(wiring.launcher(EngineSettings.DEFAULT_EXIT_TIMEOUT), wiring.gatewayEvents());
        endOnDeparture = factory::exitGatewaysOfType;
        wiring.onTransportDeparture(endOnDeparture);
    }

    @Deactivate
    void deactivate() {
        wiring.removeTransportDeparture(endOnDeparture);
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
