package org.execnet4j.shell.internal;

import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.apache.karaf.shell.support.CommandException;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.RemoteStatus;
import org.execnet4j.api.ServiceProperties;
import org.execnet4j.api.Tracer;
import org.execnet4j.api.Transport;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/** {@code execnet:status}: installed transports, tracing, and each gateway's remote status (channels, running tasks). */
@Service
@Command(scope = "execnet", name = "status", description = "Shows transports, tracing and the remote status of every gateway")
public class StatusCommand implements Action {
    @Reference
    GroupDirectory groups;

    @Reference
    BundleContext context;

    @Argument(index = 0, name = "group", description = "Only this group's gateways", required = false)
    @Completion(GroupNameCompleter.class)
    String groupName;

    @Override
    public Object execute() throws InvalidSyntaxException, CommandException {
        List<GroupDirectory.Entry> shown = groups.selected(groupName);
        TreeSet<String> transports = new TreeSet<>();
        for (ServiceReference<Transport> ref : context.getServiceReferences(Transport.class, null)) {
            transports.add(String.valueOf(ref.getProperty(ServiceProperties.TRANSPORT_TYPE)));
        }
        System.out.println("Transports: " + String.join(", ", transports));
        System.out.println("Tracing: " + tracing());
        ShellTable table = new ShellTable();
        Arrays.asList("Group", "Id", "Alive", "Channels", "Executing", "Execmodel").forEach(table::column);
        shown.forEach(entry -> {
            String name = entry.name();
            for (Gateway gateway : entry.group().gateways()) {
                RemoteStatus status = status(gateway);
                table.addRow().addContent(name, gateway.id(), gateway.isAlive(),
                        status == null ? "-" : status.numChannels(), status == null ? "-" : status.numExecuting(),
                        status == null ? "-" : status.execmodel());
            }
        });
        table.print(System.out);
        Problems.print(shown, System.out);
        return null;
    }

    private String tracing() {
        ServiceReference<Tracer> ref = context.getServiceReference(Tracer.class);
        if (ref == null) {
            return "off (no tracer service)";
        }
        Tracer tracer = context.getService(ref);
        try {
            return tracer != null && tracer.enabled() ? "on (EXECNET_DEBUG=" + tracer.remoteSetting() + ")" : "off";
        } finally {
            context.ungetService(ref);
        }
    }

    private static RemoteStatus status(Gateway gateway) {
        if (!gateway.isAlive()) {
            return null;
        }
        try {
            return gateway.remoteStatus(Values.QUERY_TIMEOUT);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
