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
import java.util.function.Predicate;

import org.execnet4j.api.ExitOutcome;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.Group;
import org.execnet4j.api.MultiChannel;
import org.execnet4j.api.PythonSource;
import org.execnet4j.api.RemoteOutput;
import org.execnet4j.api.Spec;
import org.execnet4j.core.GatewayLauncher;
import org.execnet4j.group.GroupHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A group whose gateways follow a list of spec strings: {@link #reconcile} keeps the gateways
 * whose spec is still listed and alive, exits those no longer listed (or dead, or whose spec
 * changed) and starts the missing ones. A lazy group starts its gateways on the first call that
 * needs them. Gateways made directly through {@link #makeGateway(String)} are left alone. A spec
 * whose transport is not there yet is not tried: it waits (listed in {@link #failures()}) until
 * {@link #retryFailed()} after the transport arrives.
 */
public final class ConfiguredGroup implements Group, GroupHealth {
    private static final Logger LOG = LoggerFactory.getLogger(ConfiguredGroup.class);
    private static final String WAITING_FOR_TRANSPORT = "waiting for a transport";

    private record Member(String spec, Gateway gateway) {
    }

    private final GatewayGroup group;
    /** The warm start setting of the group's launcher, for a configuration that leaves it open. */
    private final boolean launcherWarmStart;
    private final Predicate<String> transportPresent;
    private final List<Member> members = new ArrayList<>();
    private final Map<String, String> failures = new LinkedHashMap<>();
    private volatile List<String> specs;
    private volatile boolean lazy;
    private volatile boolean started;
    private volatile boolean closed;
    private volatile Duration terminateTimeout;
    /** What {@link #down()} and {@link #restarting()} read without waiting for a reconcile: set as it goes. */
    private volatile List<Member> memberView = List.of();
    private volatile Map<String, String> failureView = Map.of();
    private volatile List<String> startingView = List.of();

    /**
     * A group that has started nothing yet.
     *
     * @param name the group's name
     * @param launcher starts the gateways
     * @param defaultSpec what {@link #makeGateway()} starts
     * @param specs the gateways the group should have
     * @param lazy whether the gateways start on first use rather than on {@link #reconcile()}
     * @param terminateTimeout how long {@link #close()} waits for gateways to exit
     */
    public ConfiguredGroup(String name, GatewayLauncher launcher, String defaultSpec, List<String> specs, boolean lazy,
            Duration terminateTimeout) {
        this(new GatewayGroup(name, launcher, defaultSpec), type -> true, specs, lazy, terminateTimeout);
    }

    /**
     * A group that has started nothing yet, over a given group (its name, launcher and listener),
     * which starts a configured gateway only once a transport for its type is there.
     *
     * @param group holds the gateways and knows the default spec; nobody else should add to it
     * @param transportPresent whether a transport for a spec type (popen, ssh, ...) is there now
     * @param specs the gateways the group should have
     * @param lazy whether the gateways start on first use rather than on {@link #reconcile()}
     * @param terminateTimeout how long {@link #close()} waits for gateways to exit
     */
    public ConfiguredGroup(GatewayGroup group, Predicate<String> transportPresent, List<String> specs, boolean lazy,
            Duration terminateTimeout) {
        this.group = group;
        this.launcherWarmStart = group.warmStart();
        this.transportPresent = transportPresent;
        this.specs = List.copyOf(specs);
        this.lazy = lazy;
        this.terminateTimeout = terminateTimeout;
    }

    /**
     * Changes what the group should have; call {@link #reconcile()} to apply it.
     *
     * @param newSpecs the gateways the group should have, one spec string each
     * @param newDefaultSpec the spec {@code makeGateway()} without arguments uses
     * @param newLazy whether the gateways start on first use rather than on {@link #reconcile()}
     * @param newTimeout how long {@link #close()} waits for gateways to exit
     * @throws org.execnet4j.api.InvalidSpecException if {@code newDefaultSpec} is malformed
     */
    public void configure(List<String> newSpecs, String newDefaultSpec, boolean newLazy, Duration newTimeout) {
        this.specs = List.copyOf(newSpecs);
        group.setDefaultSpec(newDefaultSpec);
        this.lazy = newLazy;
        this.terminateTimeout = newTimeout;
    }

    /**
     * Turns the warm start of the group's popen gateways on or off (README "Fast start").
     *
     * @param on the configured setting, or empty for the launcher's
     */
    public void setWarmStart(Optional<Boolean> on) {
        group.setWarmStart(on.orElse(launcherWarmStart));
    }

    /** {@return the spec strings the group follows} */
    public List<String> specs() {
        return specs;
    }

    /** {@return whether the configured gateways wait for first use} */
    public boolean isLazy() {
        return lazy;
    }

    /** {@return whether the configured gateways were started (a lazy group's are not before first use)} */
    public boolean isStarted() {
        return started;
    }

    /** Starts, keeps and exits gateways until the group matches its specs; a lazy group that was never used waits. */
    public synchronized void reconcile() {
        if (closed || (lazy && !started)) {
            return;
        }
        started = true;
        List<Member> unmatched = new ArrayList<>(members);
        List<String> missing = new ArrayList<>();
        for (String spec : specs) {
            Optional<Member> match = unmatched.stream()
                    .filter(m -> m.spec().equals(spec) && m.gateway().isAlive()).findFirst();
            if (match.isPresent()) {
                unmatched.remove(match.get());
            } else {
                missing.add(spec);
            }
        }
        members.removeAll(unmatched);
        exit(unmatched);
        failures.clear();
        startingView = List.copyOf(missing);
        try {
            start(missing);
        } finally {
            startingView = List.of();
            publishViews();
        }
    }

    private void publishViews() {
        memberView = List.copyOf(members);
        failureView = Map.copyOf(failures);
    }

    @Override
    public boolean isWaitingForFirstUse() {
        return lazy && !started;
    }

    @Override
    public Map<String, String> down() {
        return assess(false);
    }

    @Override
    public Map<String, String> restarting() {
        return assess(true);
    }

    /**
     * Each configured spec without a live gateway, with why: those starting or waiting for their
     * transport ({@code restarting}), or the others (down).
     */
    private Map<String, String> assess(boolean restarting) {
        Map<String, String> found = new LinkedHashMap<>();
        if (isWaitingForFirstUse() || closed) {
            return found;
        }
        List<Member> live = new ArrayList<>(memberView.stream().filter(m -> m.gateway().isAlive()).toList());
        Map<String, String> failed = failureView;
        List<String> starting = startingView;
        for (String spec : specs) {
            Optional<Member> match = live.stream().filter(m -> m.spec().equals(spec)).findFirst();
            if (match.isPresent()) {
                live.remove(match.get());
                continue;
            }
            String why = failed.get(spec);
            boolean coming = starting.contains(spec) || (why != null && isWaitingForTransport(why));
            if (coming == restarting) {
                found.put(spec, why != null ? (coming ? why : "did not start: " + why)
                        : coming ? "starting" : "not running (it ended or was terminated)");
            }
        }
        return found;
    }

    private static boolean isWaitingForTransport(String why) {
        return why.startsWith(WAITING_FOR_TRANSPORT);
    }

    /** Reconciles again if some configured gateway failed to start, e.g. for want of a transport then missing. */
    public synchronized void retryFailed() {
        if (!failures.isEmpty()) {
            reconcile();
        }
    }

    /** {@return the configured specs that failed to start last time or wait for their transport, each with why} */
    public synchronized Map<String, String> failures() {
        return Map.copyOf(failures);
    }

    /**
     * Exits the configured gateways of a spec type whose transport went away, then reconciles:
     * they start again at once if another transport serves the type, else when one arrives.
     *
     * @param type a spec type such as {@code popen}
     */
    public synchronized void transportGone(String type) {
        List<Member> leaving = members.stream().filter(m -> Spec.parse(m.spec()).type().equals(type)).toList();
        members.removeAll(leaving);
        publishViews();
        exit(leaving);
        if (started) {
            reconcile();
        }
    }

    private void exit(List<Member> leaving) {
        for (Member m : leaving) {
            group.remove(m.gateway().id());
            LOG.info("group {}: gateway {} ({}) exits", name(), m.gateway().id(), m.spec());
        }
        GatewayGroup.exitTogether(leaving.stream().map(Member::gateway).toList(), System.nanoTime() + terminateTimeout.toNanos());
    }

    private void start(List<String> wanted) {
        List<String> starting = new ArrayList<>();
        for (String spec : wanted) {
            String type = Spec.parse(spec).type();
            if (transportPresent.test(type)) {
                starting.add(spec);
            } else {
                failures.put(spec, WAITING_FOR_TRANSPORT + " for '" + type + "'");
                LOG.info("group {}: gateway {} waits for a transport for '{}'", name(), spec, type);
            }
        }
        List<CompletableFuture<Gateway>> futures = group.startEach(starting);
        for (int i = 0; i < starting.size(); i++) {
            String spec = starting.get(i);
            try {
                Gateway gateway = futures.get(i).join();
                members.add(new Member(spec, gateway));
                LOG.info("group {}: gateway {} ({}) started", name(), gateway.id(), spec);
            } catch (CompletionException e) {
                String why = e.getCause() == null ? e.toString() : e.getCause().getMessage();
                failures.put(spec, why);
                LOG.warn("group {}: gateway {} did not start: {}", name(), spec, why);
            }
        }
    }

    private void ensureStarted() {
        if (!started && !closed) {
            synchronized (this) {
                if (!started) {
                    started = true;
                    reconcile();
                }
            }
        }
    }

    /**
     * Terminates every gateway for good: later reconciles and first uses start nothing.
     *
     * @return how each gateway ended, by gateway id
     */
    public synchronized Map<String, ExitOutcome> shutdown() {
        closed = true;
        return terminate(terminateTimeout);
    }

    @Override
    public String name() {
        return group.name();
    }

    @Override
    public Gateway makeGateway(String spec) {
        return group.makeGateway(spec);
    }

    @Override
    public Gateway makeGateway() {
        return group.makeGateway();
    }

    @Override
    public List<Gateway> makeGateways(List<String> specList) {
        return group.makeGateways(specList);
    }

    @Override
    public Optional<Gateway> get(String id) {
        ensureStarted();
        return group.get(id);
    }

    @Override
    public List<Gateway> gateways() {
        ensureStarted();
        return group.gateways();
    }

    @Override
    public int size() {
        ensureStarted();
        return group.size();
    }

    @Override
    public Iterator<Gateway> iterator() {
        return gateways().iterator();
    }

    @Override
    public MultiChannel remoteExec(String source) {
        ensureStarted();
        return group.remoteExec(source);
    }

    @Override
    public MultiChannel remoteExec(PythonSource source, Map<String, ?> kwargs) {
        ensureStarted();
        return group.remoteExec(source, kwargs);
    }

    @Override
    public void setDefaultSpec(String spec) {
        group.setDefaultSpec(spec);
    }

    @Override
    public String defaultSpec() {
        return group.defaultSpec();
    }

    @Override
    public void setExecmodel(String execmodel) {
        group.setExecmodel(execmodel);
    }

    @Override
    public void setRemoteOutput(RemoteOutput output) {
        group.setRemoteOutput(output);
    }

    /** Ends every gateway; the configured ones come back with the next configuration update. */
    @Override
    public synchronized Map<String, ExitOutcome> terminate(Duration timeout) {
        members.clear();
        failures.clear();
        publishViews();
        return group.terminate(timeout);
    }

    @Override
    public void close() {
        terminate(terminateTimeout);
    }

    @Override
    public String toString() {
        return group.toString();
    }
}
