package org.execnet4j.shell.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.execnet4j.api.Channel;
import org.execnet4j.api.ChannelClosedException;
import org.execnet4j.api.ChannelTimeoutException;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.Group;
import org.execnet4j.api.RemoteError;
import org.osgi.framework.BundleContext;

/**
 * {@code execnet:exec}: runs Python source (given or read from a file) on one gateway or on every
 * gateway of a group, and prints each value the remote sends with {@code channel.send}, prefixed
 * by the gateway when there are several.
 */
@Service
@Command(scope = "execnet", name = "exec", description = "Runs Python on a gateway or on every gateway of a group and prints what it sends",
        detailedDescription = "Prints every value the code sends with channel.send(...), until the code ends. What it prints "
                + "with print() goes to the log (logger org.execnet4j.remote.<gateway id>), as all remote output does.")
public class ExecCommand implements Action {
    @Reference
    BundleContext context;

    @Argument(index = 0, name = "target", description = "A group name, GROUP/ID or a gateway ID", required = true)
    @Completion(GatewayOrGroupCompleter.class)
    String target;

    @Argument(index = 1, name = "source", description = "The Python source; it sees 'channel' (omit with --file)", required = false)
    String source;

    @Option(name = "-f", aliases = "--file", description = "Read the Python source from this file")
    String file;

    @Option(name = "-t", aliases = "--timeout", description = "Seconds to wait for each value (default 30)")
    double timeout = 30;

    @Override
    public Object execute() throws IOException {
        String code = code();
        Map<String, Gateway> gateways = targets(new Groups(context));
        boolean prefixed = gateways.size() > 1;
        Map<String, Channel> channels = new LinkedHashMap<>();
        gateways.forEach((name, gateway) -> channels.put(name, gateway.remoteExec(code)));
        String firstError = null;
        int failed = 0;
        for (Map.Entry<String, Channel> entry : channels.entrySet()) {
            String error = printAll(entry.getKey(), entry.getValue(), prefixed);
            if (error != null) {
                failed++;
                firstError = firstError == null ? error : firstError;
                if (prefixed) {
                    System.err.println(error);
                }
            }
        }
        if (failed > 0) {
            throw new IllegalStateException(prefixed ? failed + " of " + channels.size() + " gateways failed" : firstError);
        }
        return null;
    }

    private String code() throws IOException {
        if (file != null && source != null) {
            throw new IllegalArgumentException("give the source or --file, not both");
        }
        if (file != null) {
            return Files.readString(Path.of(file));
        }
        if (source == null) {
            throw new IllegalArgumentException("no source: give it as the second argument or with --file");
        }
        return source;
    }

    private Map<String, Gateway> targets(Groups groups) {
        Map<String, Gateway> gateways = new LinkedHashMap<>();
        Group group = groups.all().get(target);
        if (group != null) {
            group.gateways().forEach(g -> gateways.put(target + "/" + g.id(), g));
            if (gateways.isEmpty()) {
                throw new IllegalArgumentException("group '" + target + "' has no gateways");
            }
        } else {
            Groups.Located located = groups.gateway(target);
            gateways.put(located.group() + "/" + located.gateway().id(), located.gateway());
        }
        return gateways;
    }

    /** Prints what the channel brings until it closes; the one-line error if it failed. */
    private String printAll(String name, Channel channel, boolean prefixed) {
        String prefix = prefixed ? "[" + name + "] " : "";
        Duration wait = Duration.ofMillis(Math.round(timeout * 1000));
        while (true) {
            try {
                System.out.println(prefix + Values.show(channel.receive(wait)));
            } catch (ChannelClosedException e) {
                return null;
            } catch (ChannelTimeoutException e) {
                channel.close();
                return report(name, "nothing received within " + timeout + " s");
            } catch (RemoteError e) {
                return report(name, Values.oneLine(e));
            } catch (RuntimeException e) {
                return report(name, Values.oneLine(e));
            }
        }
    }

    private static String report(String name, String message) {
        return name + ": " + message;
    }
}
