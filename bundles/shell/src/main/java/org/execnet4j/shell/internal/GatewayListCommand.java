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
import org.execnet4j.api.GatewayMetrics;
import org.execnet4j.api.RemoteInfo;
import org.execnet4j.api.RemoteStatus;

/**
 * {@code execnet:gateway-list}: every gateway (or a group's) with its remote pid, Python version,
 * the channels open on the remote, and the host's counts of messages (frames) and bytes in and out
 * and of channels opened.
 */
@Service
@Command(scope = "execnet", name = "gateway-list",
        description = "Lists gateways: id, group, spec, pid, python, alive, remote channels, messages and bytes in and out, channels opened")
public class GatewayListCommand implements Action {
    @Reference
    GroupDirectory groups;

    @Argument(index = 0, name = "group", description = "Only this group's gateways", required = false)
    @Completion(GroupNameCompleter.class)
    String groupName;

    @Override
    public Object execute() throws CommandException {
        ShellTable table = new ShellTable();
        for (String column : new String[] {"Id", "Group", "Spec", "Pid", "Python", "Alive", "Channels", "Msgs in", "Msgs out", "Bytes in",
            "Bytes out", "Opened"}) {
            table.column(column);
        }
        groups.selected(groupName).forEach(entry -> {
            String name = entry.name();
            for (Gateway gateway : entry.group().gateways()) {
                RemoteInfo info = Values.info(gateway);
                Object channels = channels(gateway);
                GatewayMetrics metrics = gateway.metrics();
                table.addRow().addContent(gateway.id(), name, gateway.spec(),
                        info == null ? "-" : info.pid(),
                        info == null ? "-" : Values.version(info.versionInfo()),
                        gateway.isAlive(), channels, metrics.messagesReceived(), metrics.messagesSent(),
                        metrics.bytesReceived(), metrics.bytesSent(), metrics.channelsOpened());
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
