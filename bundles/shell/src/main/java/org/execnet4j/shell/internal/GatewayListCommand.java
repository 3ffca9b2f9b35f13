package org.execnet4j.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.apache.karaf.shell.support.CommandException;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.RemoteInfo;
import org.execnet4j.api.RemoteStatus;

/** {@code execnet:gateway-list}: every gateway (or a group's) with its remote pid, Python version and channel count. */
@Service
@Command(scope = "execnet", name = "gateway-list", description = "Lists gateways: id, group, spec, pid, python, alive, channels")
public class GatewayListCommand implements Action {
    @Reference
    GroupDirectory groups;

    @Argument(index = 0, name = "group", description = "Only this group's gateways", required = false)
    @Completion(GroupNameCompleter.class)
    String groupName;

    @Override
    public Object execute() throws CommandException {
        ShellTable table = new ShellTable();
        for (String column : new String[] {"Id", "Group", "Spec", "Pid", "Python", "Alive", "Channels"}) {
            table.column(column);
        }
        groups.selected(groupName).forEach(entry -> {
            String name = entry.name();
            for (Gateway gateway : entry.group().gateways()) {
                RemoteInfo info = Values.info(gateway);
                table.addRow().addContent(gateway.id(), name, gateway.spec(),
                        info == null ? "-" : info.pid(),
                        info == null ? "-" : Values.version(info.versionInfo()),
                        gateway.isAlive(), channels(gateway));
            }
        });
        table.print(System.out);
        return null;
    }

    private static Object channels(Gateway gateway) {
        if (!gateway.isAlive()) {
            return "-";
        }
        try {
            RemoteStatus status = gateway.remoteStatus(Values.QUERY_TIMEOUT);
            return status.numChannels();
        } catch (RuntimeException e) {
            return "?";
        }
    }
}
