package org.execnet4j.group.internal;

import java.time.Duration;

import org.execnet4j.Execnet;
import org.execnet4j.api.Channel;
import org.execnet4j.api.Group;

/**
 * A small runnable example: starts a gateway from a spec, runs a Python snippet there and prints
 * every value the snippet sends. Arguments: {@code [spec] [python code]}.
 */
public final class RunSnippet {
    private static final String DEFAULT_SPEC = "popen";
    private static final String DEFAULT_CODE = """
            import os, sys
            channel.send(("hello from Python", sys.version.split()[0], "pid", os.getpid()))
            channel.send({"cwd": os.getcwd(), "executable": sys.executable})
            """;

    private RunSnippet() {
    }

    public static void main(String[] args) {
        String spec = args.length > 0 ? args[0] : DEFAULT_SPEC;
        String code = args.length > 1 ? args[1] : DEFAULT_CODE;
        try (Group group = Execnet.newGroup()) {
            Channel channel = group.makeGateway(spec).remoteExec(code);
            channel.setCallback(System.out::println);
            channel.waitClose(Duration.ofMinutes(10));
        }
    }
}
