package org.execnet4j.shell.internal;

import java.time.Duration;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.execnet4j.api.ExitOutcome;

/** {@code execnet:gateway-terminate}: asks one gateway to exit and kills it if it does not in time. */
@Service
@Command(scope = "execnet", name = "gateway-terminate", description = "Exits a gateway, killing it after the timeout",
        detailedDescription = "The gateway stays listed as not alive; a configured group starts it again when its "
                + "configuration is next updated.")
public class GatewayTerminateCommand implements Action {
    @Reference
    GroupDirectory groups;

    @Argument(index = 0, name = "gateway", description = "GROUP/ID, or an ID only one group has", required = true)
    @Completion(GatewayIdCompleter.class)
    String gatewayName;

    @Option(name = "-t", aliases = "--timeout", description = "Seconds to wait before killing (default 5)")
    double timeout = 5;

    @Override
    public Object execute() throws CommandException {
        GroupDirectory.Located located = groups.gateway(gatewayName);
        ExitOutcome outcome = located.gateway().exit(Duration.ofMillis(Math.round(timeout * 1000)));
        System.out.println(located.group() + "/" + located.gateway().id() + ": " + Values.describe(outcome));
        return null;
    }
}
