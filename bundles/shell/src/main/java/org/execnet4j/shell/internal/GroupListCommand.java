package org.execnet4j.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.Group;
import org.execnet4j.api.ServiceProperties;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/** {@code execnet:group-list}: the groups, configured and made in the shell, with their gateway counts. */
@Service
@Command(scope = "execnet", name = "group-list", description = "Lists the gateway groups")
public class GroupListCommand implements Action {
    @Reference
    BundleContext context;

    @Override
    public Object execute() {
        Groups groups = new Groups(context);
        ShellTable table = new ShellTable();
        table.column("Name");
        table.column("Start");
        table.column("Gateways");
        table.column("Alive");
        table.column("Specs");
        groups.all().forEach((name, group) -> {
            ServiceReference<Group> ref = groups.reference(name).orElse(null);
            Object start = ref == null ? null : ref.getProperty(ServiceProperties.GROUP_START);
            Object specs = ref == null ? null : ref.getProperty(ServiceProperties.GROUP_SPECS);
            var gateways = group.gateways();
            table.addRow().addContent(name, start == null ? "" : start, gateways.size(),
                    gateways.stream().filter(Gateway::isAlive).count(),
                    specs instanceof String[] list ? String.join(", ", list) : "");
        });
        table.print(System.out);
        return null;
    }
}
