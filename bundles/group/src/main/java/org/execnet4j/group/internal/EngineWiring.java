package org.execnet4j.group.internal;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.execnet4j.api.Tracer;
import org.execnet4j.api.Transport;
import org.execnet4j.core.EngineSettings;
import org.execnet4j.core.ExecAudit;
import org.execnet4j.core.GatewayLauncher;
import org.execnet4j.group.GatewayListener;
import org.execnet4j.trace.SwitchableTracer;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The one place in OSGi that binds the {@link Transport} services and the {@link Tracer}, and
 * makes the launchers of the group components from them, and passes on the gateway events of their groups; a service of this bundle only (its
 * package is not exported). Components that start gateways reference it and may listen for
 * transports that arrive.
 */
@Component(service = EngineWiring.class, configurationPid = EngineWiring.AUDIT_PID)
@Designate(ocd = EngineWiring.AuditConfig.class)
public final class EngineWiring {
    /** The configuration PID that switches the audit of every {@code remoteExec} on and off. */
    public static final String AUDIT_PID = "org.execnet4j.audit";

    /** What the configuration {@value EngineWiring#AUDIT_PID} holds. */
    @ObjectClassDefinition(name = "execnet4j audit",
            description = "One line on the logger org.execnet4j.audit for every remoteExec of every gateway "
                    + "(execnet:exec is audited in any case).")
    public @interface AuditConfig {
        /** {@return whether every remoteExec is audited} */
        @AttributeDefinition(name = "Enabled", description = "Audit every remoteExec: the calling bundle, the group "
                + "and gateway, the SHA-256 of the source and its first line. Without this configuration the system "
                + "property execnet4j.audit=true switches it on.")
        boolean enabled() default false;
    }

    private final RegistryTransports transports = new RegistryTransports();
    private final SwitchableTracer tracer = new SwitchableTracer();
    private final CopyOnWriteArrayList<Runnable> arrivalListeners = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<Consumer<String>> departureListeners = new CopyOnWriteArrayList<>();
    private final GatewayEvents gatewayEvents = new GatewayEvents();
    private volatile boolean audit = Boolean.getBoolean(ExecAudit.PROPERTY);
    private final ExecAudit execAudit = ExecAudit.log(EngineWiring::bundleName, () -> audit);

    /**
     * Applies the audit configuration, without restarting anything: {@code enabled} if the
     * configuration has it, else the system property {@value ExecAudit#PROPERTY}.
     *
     * @param properties the configuration {@value #AUDIT_PID}, or only the component's properties
     */
    @Activate
    @Modified
    void configure(Map<String, Object> properties) {
        Object enabled = properties.get("enabled");
        audit = enabled == null ? Boolean.getBoolean(ExecAudit.PROPERTY) : Boolean.parseBoolean(enabled.toString());
    }

    /** The symbolic name of the bundle of a class, or {@code java} for a class outside a bundle. */
    private static String bundleName(Class<?> type) {
        Bundle bundle = FrameworkUtil.getBundle(type);
        return bundle == null ? "java" : bundle.getSymbolicName();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addTransport(Transport transport, Map<String, Object> properties) {
        transports.add(transport, properties);
        arrivalListeners.forEach(Runnable::run);
    }

    void removeTransport(Transport transport, Map<String, Object> properties) {
        transports.remove(transport);
        String type = RegistryTransports.typeOf(transport, properties);
        departureListeners.forEach(l -> l.accept(type));
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setTracer(Tracer service) {
        tracer.set(service);
    }

    void unsetTracer(Tracer service) {
        tracer.unset(service);
    }

    /**
     * A launcher over the bound transports and tracer.
     *
     * @param exitTimeout how long its gateways get to exit before they are killed
     * @return the launcher, whose audit follows the configuration {@value #AUDIT_PID}
     */
    public GatewayLauncher launcher(Duration exitTimeout) {
        return new GatewayLauncher(transports,
                EngineSettings.builder().tracer(tracer).execAudit(execAudit).exitTimeout(exitTimeout).build());
    }

    /**
     * The listener to give every group made in OSGi, so that {@link #addGatewayListener} hears of
     * all their gateways.
     *
     * @return the listener that passes events on
     */
    public GatewayListener gatewayEvents() {
        return gatewayEvents;
    }

    /**
     * Tells {@code listener} (on execnet4j's threads) whenever a gateway of a group made in OSGi
     * starts or ends.
     *
     * @param listener what to tell
     */
    public void addGatewayListener(GatewayListener listener) {
        gatewayEvents.add(listener);
    }

    /**
     * Stops telling {@code listener}.
     *
     * @param listener what was added
     */
    public void removeGatewayListener(GatewayListener listener) {
        gatewayEvents.remove(listener);
    }

    /** @return the spec types that have a transport now */
    public Set<String> transportTypes() {
        return transports.types();
    }

    /**
     * Calls {@code listener} (on the registering thread) whenever a transport arrives.
     *
     * @param listener what to run
     */
    public void onTransportArrival(Runnable listener) {
        arrivalListeners.add(listener);
    }

    /**
     * Stops calling {@code listener}.
     *
     * @param listener what was registered
     */
    public void removeTransportArrival(Runnable listener) {
        arrivalListeners.remove(listener);
    }

    /**
     * Calls {@code listener} with the spec type (on the unregistering thread, before the transport
     * bundle stops) whenever a transport goes away, so gateways it runs can end first.
     *
     * @param listener what to run
     */
    public void onTransportDeparture(Consumer<String> listener) {
        departureListeners.add(listener);
    }

    /**
     * Stops calling {@code listener}.
     *
     * @param listener what was registered
     */
    public void removeTransportDeparture(Consumer<String> listener) {
        departureListeners.remove(listener);
    }
}
