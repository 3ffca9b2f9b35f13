package org.execnet4j.group.internal;

import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import javax.management.DynamicMBean;
import javax.management.NotCompliantMBeanException;
import javax.management.ObjectName;

import org.execnet4j.api.Gateway;
import org.execnet4j.api.Group;
import org.execnet4j.api.ServiceProperties;
import org.execnet4j.group.GatewayListener;
import org.execnet4j.group.management.GatewayMBean;
import org.execnet4j.group.management.GroupMBean;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Registers a {@link GroupMBean} service for every {@link Group} service with a name, and a
 * {@link GatewayMBean} service for each of its gateways, as the group's gateways start and end
 * (told by {@link EngineWiring}'s gateway events, handled on a thread of its own), each with a
 * {@code jmx.objectname} property: Karaf's JMX whiteboard puts them into its MBean server, under
 * its JMX ACLs.
 */
@Component(immediate = true)
public final class ManagementComponent implements GatewayListener {
    private static final String OBJECT_NAME = "jmx.objectname";

    /** A group's MBean registration and those of its gateways. */
    private static final class Registered {
        final String name;
        final Group group;
        final ServiceRegistration<?> registration;
        final Map<Gateway, ServiceRegistration<?>> gateways = new HashMap<>();

        Registered(String name, Group group, ServiceRegistration<?> registration) {
            this.name = name;
            this.group = group;
            this.registration = registration;
        }
    }

    private final Map<Group, Registered> registered = new HashMap<>();
    private final Map<Group, GroupBean> beans = new HashMap<>();
    private final BundleContext context;
    private final EngineWiring wiring;
    private final ExecutorService events;

    /**
     * Starts following the gateways of the groups.
     *
     * @param context the group bundle's context, to register the MBean services with
     * @param wiring tells when gateways start and end
     */
    @Activate
    public ManagementComponent(BundleContext context, @Reference EngineWiring wiring) {
        this.context = context;
        this.wiring = wiring;
        this.events = Executors.newSingleThreadExecutor(task -> {
            Thread t = new Thread(task, "execnet4j-jmx");
            t.setDaemon(true);
            return t;
        });
        wiring.addGatewayListener(this);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, target = "(" + ServiceProperties.GROUP_NAME + "=*)")
    synchronized void addGroup(Group group, Map<String, Object> properties) throws NotCompliantMBeanException {
        String name = String.valueOf(properties.get(ServiceProperties.GROUP_NAME));
        GroupBean bean = new GroupBean(name, group, properties);
        ServiceRegistration<?> registration = register(GroupMBean.class, bean,
                GroupMBean.DOMAIN + ":type=Group,name=" + ObjectName.quote(name));
        Registered entry = new Registered(name, group, registration);
        registered.put(group, entry);
        beans.put(group, bean);
        // the gateways that started before the group became a service (later ones are told); a
        // lazy group that has not started is left so, as asking for its gateways would start it
        if (!(group instanceof ConfiguredGroup configured) || configured.isStarted()) {
            group.gateways().forEach(g -> registerGateway(entry, g));
        }
    }

    synchronized void updatedGroup(Group group, Map<String, Object> properties) {
        GroupBean bean = beans.get(group);
        if (bean != null) {
            bean.update(properties);
        }
    }

    synchronized void removeGroup(Group group) {
        beans.remove(group);
        Registered entry = registered.remove(group);
        if (entry != null) {
            entry.gateways.values().forEach(ManagementComponent::unregister);
            unregister(entry.registration);
        }
    }

    @Deactivate
    void deactivate() {
        wiring.removeGatewayListener(this);
        events.shutdownNow();
        synchronized (this) {
            registered.keySet().stream().toList().forEach(this::removeGroup);
        }
    }

    @Override
    public void started(String group, Gateway gateway) {
        handle(() -> registered.values().stream()
                .filter(e -> e.name.equals(group) && e.group.gateways().contains(gateway))
                .forEach(e -> registerGateway(e, gateway)));
    }

    @Override
    public void ended(String group, Gateway gateway) {
        handle(() -> registered.values().forEach(e -> {
            ServiceRegistration<?> registration = e.gateways.remove(gateway);
            if (registration != null) {
                unregister(registration);
            }
        }));
    }

    /** Runs a change of the registrations on the events thread (listeners must not block execnet4j's threads). */
    private void handle(Runnable change) {
        try {
            events.execute(() -> {
                synchronized (this) {
                    change.run();
                }
            });
        } catch (RejectedExecutionException deactivated) {
            // the component is going away and unregisters everything itself
        }
    }

    private void registerGateway(Registered entry, Gateway gateway) {
        entry.gateways.computeIfAbsent(gateway, g -> {
            try {
                return register(GatewayMBean.class, new GatewayBean(entry.name, entry.group, g),
                        GroupMBean.DOMAIN + ":type=Gateway,group=" + ObjectName.quote(entry.name) + ",id=" + ObjectName.quote(g.id()));
            } catch (NotCompliantMBeanException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private ServiceRegistration<?> register(Class<?> type, Object bean, String objectName) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(OBJECT_NAME, objectName);
        return context.registerService(new String[] {type.getName(), DynamicMBean.class.getName()}, bean, props);
    }

    private static void unregister(ServiceRegistration<?> registration) {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework unregistered it with the bundle
        }
    }
}
