package org.execnet4j.group.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

import org.execnet4j.api.Channel;
import org.execnet4j.api.ExitOutcome;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.GatewayClosedException;
import org.execnet4j.api.Group;
import org.execnet4j.api.InvalidSpecException;
import org.execnet4j.api.MultiChannel;
import org.execnet4j.api.PythonSource;
import org.execnet4j.api.RemoteOutput;
import org.execnet4j.api.Spec;
import org.execnet4j.core.EngineSettings;
import org.execnet4j.core.GatewayLauncher;
import org.execnet4j.core.PendingLaunch;
import org.execnet4j.core.WarmPool;
import org.execnet4j.group.GatewayListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Group} over a {@link GatewayLauncher}: unique ids, gateways started in parallel,
 * {@code via=} gateways tunnelled through a member, and termination that exits every gateway at
 * once and kills what does not go in time. With the warm start on, its popen gateways are forked
 * from warm interpreters of its own, which end when it is terminated or closed (README "Fast start").
 */
public final class GatewayGroup implements Group {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayGroup.class);
    /** The spec {@link #makeGateway()} uses unless the group was given another. */
    public static final String DEFAULT_SPEC = "popen";

    private final String name;
    private final GatewayLauncher launcher;
    private volatile String defaultSpec;
    private volatile String execmodel;
    private final Map<String, Gateway> gateways = new LinkedHashMap<>();
    /** The starts in progress, by the id reserved for them (null in {@link #gateways}); guarded by gateways. */
    private final Map<String, PendingLaunch> starting = new LinkedHashMap<>();
    private final AtomicInteger counter = new AtomicInteger();
    /** How often the group was terminated, so a gateway that was starting meanwhile is not kept; guarded by gateways. */
    private long terminations;
    private volatile RemoteOutput remoteOutput;
    private final Occupancy occupancy;
    private final GatewayListener listener;
    /** Whether the group had gateways (or gateways starting) when it last told {@link #occupancy}; guarded by gateways. */
    private boolean occupied;
    private final WarmPool warmPool;
    private volatile boolean warmStart;
    /** Whether a gateway started with the warm start on since the last terminate, so the warm pool may hold processes; guarded by gateways. */
    private boolean warmPoolInUse;

    /**
     * Told when a group gets its first gateway and when it has none left (nor warm interpreters), so
     * an owner can track live groups only.
     */
    @FunctionalInterface
    public interface Occupancy {
        /**
         * Called under the group's lock: keep it short.
         *
         * @param group the group whose occupancy changed
         * @param occupied {@code true} when it got its first gateway (or a start began),
         *     {@code false} when it has none left and its warm interpreters ended
         */
        void changed(GatewayGroup group, boolean occupied);
    }

    /**
     * A group that tells nobody about its occupancy or its gateways.
     *
     * @param name the group's name, for logs and thread names
     * @param launcher starts the gateways
     * @param defaultSpec the spec {@link #makeGateway()} uses
     * @throws org.execnet4j.api.InvalidSpecException if {@code defaultSpec} is malformed
     */
    public GatewayGroup(String name, GatewayLauncher launcher, String defaultSpec) {
        this(name, launcher, defaultSpec, (group, isOccupied) -> { });
    }

    /**
     * A group that tells {@code occupancy} when it gets its first gateway and when it has none left.
     *
     * @param name the group's name, for logs and thread names
     * @param launcher starts the gateways
     * @param defaultSpec the spec {@link #makeGateway()} uses
     * @param occupancy told under the group's lock
     * @throws org.execnet4j.api.InvalidSpecException if {@code defaultSpec} is malformed
     */
    public GatewayGroup(String name, GatewayLauncher launcher, String defaultSpec, Occupancy occupancy) {
        this(name, launcher, defaultSpec, occupancy, GatewayListener.NONE);
    }

    /**
     * A group that also tells {@code listener} when each of its gateways has started and ended.
     *
     * @param name the group's name, for logs and thread names
     * @param launcher starts the gateways
     * @param defaultSpec the spec {@link #makeGateway()} uses
     * @param occupancy told under the group's lock when the group gets its first gateway and
     *     when it has none left
     * @param listener told when each gateway has started and when it has ended
     * @throws org.execnet4j.api.InvalidSpecException if {@code defaultSpec} is malformed
     */
    public GatewayGroup(String name, GatewayLauncher launcher, String defaultSpec, Occupancy occupancy,
            GatewayListener listener) {
        this.name = name;
        this.launcher = launcher;
        this.defaultSpec = Spec.parse(defaultSpec).toString();
        this.remoteOutput = launcher.settings().remoteOutput();
        this.occupancy = occupancy;
        this.listener = listener;
        this.warmPool = launcher.newWarmPool();
        this.warmStart = launcher.settings().warmStart();
    }

    /** Tells {@link #occupancy} when the group went from no gateways to some or back; call holding the lock. */
    private void occupancyMayHaveChanged() {
        boolean now = !gateways.isEmpty() || warmPoolInUse;
        if (now != occupied) {
            occupied = now;
            occupancy.changed(this, now);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Gateway makeGateway() {
        return makeGateway(defaultSpec);
    }

    @Override
    public void setDefaultSpec(String spec) {
        this.defaultSpec = Spec.parse(spec).toString();
    }

    @Override
    public String defaultSpec() {
        return defaultSpec;
    }

    @Override
    public void setExecmodel(String newExecmodel) {
        Spec.parse("popen").withDefaultExecmodel(newExecmodel);
        this.execmodel = newExecmodel;
    }

    /**
     * Turns the warm start of this group's popen gateways on or off (initially the launcher's
     * {@link EngineSettings#warmStart()}); turning it off ends the group's warm interpreters (the
     * gateways forked from them run on).
     *
     * @param on whether later popen gateways are forked from the group's warm interpreters
     */
    public void setWarmStart(boolean on) {
        warmStart = on;
        if (!on) {
            warmPool.close();
        }
    }

    /** {@return whether this group's popen gateways are forked from its warm interpreters} */
    public boolean warmStart() {
        return warmStart;
    }

    @Override
    public Gateway makeGateway(String specText) {
        return start(reserve(specText));
    }

    /** A gateway whose id is taken in the group and which is about to start. */
    private record Reservation(Spec spec, String id, long terminationsAtStart, PendingLaunch pending) {
    }

    /** Parses the spec (with the group's execution model) and takes its id; the caller starts it. */
    private Reservation reserve(String specText) {
        Spec parsed = Spec.parse(specText);
        String model = execmodel;
        Spec spec = model == null ? parsed : parsed.withDefaultExecmodel(model);
        synchronized (gateways) {
            String id = reserveId(spec);
            PendingLaunch pending = new PendingLaunch();
            starting.put(id, pending);
            warmPoolInUse |= warmStart;
            return new Reservation(spec, id, terminations, pending);
        }
    }

    private Gateway start(Reservation reservation) {
        Spec spec = reservation.spec();
        String id = reservation.id();
        long terminationsAtStart = reservation.terminationsAtStart();
        Gateway gateway;
        try {
            gateway = launch(spec, id, reservation.pending());
        } catch (RuntimeException e) {
            synchronized (gateways) {
                if (terminations == terminationsAtStart) {
                    gateways.remove(id);
                    starting.remove(id);
                    occupancyMayHaveChanged();
                }
            }
            throw e;
        }
        boolean kept;
        synchronized (gateways) {
            kept = terminations == terminationsAtStart;
            if (kept) {
                starting.remove(id);
                gateways.put(id, gateway);
            }
        }
        if (kept) {
            announce(gateway);
            return gateway;
        }
        // the group was terminated while this gateway started: it must not outlive the group
        gateway.exit(launcher.settings().exitTimeout());
        throw new GatewayClosedException("gateway " + id + " (" + spec + "): group '" + name
                + "' was terminated while it started");
    }

    /** Tells the listener the gateway started, and when it ends, that it left the group (as after {@code exit()}). */
    private void announce(Gateway gateway) {
        listener.started(name, gateway);
        gateway.whenEnded().thenRun(() -> {
            synchronized (gateways) {
                if (gateways.remove(gateway.id(), gateway)) {
                    occupancyMayHaveChanged();
                }
            }
            try {
                listener.ended(name, gateway);
            } catch (RuntimeException e) {
                LOG.warn("group '{}': the listener failed on the end of gateway {}", name, gateway.id(), e);
            }
        });
    }

    private String reserveId(Spec spec) {
        synchronized (gateways) {
            String id = spec.id().orElseGet(() -> "gw" + counter.getAndIncrement());
            if (gateways.containsKey(id)) {
                throw new IllegalArgumentException("group '" + name + "' already has a gateway with id '" + id + "'");
            }
            gateways.put(id, null);
            occupancyMayHaveChanged();
            return id;
        }
    }

    private Gateway launch(Spec spec, String id, PendingLaunch pending) {
        EngineSettings base = launcher.settings();
        EngineSettings settings = base.toBuilder().remoteOutput(remoteOutput).execAudit(base.execAudit().inGroup(name))
                .warmStart(warmStart).build();
        Optional<String> via = spec.via();
        Optional<String> installVia = spec.get("installvia");
        if (via.isPresent()) {
            return launcher.launch(spec, id, new ViaTransport(member(spec, "via", via.get())), settings, pending, warmPool);
        }
        if (installVia.isPresent()) {
            Gateway host = member(spec, "installvia", installVia.get());
            return launcher.launch(spec, id, new InstalledViaTransport(launcher.transportFor(spec, id), host), settings,
                    pending, warmPool);
        }
        return launcher.launch(spec, id, launcher.transportFor(spec, id), settings, pending, warmPool);
    }

    /** The gateway a spec's via= or installvia= names. */
    private Gateway member(Spec spec, String key, String memberId) {
        return get(memberId).orElseThrow(() -> new InvalidSpecException(spec.toString(),
                key + "=" + memberId + " names no gateway of group '" + name + "'"));
    }

    /** The gateway another one runs through or inside (via= or installvia=), if any. */
    private static Optional<String> hostOf(Spec spec) {
        return spec.via().or(() -> spec.get("installvia"));
    }

    /**
     * Starts gateways in parallel, taking their ids in the order of {@code specs} (so the group
     * lists them in that order), each succeeding or failing on its own.
     *
     * @param specs one spec string per gateway
     * @return one future per spec, in the same order; a malformed spec or a taken id fails its future
     */
    public List<CompletableFuture<Gateway>> startEach(List<String> specs) {
        List<CompletableFuture<Gateway>> started = new ArrayList<>();
        Map<String, CompletableFuture<Gateway>> batch = new HashMap<>();
        for (String spec : specs) {
            Reservation reservation;
            try {
                reservation = reserve(spec);
            } catch (RuntimeException e) {
                started.add(CompletableFuture.failedFuture(e));
                continue;
            }
            started.add(startAsync(reservation, batch));
        }
        return started;
    }

    /**
     * Starts a reserved gateway on a thread of its own. One that runs through or inside a gateway
     * started earlier in the same batch (via=, installvia=) starts once that one has started or
     * failed; the others start at once.
     */
    private CompletableFuture<Gateway> startAsync(Reservation reservation, Map<String, CompletableFuture<Gateway>> batch) {
        CompletableFuture<Gateway> host = hostOf(reservation.spec()).map(batch::get).orElse(null);
        CompletableFuture<Gateway> started = host == null
                ? CompletableFuture.supplyAsync(() -> start(reservation), daemonPerTask("start"))
                : host.handleAsync((hostGateway, failure) -> start(reservation), daemonPerTask("start"));
        batch.put(reservation.id(), started);
        return started;
    }

    @Override
    public List<Gateway> makeGateways(List<String> specs) {
        List<Reservation> reserved = new ArrayList<>();
        try {
            for (String spec : specs) {
                reserved.add(reserve(spec));
            }
        } catch (RuntimeException e) {
            synchronized (gateways) {
                reserved.forEach(r -> {
                    gateways.remove(r.id(), null);
                    starting.remove(r.id());
                });
                occupancyMayHaveChanged();
            }
            throw e;
        }
        Map<String, CompletableFuture<Gateway>> batch = new HashMap<>();
        List<CompletableFuture<Gateway>> starting = reserved.stream().map(r -> startAsync(r, batch)).toList();
        List<Gateway> started = new ArrayList<>();
        RuntimeException failure = null;
        for (CompletableFuture<Gateway> f : starting) {
            try {
                started.add(f.join());
            } catch (CompletionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r : e;
                }
            }
        }
        if (failure != null) {
            exitAll(started, launcher.settings().exitTimeout());
            synchronized (gateways) {
                started.forEach(g -> gateways.remove(g.id()));
                occupancyMayHaveChanged();
            }
            throw failure;
        }
        return started;
    }

    @Override
    public Optional<Gateway> get(String id) {
        synchronized (gateways) {
            return Optional.ofNullable(gateways.get(id));
        }
    }

    /**
     * Takes a gateway out of the group without ending it (the caller exits it).
     *
     * @param id the gateway's id
     * @return the gateway taken out, or empty if the group has no gateway with that id
     */
    public Optional<Gateway> remove(String id) {
        synchronized (gateways) {
            Gateway gateway = gateways.get(id);
            if (gateway == null) {
                return Optional.empty();
            }
            gateways.remove(id);
            occupancyMayHaveChanged();
            return Optional.of(gateway);
        }
    }

    @Override
    public List<Gateway> gateways() {
        synchronized (gateways) {
            return gateways.values().stream().filter(g -> g != null).toList();
        }
    }

    @Override
    public int size() {
        return gateways().size();
    }

    @Override
    public Iterator<Gateway> iterator() {
        return gateways().iterator();
    }

    @Override
    public MultiChannel remoteExec(String source) {
        List<Channel> channels = new ArrayList<>();
        for (Gateway gateway : gateways()) {
            channels.add(gateway.remoteExec(source));
        }
        return new GroupMultiChannel(channels);
    }

    @Override
    public MultiChannel remoteExec(PythonSource source, Map<String, ?> kwargs) {
        List<Channel> channels = new ArrayList<>();
        for (Gateway gateway : gateways()) {
            channels.add(gateway.remoteExec(source, kwargs));
        }
        return new GroupMultiChannel(channels);
    }

    @Override
    public void setRemoteOutput(RemoteOutput output) {
        this.remoteOutput = output;
    }

    /**
     * Exits every gateway and kills the interpreters of gateways still starting (their
     * {@code makeGateway} fails; their outcome is {@link ExitOutcome#KILLED}), then ends the
     * group's warm interpreters.
     */
    @Override
    public Map<String, ExitOutcome> terminate(Duration timeout) {
        List<Gateway> ending;
        Map<String, PendingLaunch> cancelled;
        synchronized (gateways) {
            ending = gateways();
            cancelled = new LinkedHashMap<>(starting);
            starting.clear();
            gateways.clear();
            terminations++;
            occupancyMayHaveChanged();
        }
        String reason = "group '" + name + "' was terminated while it started";
        cancelled.values().forEach(pending -> pending.cancel(reason));
        Map<String, ExitOutcome> outcomes = exitAll(ending, timeout);
        cancelled.keySet().forEach(id -> outcomes.put(id, ExitOutcome.KILLED));
        warmPool.close();
        synchronized (gateways) {
            warmPoolInUse = !gateways.isEmpty() && warmStart;
            occupancyMayHaveChanged();
        }
        return outcomes;
    }

    /** Exits gateways together, proxied and installed ones before those they run through (execnet's order). */
    private static Map<String, ExitOutcome> exitAll(List<Gateway> ending, Duration timeout) {
        Map<String, ExitOutcome> outcomes = new LinkedHashMap<>();
        List<Gateway> proxies = ending.stream().filter(g -> ending.stream()
                .anyMatch(other -> hostOf(other.spec()).filter(g.id()::equals).isPresent())).toList();
        List<Gateway> first = ending.stream().filter(g -> !proxies.contains(g)).toList();
        long deadline = System.nanoTime() + timeout.toNanos();
        outcomes.putAll(exitTogether(first, deadline));
        outcomes.putAll(exitTogether(proxies, deadline));
        Map<String, ExitOutcome> ordered = new LinkedHashMap<>();
        ending.forEach(g -> ordered.put(g.id(), outcomes.get(g.id())));
        return ordered;
    }

    /**
     * Asks every gateway to exit, then waits for each in turn until the common deadline: they all
     * get the whole time to go, and no thread is started per gateway.
     */
    static Map<String, ExitOutcome> exitTogether(List<Gateway> gateways, long deadline) {
        for (Gateway g : gateways) {
            g.requestExit(remaining(deadline));
        }
        Map<String, ExitOutcome> done = new LinkedHashMap<>();
        for (Gateway g : gateways) {
            done.put(g.id(), g.exit(remaining(deadline)));
        }
        return done;
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    /** Runs each task on a new daemon thread named {@code execnet4j-<role>}. */
    static java.util.concurrent.Executor daemonPerTask(String role) {
        return task -> {
            Thread t = new Thread(task, "execnet4j-" + role);
            t.setDaemon(true);
            t.start();
        };
    }

    @Override
    public void close() {
        terminate(launcher.settings().exitTimeout());
    }

    @Override
    public String toString() {
        return "<Group " + name + " " + gateways().stream().map(Gateway::id).toList() + ">";
    }
}
