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
    private final Map<Long, ProcessHandle> seen = new LinkedHashMap<>();
    /** Their start times as the process table showed them (none without one); guarded by {@link #seen}. */
    private final Map<Long, Long> startTimes = new LinkedHashMap<>();

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
                for (Map.Entry<Long, Long> known : List.copyOf(startTimes.entrySet())) {
                    if (ProcessTree.startTime(known.getKey()).equals(Optional.of(known.getValue()))) {
                        addAll(ProcessTree.descendantsOf(known.getKey()));
                    }
                }
            } else {
                for (ProcessHandle known : List.copyOf(seen.values())) {
                    known.descendants().forEach(this::add);
                }
            }
            seen.values().forEach(ProcessHandle::destroyForcibly);
        }
    }

    private void addAll(Map<Long, Long> found) {
        found.forEach((pid, start) -> {
            if (!seen.containsKey(pid)) {
                ProcessHandle.of(pid).ifPresent(h -> {
                    add(h);
                    startTimes.put(pid, start);
                });
            }
        });
    }

    private void add(ProcessHandle handle) {
        seen.putIfAbsent(handle.pid(), handle);
    }
}
