package org.execnet4j.api.spi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The descendants a transport has seen of a local process that runs a gateway, so that it can
 * kill them after the process itself has gone: once it has exited, its orphans are no longer
 * its descendants and can only be found through what was seen before. Looking walks {@code /proc}
 * down from the process (a few small reads per process passed, see {@link ProcessTree}).
 * Thread-safe.
 */
public final class KnownDescendants {
    private final Supplier<Optional<ProcessHandle>> process;
    /** The descendants seen, by pid; guarded by itself. */
    private final Map<Long, Seen> seen = new LinkedHashMap<>();

    /**
     * @param process the process, while it can still be had (empty once it is gone)
     */
    public KnownDescendants(Supplier<Optional<ProcessHandle>> process) {
        this.process = process;
    }

    /** Notes the process's descendants now (call before asking it to exit, and before killing it). */
    public void remember() {
        Optional<ProcessHandle> handle = process.get();
        if (handle.isEmpty()) {
            return;
        }
        if (!ProcessTree.available()) {
            synchronized (seen) {
                handle.get().descendants().forEach(this::add);
            }
            return;
        }
        Map<Long, Long> found = ProcessTree.descendantsOf(handle.get().pid());
        synchronized (seen) {
            addAll(found);
        }
    }

    /**
     * Kills every descendant seen, and what they started since they were seen (a shell forks its
     * command late under load), before that is orphaned too.
     */
    public void killAll() {
        synchronized (seen) {
            if (seen.isEmpty()) {
                return;
            }
            if (ProcessTree.available()) {
                for (Seen known : List.copyOf(seen.values())) {
                    if (known.startTime().isPresent() && ProcessTree.startTime(known.handle().pid()).equals(known.startTime())) {
                        addAll(ProcessTree.descendantsOf(known.handle().pid()));
                    }
                }
            } else {
                for (Seen known : List.copyOf(seen.values())) {
                    known.handle().descendants().forEach(this::add);
                }
            }
            seen.values().forEach(known -> known.handle().destroyForcibly());
        }
    }

    private void addAll(Map<Long, Long> found) {
        found.forEach((pid, start) -> {
            if (!seen.containsKey(pid)) {
                ProcessHandle.of(pid).ifPresent(h -> seen.put(pid, new Seen(h, Optional.of(start))));
            }
        });
    }

    private void add(ProcessHandle handle) {
        seen.putIfAbsent(handle.pid(), new Seen(handle, Optional.empty()));
    }

    /** A descendant seen, with its start time where the process table showed one. */
    private record Seen(ProcessHandle handle, Optional<Long> startTime) {
    }
}
