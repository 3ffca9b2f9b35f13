package org.execnet4j.shell.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.execnet4j.api.Gateway;
import org.execnet4j.api.Group;
import org.execnet4j.api.ServiceProperties;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/** The {@link Group} services of the registry by their {@code name} property, and lookups of gateways in them. */
final class Groups {
    /** A gateway with the name of the group it is in. */
    record Located(String group, Gateway gateway) {
    }

    private final BundleContext context;

    Groups(BundleContext context) {
        this.context = context;
    }

    /** Every group by name, sorted by name. */
    Map<String, Group> all() {
        List<ServiceReference<Group>> refs;
        try {
            refs = new ArrayList<>(context.getServiceReferences(Group.class, "(name=*)"));
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        refs.sort((a, b) -> String.valueOf(a.getProperty(ServiceProperties.GROUP_NAME)).compareTo(String.valueOf(b.getProperty(ServiceProperties.GROUP_NAME))));
        Map<String, Group> groups = new LinkedHashMap<>();
        for (ServiceReference<Group> ref : refs) {
            Group group = context.getService(ref);
            if (group != null) {
                groups.putIfAbsent(String.valueOf(ref.getProperty(ServiceProperties.GROUP_NAME)), group);
                context.ungetService(ref);
            }
        }
        return groups;
    }

    /** The named group alone, or every group when {@code name} is null. */
    Map<String, Group> selected(String name) {
        return name == null ? all() : Map.of(name, group(name));
    }

    /** The service properties of the named group, if there is one. */
    Optional<ServiceReference<Group>> reference(String name) {
        try {
            return context.getServiceReferences(Group.class, "(name=" + escape(name) + ")").stream().findFirst();
        } catch (InvalidSyntaxException e) {
            return Optional.empty();
        }
    }

    /** The named group; fails with a one-line message listing the groups there are. */
    Group group(String name) {
        Group group = all().get(name);
        if (group == null) {
            throw new IllegalArgumentException("no group '" + name + "'; groups: " + String.join(", ", all().keySet()));
        }
        return group;
    }

    /** A gateway named {@code group/id}, or by an id that only one group has; fails with a one-line message. */
    Located gateway(String ref) {
        int slash = ref.indexOf('/');
        if (slash > 0) {
            String groupName = ref.substring(0, slash);
            String id = ref.substring(slash + 1);
            Gateway gateway = group(groupName).get(id).orElseThrow(
                    () -> new IllegalArgumentException("group '" + groupName + "' has no gateway '" + id + "'"));
            return new Located(groupName, gateway);
        }
        List<Located> found = new ArrayList<>();
        all().forEach((name, group) -> group.get(ref).ifPresent(g -> found.add(new Located(name, g))));
        if (found.isEmpty()) {
            throw new IllegalArgumentException("no gateway '" + ref + "'; see execnet:gateway-list");
        }
        if (found.size() > 1) {
            throw new IllegalArgumentException("gateway '" + ref + "' is in groups "
                    + String.join(", ", found.stream().map(Located::group).toList()) + "; say GROUP/" + ref);
        }
        return found.get(0);
    }

    /** Every gateway reference the completer offers: {@code group/id}, and {@code id} where it is unique. */
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

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("*", "\\*").replace("(", "\\(").replace(")", "\\)");
    }
}
