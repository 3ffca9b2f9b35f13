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
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Groups made in the shell by {@code execnet:gateway-create}: made through this bundle's
 * {@link GatewayFactory} and registered as {@link Group} services like configured groups, with
 * {@code start=shell}. They end with {@code execnet:group-terminate} or when this bundle stops.
 */
@Component(service = ShellGroups.class, immediate = true)
public final class ShellGroups {
    /** The {@code start} property value of groups made in the shell. */
    static final String ORIGIN = "shell";

    private record Made(Group group, ServiceRegistration<Group> registration) {
    }

    private final BundleContext context;
    private final GatewayFactory factory;
    private final Map<String, Made> made = new ConcurrentHashMap<>();

    /**
     * Keeps the shell's groups.
     *
     * @param context this bundle's context, to register the groups with
     * @param factory this bundle's gateway factory
     */
    @Activate
    public ShellGroups(BundleContext context, @Reference GatewayFactory factory) {
        this.context = context;
        this.factory = factory;
    }

    /** A new group registered under {@code name}. */
    Group create(String name) {
        Group group = factory.newGroup(name);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(ServiceProperties.GROUP_NAME, name);
        props.put(ServiceProperties.GROUP_START, ORIGIN);
        props.put("service.description", "execnet4j group " + name + " (made in the shell)");
        made.put(name, new Made(group, context.registerService(Group.class, group, props)));
        return group;
    }

    /** Unregisters and closes a group made in the shell; false for other groups. */
    boolean remove(String name) {
        Made removed = made.remove(name);
        if (removed == null) {
            return false;
        }
        removed.registration().unregister();
        removed.group().close();
        return true;
    }

    @Deactivate
    void deactivate() {
        made.keySet().forEach(this::remove);
    }
}
