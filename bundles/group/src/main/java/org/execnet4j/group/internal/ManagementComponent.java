package org.execnet4j.group.internal;

import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.management.DynamicMBean;
import javax.management.NotCompliantMBeanException;
import javax.management.ObjectName;

import org.execnet4j.api.Gateway;
import org.execnet4j.api.Group;
import org.execnet4j.api.ServiceProperties;
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
 * {@link GatewayMBean} service for each of its gateways (kept in step every
 * {@value #SYNC_SECONDS} s), each with a {@code jmx.objectname} property: Karaf's JMX whiteboard
 * puts them into its MBean server, under its JMX ACLs.
 */
@Component(immediate = true)
public final class ManagementComponent {
    /** How often the gateway MBeans are brought in step with the groups' gateways. */
    static final int SYNC_SECONDS = 2;
    private static final String OBJECT_NAME = "jmx.objectname";

    /** A group's MBean registration and those of its gateways. */
    private static final class Registered {
        final String name;
        final Group group;
        final GroupBean bean;
        final ServiceRegistration<?> registration;
        final Map<Gateway, ServiceRegistration<?>> gateways = new HashMap<>();

        Registered(String name, Group group, GroupBean bean, ServiceRegistration<?> registration) {
            this.name = name;
            this.group = group;
            this.bean = bean;
            this.registration = registration;
        }
    }

    private final Map<Group, Registered> registered = new HashMap<>();
    private final BundleContext context;
    private final ScheduledExecutorService sync;

    /**
     * Starts keeping the gateway MBeans in step.
     *
     * @param context the group bundle's context, to register the MBean services with
     */
    @Activate
    public ManagementComponent(BundleContext context) {
        this.context = context;
        this.sync = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "execnet4j-jmx");
            t.setDaemon(true);
            return t;
        });
        sync.scheduleWithFixedDelay(this::syncGateways, SYNC_SECONDS, SYNC_SECONDS, TimeUnit.SECONDS);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, target = "(" + ServiceProperties.GROUP_NAME + "=*)")
    synchronized void addGroup(Group group, Map<String, Object> properties) throws NotCompliantMBeanException {
        String name = String.valueOf(properties.get(ServiceProperties.GROUP_NAME));
        GroupBean bean = new GroupBean(name, group, properties);
        ServiceRegistration<?> registration = register(GroupMBean.class, bean,
                GroupMBean.DOMAIN + ":type=Group,name=" + ObjectName.quote(name));
        registered.put(group, new Registered(name, group, bean, registration));
    }

    synchronized void updatedGroup(Group group, Map<String, Object> properties) {
        Registered entry = registered.get(group);
        if (entry != null) {
            entry.bean.update(properties);
        }
    }

    synchronized void removeGroup(Group group) {
        Registered entry = registered.remove(group);
        if (entry != null) {
            entry.gateways.values().forEach(ManagementComponent::unregister);
            unregister(entry.registration);
        }
    }

    @Deactivate
    synchronized void deactivate() {
        sync.shutdownNow();
        registered.keySet().stream().toList().forEach(this::removeGroup);
    }

    /** Registers an MBean for each new gateway of each group, and unregisters those of gateways that left. */
    synchronized void syncGateways() {
        for (Registered entry : registered.values()) {
            var now = entry.group.gateways();
            entry.gateways.entrySet().removeIf(e -> {
                if (now.contains(e.getKey())) {
                    return false;
                }
                unregister(e.getValue());
                return true;
            });
            for (Gateway gateway : now) {
                entry.gateways.computeIfAbsent(gateway, g -> {
                    try {
                        return register(GatewayMBean.class, new GatewayBean(entry.name, entry.group, g),
                                GroupMBean.DOMAIN + ":type=Gateway,group=" + ObjectName.quote(entry.name) + ",id=" + ObjectName.quote(g.id()));
                    } catch (NotCompliantMBeanException e) {
                        throw new IllegalStateException(e);
                    }
                });
            }
        }
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
