package org.execnet4j.shell.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
import org.apache.karaf.shell.support.CommandException;
import org.execnet4j.api.Channel;
import org.execnet4j.api.ChannelClosedException;
import org.execnet4j.api.ChannelTimeoutException;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.Group;
import org.execnet4j.api.PyRepr;
import org.execnet4j.api.RemoteError;

/**
 * {@code execnet:exec}: runs Python source (an argument, a file, or standard input) on one
 * gateway or on every gateway of a group, and prints the Python repr of each value the remote
 * sends, prefixed by the gateway when there are several. A remote error prints its whole
 * traceback on the console and fails the command with its last line.
 */
@Service
@Command(scope = "execnet", name = "exec", description = "Runs Python on a gateway or on every gateway of a group and prints what it sends",
        detailedDescription = "classpath:exec.txt")
public class ExecCommand implements Action {
    /** What {@code --file} takes for standard input. */
    static final String STDIN = "-";

    @Reference
    GroupDirectory groups;

    @Argument(index = 0, name = "target", description = "A group name, GROUP/ID or a gateway ID", required = true)
    @Completion(GatewayOrGroupCompleter.class)
    String target;

    @Argument(index = 1, name = "source", description = "The Python source; it sees 'channel'. Quote it with single quotes "
            + "(no expansion); without it the source comes from --file or standard input", required = false)
    String source;

    @Option(name = "-f", aliases = "--file", description = "Read the Python source from this file ('-': standard input)")
    String file;

    @Option(name = "-t", aliases = "--timeout", description = "Seconds to wait for each value (default 30)")
    double timeout = 30;

    @Override
    public Object execute() throws Exception {
        String code = code();
        Map<String, Gateway> gateways = targets();
        Audit.shellExec(target, gateways.keySet(), code);
        boolean prefixed = gateways.size() > 1;
        Map<String, Channel> channels = new LinkedHashMap<>();
        Map<String, String> errors = new LinkedHashMap<>();
        gateways.forEach((name, gateway) -> {
            try {
                channels.put(name, gateway.remoteExec(code));
            } catch (RuntimeException e) {
                errors.put(name, Values.oneLine(e));
                report(name, e, prefixed);
            }
        });
        channels.forEach((name, channel) -> {
            String error = printAll(name, channel, prefixed);
            if (error != null) {
                errors.put(name, error);
            }
        });
        if (errors.size() == 1 && !prefixed) {
            throw new CommandException(errors.values().iterator().next());
        }
        if (!errors.isEmpty()) {
            throw new CommandException(errors.size() + " of " + gateways.size() + " gateways failed: "
                    + String.join(", ", errors.keySet()));
        }
        return null;
    }

    private String code() throws IOException, CommandException {
        if (file != null && source != null) {
            throw new CommandException("give the source or --file, not both");
        }
        if (source != null) {
            return source;
        }
        if (file == null || STDIN.equals(file)) {
            return readStdin();
        }
        try {
            return Files.readString(Path.of(file));
        } catch (NoSuchFileException e) {
            throw new CommandException("file " + file + " does not exist");
        } catch (IOException e) {
            throw new CommandException("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static String readStdin() throws IOException, CommandException {
        InputStream in = System.in;
        String code = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        if (code.isBlank()) {
            throw new CommandException("no source: give it as the second argument, with --file, or on standard input");
        }
        return code;
    }

    private Map<String, Gateway> targets() throws CommandException {
        Map<String, Gateway> gateways = new LinkedHashMap<>();
        Group group = groups.all().get(target);
        if (group != null) {
            group.gateways().forEach(g -> gateways.put(target + "/" + g.id(), g));
            if (gateways.isEmpty()) {
                throw new CommandException("group '" + target + "' has no gateways" + Problems.summary(groups.entry(target)));
            }
        } else {
            GroupDirectory.Located located = groups.gateway(target);
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
                System.out.println(prefix + PyRepr.repr(channel.receive(wait)));
            } catch (ChannelClosedException e) {
                return null;
            } catch (ChannelTimeoutException e) {
                channel.close();
                return report(name, new ChannelTimeoutException("nothing received within " + timeout + " s"), prefixed);
            } catch (RuntimeException e) {
                return report(name, e, prefixed);
            }
        }
    }

    /**
     * Prints a gateway's error in full (a remote traceback, line by line) on the console; its last
     * line. The console is standard output: {@code bin/client} shows no error stream in batch mode.
     */
    private static String report(String name, RuntimeException error, boolean prefixed) {
        PrintStream err = System.out;
        String text = error instanceof RemoteError remote ? remote.formatted().strip() : Values.oneLine(error);
        String prefix = prefixed ? "[" + name + "] " : "";
        text.lines().forEach(line -> err.println(prefix + line));
        err.flush();
        return Values.oneLine(error);
    }
}
