package org.execnet4j.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.GatewayFactory;
import org.execnet4j.api.Group;
import org.execnet4j.api.RemoteInfo;
import org.execnet4j.api.Spec;
import org.osgi.framework.BundleContext;

/**
 * {@code execnet:gateway-create}: starts a gateway in a group; a group that does not exist yet is
 * made, and ends with this bundle or {@code execnet:group-terminate}.
 */
@Service
@Command(scope = "execnet", name = "gateway-create", description = "Starts a gateway from a spec in a group (made if it does not exist)")
public class GatewayCreateCommand implements Action {
    @Reference
    BundleContext context;

    @Reference
    GatewayFactory factory;

    @Argument(index = 0, name = "group", description = "The group; a new one is made if there is none of this name", required = true)
    @Completion(GroupNameCompleter.class)
    String groupName;

    @Argument(index = 1, name = "spec", description = "The gateway spec, e.g. popen//python=python3 or ssh=user@host", required = true)
    String spec;

    @Override
    public Object execute() {
        try {
            Spec.parse(spec);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("bad spec '" + spec + "': " + Values.oneLine(e), e);
        }
        Group group = new Groups(context).all().get(groupName);
        boolean made = group == null;
        if (made) {
            group = ShellGroups.create(context, factory, groupName);
        }
        Gateway gateway;
        try {
            gateway = group.makeGateway(spec);
        } catch (RuntimeException e) {
            if (made) {
                group.close();
                ShellGroups.remove(groupName);
            }
            throw new IllegalArgumentException("cannot start '" + spec + "': " + Values.oneLine(e), e);
        }
        RemoteInfo info = Values.info(gateway);
        System.out.println(groupName + "/" + gateway.id() + " started: " + gateway.spec()
                + (info == null ? "" : " (pid " + info.pid() + ", python " + Values.version(info.versionInfo()) + ")"));
        return null;
    }
}
