package org.execnet4j.shell.internal;

import java.time.Duration;
import java.util.Map;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.execnet4j.api.ExitOutcome;

/**
 * {@code execnet:group-terminate}: ends every gateway of a group. A group made in the shell goes
 * away; a configured one stays, empty, until its configuration changes.
 */
@Service
@Command(scope = "execnet", name = "group-terminate", description = "Exits every gateway of a group, killing those that do not exit in time")
public class GroupTerminateCommand implements Action {
    @Reference
    GroupDirectory groups;

    @Reference
    ShellGroups shellGroups;

    @Argument(index = 0, name = "group", description = "The group", required = true)
    @Completion(GroupNameCompleter.class)
    String groupName;

    @Option(name = "-t", aliases = "--timeout", description = "Seconds to wait before killing (default 5)")
    double timeout = 5;

    @Override
    public Object execute() throws CommandException {
        Map<String, ExitOutcome> outcomes = groups.group(groupName).terminate(Duration.ofMillis(Math.round(timeout * 1000)));
        outcomes.forEach((id, outcome) -> System.out.println(groupName + "/" + id + ": " + Values.describe(outcome)));
        if (shellGroups.remove(groupName)) {
            System.out.println("group " + groupName + " removed");
        } else if (outcomes.isEmpty()) {
            System.out.println("group " + groupName + " had no gateways");
        }
        return null;
    }
}
