package org.execnet4j.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.Group;
import org.execnet4j.api.RemoteInfo;
import org.execnet4j.api.Spec;

/**
 * {@code execnet:gateway-create}: starts a gateway in a group; a group that does not exist yet is
 * made, and ends with this bundle or {@code execnet:group-terminate}.
 */
@Service
@Command(scope = "execnet", name = "gateway-create", description = "Starts a gateway from a spec in a group (made if it does not exist)")
public class GatewayCreateCommand implements Action {
    @Reference
    GroupDirectory groups;

    @Reference
    ShellGroups shellGroups;

    @Argument(index = 0, name = "group", description = "The group; a new one is made if there is none of this name", required = true)
    @Completion(GroupNameCompleter.class)
    String groupName;

    @Argument(index = 1, name = "spec", description = "The gateway spec, e.g. popen//python=python3 or ssh=user@host", required = true)
    String spec;

    @Override
    public Object execute() throws CommandException {
        try {
            Spec.parse(spec);
        } catch (RuntimeException e) {
            throw new CommandException("bad spec '" + spec + "': " + Values.oneLine(e));
        }
        Group group = groups.all().get(groupName);
        boolean made = group == null;
        if (made) {
            group = shellGroups.create(groupName);
        }
        Gateway gateway;
        try {
            gateway = group.makeGateway(spec);
        } catch (RuntimeException e) {
            if (made) {
                shellGroups.remove(groupName);
            }
            throw new CommandException("cannot start '" + spec + "': " + Values.oneLine(e));
        }
        RemoteInfo info = Values.info(gateway);
        System.out.println(groupName + "/" + gateway.id() + " started: " + gateway.spec()
                + (info == null ? "" : " (pid " + info.pid() + ", python " + Values.version(info.versionInfo()) + ")"));
        return null;
    }
}
