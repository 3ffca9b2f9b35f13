package org.execnet4j.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.ServiceProperties;

/**
 * {@code execnet:group-list}: the groups, configured and made in the shell, with their gateway
 * counts and state; below the table, each gateway that did not start and each configuration
 * error, with why.
 */
@Service
@Command(scope = "execnet", name = "group-list", description = "Lists the gateway groups, their state and their problems")
public class GroupListCommand implements Action {
    @Reference
    GroupDirectory groups;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        for (String column : new String[] {"Name", "Start", "Gateways", "Alive", "State", "Specs"}) {
            table.column(column);
        }
        var entries = groups.entries();
        entries.forEach(entry -> {
            var gateways = entry.group().gateways();
            String start = entry.property(ServiceProperties.GROUP_START);
            String specs = entry.property(ServiceProperties.GROUP_SPECS);
            table.addRow().addContent(entry.name(), start == null ? "" : start, gateways.size(),
                    gateways.stream().filter(Gateway::isAlive).count(), Problems.state(entry), specs == null ? "" : specs);
        });
        table.print(System.out);
        Problems.print(entries, System.out);
        return null;
    }
}
