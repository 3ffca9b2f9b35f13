package org.execnet4j.shell.internal;

import java.util.ArrayList;
import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes what {@code execnet:exec} runs on: group names and gateway ids. */
@Service
public class GatewayOrGroupCompleter implements Completer {
    @Reference
    GroupDirectory groups;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        List<String> names = new ArrayList<>(groups.all().keySet());
        names.addAll(groups.gatewayNames());
        return new StringsCompleter(names).complete(session, commandLine, candidates);
    }
}
