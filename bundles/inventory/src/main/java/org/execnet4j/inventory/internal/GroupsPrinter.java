package org.execnet4j.inventory.internal;

import java.io.PrintWriter;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.felix.inventory.Format;
import org.apache.felix.inventory.InventoryPrinter;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.Group;
import org.execnet4j.api.ServiceProperties;
import org.execnet4j.group.GroupHealth;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The inventory printer {@value #NAME} (a status page of the Felix Web Console, and part of its
 * configuration status zip): every group service with its start policy, specs and problems, and
 * each gateway with its spec and whether it is alive. Never starts a lazy group.
 */
@Component(property = {
    InventoryPrinter.NAME + "=" + GroupsPrinter.NAME,
    InventoryPrinter.TITLE + "=execnet4j groups",
    InventoryPrinter.FORMAT + "=TEXT"
})
public final class GroupsPrinter implements InventoryPrinter {
    /** The printer's name. */
    static final String NAME = "execnet4j";

    private final Map<Group, Map<String, Object>> groups = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            target = "(" + ServiceProperties.GROUP_NAME + "=*)")
    void addGroup(Group group, Map<String, Object> properties) {
        groups.put(group, properties);
    }

    void updatedGroup(Group group, Map<String, Object> properties) {
        groups.put(group, properties);
    }

    void removeGroup(Group group) {
        groups.remove(group);
    }

    @Override
    public void print(PrintWriter out, Format format, boolean isZip) {
        out.println("execnet4j groups: " + groups.size());
        groups.entrySet().stream().sorted(Comparator.comparing(e -> String.valueOf(e.getValue().get(ServiceProperties.GROUP_NAME))))
                .forEach(e -> print(out, e.getKey(), e.getValue()));
    }

    private static void print(PrintWriter out, Group group, Map<String, Object> properties) {
        out.println();
        out.println("group " + properties.get(ServiceProperties.GROUP_NAME) + " (" + text(properties.get(ServiceProperties.GROUP_START)) + ")");
        out.println("  specs: " + text(properties.get(ServiceProperties.GROUP_SPECS)));
        Object error = properties.get(ServiceProperties.GROUP_ERROR);
        if (error != null) {
            out.println("  configuration error: " + text(error));
        }
        Object failures = properties.get(ServiceProperties.GROUP_FAILURES);
        if (failures != null) {
            out.println("  did not start: " + text(failures));
        }
        if (group instanceof GroupHealth health && health.isWaitingForFirstUse()) {
            out.println("  gateways: none until first use");
            return;
        }
        for (Gateway gateway : group.gateways()) {
            out.println("  gateway " + gateway.id() + ": " + gateway.spec() + (gateway.isAlive() ? " (alive)" : " (ended)"));
        }
    }

    private static String text(Object value) {
        if (value instanceof String[] values) {
            return String.join(", ", values);
        }
        return value == null ? "" : value.toString();
    }
}
