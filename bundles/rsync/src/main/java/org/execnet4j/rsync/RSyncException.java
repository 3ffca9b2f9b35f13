package org.execnet4j.rsync;

import java.util.List;
import java.util.stream.Collectors;

import org.execnet4j.api.ExecnetException;

/** A sync in which some target failed or could not sync some entries; carries every target's result. */
public class RSyncException extends ExecnetException {
    private static final long serialVersionUID = 1L;

    /** The results of all targets, those that succeeded too. */
    private final transient List<TargetResult> results;

    /**
     * An exception for these results.
     *
     * @param results every target's result, at least one of them not {@link TargetResult#ok()}
     */
    public RSyncException(List<TargetResult> results) {
        super(message(results));
        this.results = List.copyOf(results);
    }

    /**
     * The results of all targets.
     *
     * @return one result per target, in the order they were added
     */
    public List<TargetResult> results() {
        return results;
    }

    private static String message(List<TargetResult> results) {
        List<TargetResult> bad = results.stream().filter(r -> !r.ok()).toList();
        return "rsync: " + bad.size() + " of " + results.size() + " targets did not complete: "
                + bad.stream().map(r -> r.target() + ": " + r.summary()).collect(Collectors.joining("; "));
    }
}
