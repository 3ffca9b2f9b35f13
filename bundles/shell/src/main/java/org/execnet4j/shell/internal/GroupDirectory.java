package org.execnet4j.shell.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.karaf.shell.support.CommandException;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.Group;
import org.execnet4j.api.ServiceProperties;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The {@link Group} services of the registry (configured groups and those made in the shell), by
 * their {@code name} property, with their service properties; and lookups of gateways in them.
 * Declarative Services binds the groups, so a group stays usable for as long as it is listed.
 */
@Component(service = GroupDirectory.class)
public final class GroupDirectory {
    /** A group service: the group, its name and its service properties. */
    record Entry(String name, Group group, Map<String, Object> properties) {
        /** A service property as text, or {@code null}. */
        String property(String key) {
            Object value = properties.get(key);
            return value instanceof String[] values ? String.join(", ", values) : value == null ? null : value.toString();
        }

        /** A service property holding a list of texts; empty when absent. */
        List<String> list(String key) {
            Object value = properties.get(key);
            return value instanceof String[] values ? List.of(values) : value == null ? List.of() : List.of(value.toString());
        }
    }

    /** A gateway with the name of the group it is in. */
    record Located(String group, Gateway gateway) {
    }

    private final List<Entry> entries = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            target = "(" + ServiceProperties.GROUP_NAME + "=*)")
    void addGroup(Group group, Map<String, Object> properties) {
        entries.add(entry(group, properties));
    }

    /** New service properties replace the old in one step, so a lookup meanwhile still finds the group. */
    void updatedGroup(Group group, Map<String, Object> properties) {
        Entry updated = entry(group, properties);
        entries.replaceAll(e -> e.group() == group ? updated : e);
    }

    private static Entry entry(Group group, Map<String, Object> properties) {
        return new Entry(String.valueOf(properties.get(ServiceProperties.GROUP_NAME)), group, Map.copyOf(properties));
    }

    void removeGroup(Group group) {
        entries.removeIf(e -> e.group() == group);
    }

    /** Every group service, sorted by name (of two with one name, the first bound). */
    List<Entry> entries() {
        Map<String, Entry> byName = new LinkedHashMap<>();
        entries.stream().sorted(Comparator.comparing(Entry::name)).forEach(e -> byName.putIfAbsent(e.name(), e));
        return List.copyOf(byName.values());
    }

    /** Every group by name, sorted by name. */
    Map<String, Group> all() {
        Map<String, Group> groups = new LinkedHashMap<>();
        entries().forEach(e -> groups.put(e.name(), e.group()));
        return groups;
    }

    /**
     * The named group alone, or every group when {@code name} is null.
     *
     * @throws CommandException if there is no group of this name
     */
    List<Entry> selected(String name) throws CommandException {
        return name == null ? entries() : List.of(entry(name));
    }

    /**
     * The named group service.
     *
     * @throws CommandException naming the groups there are, if there is none of this name
     */
    Entry entry(String name) throws CommandException {
        return entries().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow(
                () -> new CommandException("no group '" + name + "'; groups: " + String.join(", ", all().keySet())));
    }

    /**
     * The named group.
     *
     * @throws CommandException naming the groups there are, if there is none of this name
     */
    Group group(String name) throws CommandException {
        return entry(name).group();
    }

    /**
     * A gateway named {@code group/id}, or by an id that only one group has.
     *
     * @throws CommandException with a one-line message if there is no such gateway, or several
     */
    Located gateway(String ref) throws CommandException {
        int slash = ref.indexOf('/');
        if (slash > 0) {
            String groupName = ref.substring(0, slash);
            String id = ref.substring(slash + 1);
            Gateway gateway = group(groupName).get(id).orElseThrow(
                    () -> new CommandException("group '" + groupName + "' has no gateway '" + id + "'"));
            return new Located(groupName, gateway);
        }
        List<Located> found = new ArrayList<>();
        all().forEach((name, group) -> group.get(ref).ifPresent(g -> found.add(new Located(name, g))));
        if (found.isEmpty()) {
            throw new CommandException("no group or gateway '" + ref + "'; see execnet:group-list and execnet:gateway-list");
        }
        if (found.size() > 1) {
            throw new CommandException("gateway '" + ref + "' is in groups "
                    + String.join(", ", found.stream().map(Located::group).toList()) + "; say GROUP/" + ref);
        }
        return found.get(0);
    }

    /** Every gateway reference the completers offer: {@code group/id}, and {@code id} where it is unique. */
    List<String> gatewayNames() {
        List<String> names = new ArrayList<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        all().forEach((name, group) -> group.gateways().forEach(g -> {
            names.add(name + "/" + g.id());
            counts.merge(g.id(), 1, Integer::sum);
        }));
        counts.forEach((id, n) -> {
            if (n == 1) {
                names.add(id);
            }
        });
        return names;
    }
}
