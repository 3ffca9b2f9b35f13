package org.execnet4j.shell.internal;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.execnet4j.api.GatewayFactory;
import org.execnet4j.api.Group;
import org.execnet4j.api.ServiceProperties;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * Groups made in the shell by {@code execnet:gateway-create}: made through this bundle's
 * {@link GatewayFactory} (so they end when this bundle stops) and registered as {@link Group}
 * services like configured groups, with {@code start=shell}.
 */
final class ShellGroups {
    /** The {@code start} property value of groups made in the shell. */
    static final String ORIGIN = "shell";

    private static final Map<String, ServiceRegistration<Group>> REGISTERED = new ConcurrentHashMap<>();

    private ShellGroups() {
    }

    /** A new group registered under {@code name}. */
    static Group create(BundleContext context, GatewayFactory factory, String name) {
        Group group = factory.newGroup(name);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(ServiceProperties.GROUP_NAME, name);
        props.put(ServiceProperties.GROUP_START, ORIGIN);
        props.put("service.description", "execnet4j group " + name + " (made in the shell)");
        REGISTERED.put(name, context.registerService(Group.class, group, props));
        return group;
    }

    /** Unregisters a group made in the shell; false for other groups. */
    static boolean remove(String name) {
        ServiceRegistration<Group> registration = REGISTERED.remove(name);
        if (registration == null) {
            return false;
        }
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // this bundle is stopping
        }
        return true;
    }
}
