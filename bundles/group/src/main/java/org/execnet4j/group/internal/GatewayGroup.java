package org.execnet4j.group.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

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

/**
 * A {@link Group} over a {@link GatewayLauncher}: unique ids, gateways started in parallel,
 * {@code via=} gateways tunnelled through a member, and termination that exits every gateway at
 * once and kills what does not go in time.
 */
public final class GatewayGroup implements Group {
    /** The spec {@link #makeGateway()} uses unless the group was given another. */
    public static final String DEFAULT_SPEC = "popen";

    private final String name;
    private final GatewayLauncher launcher;
    private volatile String defaultSpec;
    private volatile String execmodel;
    private final Map<String, Gateway> gateways = new LinkedHashMap<>();
    private final AtomicInteger counter = new AtomicInteger();
    /** How often the group was terminated, so a gateway that was starting meanwhile is not kept; guarded by gateways. */
    private long terminations;
    private volatile RemoteOutput remoteOutput;
    private final Occupancy occupancy;
    /** Whether the group had gateways (or gateways starting) when it last told {@link #occupancy}; guarded by gateways. */
    private boolean occupied;

    /** Told when a group gets its first gateway and when it has none left, so an owner can track live groups only. */
    @FunctionalInterface
    public interface Occupancy {
        /** Called under the group's lock: keep it short. */
        void changed(GatewayGroup group, boolean occupied);
    }

    public GatewayGroup(String name, GatewayLauncher launcher, String defaultSpec) {
        this(name, launcher, defaultSpec, (group, isOccupied) -> { });
    }

    public GatewayGroup(String name, GatewayLauncher launcher, String defaultSpec, Occupancy occupancy) {
        this.name = name;
        this.launcher = launcher;
        this.defaultSpec = Spec.parse(defaultSpec).toString();
        this.remoteOutput = launcher.settings().remoteOutput();
        this.occupancy = occupancy;
    }

    /** Tells {@link #occupancy} when the group went from no gateways to some or back; call holding the lock. */
    private void occupancyMayHaveChanged() {
        boolean now = !gateways.isEmpty();
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

    @Override
    public Gateway makeGateway(String specText) {
        return start(reserve(specText));
    }

    /** A gateway whose id is taken in the group and which is about to start. */
    private record Reservation(Spec spec, String id, long terminationsAtStart) {
    }

    /** Parses the spec (with the group's execution model) and takes its id; the caller starts it. */
    private Reservation reserve(String specText) {
        Spec parsed = Spec.parse(specText);
        String model = execmodel;
        Spec spec = model == null ? parsed : parsed.withDefaultExecmodel(model);
        synchronized (gateways) {
            return new Reservation(spec, reserveId(spec), terminations);
        }
    }

    private Gateway start(Reservation reservation) {
        Spec spec = reservation.spec();
        String id = reservation.id();
        long terminationsAtStart = reservation.terminationsAtStart();
        Gateway gateway;
        try {
            gateway = launch(spec, id);
        } catch (RuntimeException e) {
            synchronized (gateways) {
                if (terminations == terminationsAtStart) {
                    gateways.remove(id);
                    occupancyMayHaveChanged();
                }
            }
            throw e;
        }
        synchronized (gateways) {
            if (terminations == terminationsAtStart) {
                gateways.put(id, gateway);
                return gateway;
            }
        }
        // the group was terminated while this gateway started: it must not outlive the group
        gateway.exit(launcher.settings().exitTimeout());
        throw new GatewayClosedException("gateway " + id + " (" + spec + "): group '" + name
                + "' was terminated while it started");
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

    private Gateway launch(Spec spec, String id) {
        EngineSettings settings = launcher.settings().toBuilder().remoteOutput(remoteOutput).build();
        Optional<String> via = spec.via();
        if (via.isEmpty()) {
            return launcher.launch(spec, id, launcher.transportFor(spec, id), settings);
        }
        Gateway proxy = get(via.get()).orElseThrow(() -> new InvalidSpecException(spec.toString(),
                "via=" + via.get() + " names no gateway of group '" + name + "'"));
        return launcher.launch(spec, id, new ViaTransport(proxy), settings);
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
                reserved.forEach(r -> gateways.remove(r.id(), null));
                occupancyMayHaveChanged();
            }
            throw e;
        }
        List<CompletableFuture<Gateway>> starting = reserved.stream()
                .map(r -> CompletableFuture.supplyAsync(() -> start(r), daemonPerTask("start")))
                .toList();
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

    /** Takes a gateway out of the group without ending it (the caller exits it); empty if the group has no such id. */
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

    @Override
    public Map<String, ExitOutcome> terminate(Duration timeout) {
        List<Gateway> ending;
        synchronized (gateways) {
            ending = gateways();
            gateways.clear();
            terminations++;
            occupancyMayHaveChanged();
        }
        return exitAll(ending, timeout);
    }

    /** Exits gateways in parallel, proxied ones before those they run through (execnet's order). */
    private static Map<String, ExitOutcome> exitAll(List<Gateway> ending, Duration timeout) {
        Map<String, ExitOutcome> outcomes = new LinkedHashMap<>();
        List<Gateway> proxies = ending.stream().filter(g -> ending.stream()
                .anyMatch(other -> other.spec().via().filter(g.id()::equals).isPresent())).toList();
        List<Gateway> first = ending.stream().filter(g -> !proxies.contains(g)).toList();
        long deadline = System.nanoTime() + timeout.toNanos();
        outcomes.putAll(exitInParallel(first, g -> g.exit(timeout)));
        Duration rest = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
        outcomes.putAll(exitInParallel(proxies, g -> g.exit(rest)));
        Map<String, ExitOutcome> ordered = new LinkedHashMap<>();
        ending.forEach(g -> ordered.put(g.id(), outcomes.get(g.id())));
        return ordered;
    }

    private static Map<String, ExitOutcome> exitInParallel(List<Gateway> gateways, Function<Gateway, ExitOutcome> exit) {
        Map<String, CompletableFuture<ExitOutcome>> running = new LinkedHashMap<>();
        for (Gateway g : gateways) {
            running.put(g.id(), CompletableFuture.supplyAsync(() -> exit.apply(g), daemonPerTask(g.id() + "-exit")));
        }
        Map<String, ExitOutcome> done = new LinkedHashMap<>();
        running.forEach((id, f) -> done.put(id, f.join()));
        return done;
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
