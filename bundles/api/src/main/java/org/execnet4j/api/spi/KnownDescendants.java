package org.execnet4j.api.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The descendants a transport has seen of a local process that runs a gateway, so that it can
 * kill them after the process itself has gone: once it has exited, its orphans are no longer
 * its descendants and can only be found through what was seen before. Thread-safe.
 */
public final class KnownDescendants {
    private final Supplier<Optional<ProcessHandle>> process;
    private final List<ProcessHandle> seen = new ArrayList<>();

    /**
     * @param process the process, while it can still be had (empty once it is gone)
     */
    public KnownDescendants(Supplier<Optional<ProcessHandle>> process) {
        this.process = process;
    }

    /** Notes the process's descendants now (call before asking it to exit, and before killing it). */
    public void remember() {
        Optional<ProcessHandle> handle = process.get();
        synchronized (seen) {
            handle.ifPresent(h -> h.descendants().forEach(seen::add));
        }
    }

    /**
     * Kills every descendant seen, and what they started since they were seen (a shell forks its
     * command late under load), before that is orphaned too.
     */
    public void killAll() {
        synchronized (seen) {
            for (ProcessHandle known : List.copyOf(seen)) {
                known.descendants().forEach(seen::add);
            }
            seen.forEach(ProcessHandle::destroyForcibly);
        }
    }
}
