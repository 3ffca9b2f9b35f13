package org.execnet4j.healthcheck.internal;

import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.felix.hc.api.HealthCheck;
import org.execnet4j.api.ServiceProperties;
import org.execnet4j.group.GroupHealth;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Registers a {@link HealthCheck} service for every configured group ({@link GroupHealth}
 * service), named {@code execnet4j group NAME}, tagged {@value #TAG}, with an MBean
 * {@code execnet4j-group-NAME} (Felix HC's JMX bridge).
 */
@Component(immediate = true)
public final class GroupHealthChecks {
    /** The tag of every execnet4j health check. */
    static final String TAG = "execnet4j";

    /** A group's check and its registration. */
    private record Registered(ServiceRegistration<HealthCheck> registration, AtomicReference<Map<String, Object>> properties) {
    }

    private final BundleContext context;
    private final Map<GroupHealth, Registered> registered = new HashMap<>();
    private boolean active = true;

    /**
     * @param context this bundle's context, to register the checks with
     */
    @Activate
    public GroupHealthChecks(BundleContext context) {
        this.context = context;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            target = "(" + ServiceProperties.GROUP_NAME + "=*)")
    synchronized void addGroup(GroupHealth group, Map<String, Object> properties) {
        if (!active) {
            return;
        }
        AtomicReference<Map<String, Object>> current = new AtomicReference<>(properties);
        GroupHealthCheck check = new GroupHealthCheck(group, () -> error(current.get()));
        registered.put(group, new Registered(context.registerService(HealthCheck.class, check, checkProperties(group.name())), current));
    }

    synchronized void updatedGroup(GroupHealth group, Map<String, Object> properties) {
        Registered entry = registered.get(group);
        if (entry != null) {
            entry.properties().set(properties);
        }
    }

    synchronized void removeGroup(GroupHealth group) {
        Registered entry = registered.remove(group);
        if (entry != null) {
            unregister(entry.registration());
        }
    }

    @Deactivate
    synchronized void deactivate() {
        active = false;
        registered.values().forEach(r -> unregister(r.registration()));
        registered.clear();
    }

    private static String error(Map<String, Object> properties) {
        Object error = properties.get(ServiceProperties.GROUP_ERROR);
        return error == null ? null : error.toString();
    }

    private static Dictionary<String, Object> checkProperties(String name) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(HealthCheck.NAME, "execnet4j group " + name);
        props.put(HealthCheck.TAGS, new String[] {TAG});
        props.put(HealthCheck.MBEAN_NAME, "execnet4j-group-" + name);
        return props;
    }

    private static void unregister(ServiceRegistration<?> registration) {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework unregistered it with the bundle
        }
    }
}
