package org.execnet4j.shell.internal;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import org.execnet4j.api.ServiceProperties;

/**
 * What is wrong with a group, from its service properties: a configuration that cannot be used
 * ({@link ServiceProperties#GROUP_ERROR}) and configured gateways that did not start or wait for their
 * transport ({@link ServiceProperties#GROUP_FAILURES}, one {@code "spec: why"} each).
 */
final class Problems {

    private Problems() {
    }

    /** Every problem of the group, one line each; empty when it is fine. */
    static List<String> of(GroupDirectory.Entry entry) {
        List<String> problems = new ArrayList<>();
        String error = entry.property(ServiceProperties.GROUP_ERROR);
        if (error != null) {
            problems.add("configuration error: " + error);
        }
        problems.addAll(entry.list(ServiceProperties.GROUP_FAILURES));
        return problems;
    }

    /** A word for the group's state column: {@code ok}, {@code config error}, {@code N not started}. */
    static String state(GroupDirectory.Entry entry) {
        if (entry.property(ServiceProperties.GROUP_ERROR) != null) {
            return "config error";
        }
        int failed = entry.list(ServiceProperties.GROUP_FAILURES).size();
        return failed == 0 ? "ok" : failed + " not started";
    }

    /** {@code " (configuration error: ...)"} for a message, or empty. */
    static String summary(GroupDirectory.Entry entry) {
        List<String> problems = of(entry);
        return problems.isEmpty() ? "" : " (" + String.join("; ", problems) + ")";
    }

    /** Prints every problem of these groups under a heading; nothing when there is none. */
    static void print(List<GroupDirectory.Entry> entries, PrintStream out) {
        boolean headed = false;
        for (GroupDirectory.Entry entry : entries) {
            for (String problem : of(entry)) {
                if (!headed) {
                    out.println();
                    out.println("Problems:");
                    headed = true;
                }
                out.println("  " + entry.name() + ": " + problem);
            }
        }
    }
}
