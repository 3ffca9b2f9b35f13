package org.execnet4j.group;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.GatewayClosedException;
import org.execnet4j.api.GatewayFactory;
import org.execnet4j.api.Group;
import org.execnet4j.core.GatewayLauncher;
import org.execnet4j.group.internal.ConfiguredGroup;
import org.execnet4j.group.internal.GatewayGroup;
import org.execnet4j.group.internal.PlainJavaLauncher;

/**
 * The plain {@link GatewayFactory}: groups over a {@link GatewayLauncher}. {@link #close()}
 * terminates every group it made, so whoever owns the factory (a DI container, an OSGi
 * component, a try-with-resources block) owns the processes too.
 */
@Singleton
public final class DefaultGatewayFactory implements GatewayFactory, AutoCloseable {
    private final GatewayLauncher launcher;
    private final GatewayListener listener;
    /** The configured groups made by {@link #newGroup(GroupConfiguration)}, shut down for good by {@link #close()}. */
    private final Set<ConfiguredGroup> configured = ConcurrentHashMap.newKeySet();
    /** The groups that have gateways: empty groups hold no process, so the factory need not keep them. */
    private final Set<Group> occupied = ConcurrentHashMap.newKeySet();
    private Group defaultGroup;

    /** A factory with the transports found through ServiceLoader and default settings. */
    @Inject
    public DefaultGatewayFactory() {
        this(GatewayListener.NONE);
    }

    /**
     * A factory with the transports found through ServiceLoader and default settings, whose groups
     * tell {@code listener} when gateways start and end.
     *
     * @param listener told about every gateway of every group this factory makes
     */
    public DefaultGatewayFactory(GatewayListener listener) {
        this(PlainJavaLauncher.get(), listener);
    }

    /**
     * A factory over a given launcher (its transports and settings).
     *
     * @param launcher starts the gateways
     */
    public DefaultGatewayFactory(GatewayLauncher launcher) {
        this(launcher, GatewayListener.NONE);
    }

    /**
     * A factory over a given launcher whose groups tell {@code listener} when gateways start and end.
     *
     * @param launcher starts the gateways
     * @param listener told about every gateway of every group this factory makes
     */
    public DefaultGatewayFactory(GatewayLauncher launcher, GatewayListener listener) {
        this.launcher = launcher;
        this.listener = listener;
    }

    @Override
    public Group newGroup(String name) {
        return newGatewayGroup(name, GatewayGroup.DEFAULT_SPEC);
    }

    private GatewayGroup newGatewayGroup(String name, String defaultSpec) {
        return new GatewayGroup(name, launcher, defaultSpec, (group, isOccupied) -> {
            if (isOccupied) {
                occupied.add(group);
            } else {
                occupied.remove(group);
            }
        }, listener);
    }

    /**
     * A group that follows a configuration: with {@code start = eager} its gateways are started
     * before this returns, with {@code lazy} on the first call that needs them (a spec that fails
     * then is logged and left out). {@link #close()} ends it for good.
     *
     * @param config the validated configuration
     * @return the group
     * @throws GatewayClosedException when an eager group's gateway does not start, naming each such
     *         spec and why; the gateways that did start are ended
     */
    public Group newGroup(GroupConfiguration config) {
        ConfiguredGroup group = new ConfiguredGroup(newGatewayGroup(config.name(), config.defaultSpec()), type -> true, config.specs(),
                config.isLazy(), config.terminateTimeout());
        group.setWarmStart(config.warmStart());
        configured.add(group);
        group.reconcile();
        Map<String, String> failures = group.failures();
        if (!failures.isEmpty()) {
            configured.remove(group);
            group.shutdown();
            throw new GatewayClosedException("group " + config.name() + ": " + failures.entrySet().stream()
                    .map(f -> f.getKey() + " did not start: " + f.getValue()).collect(Collectors.joining("; ")));
        }
        return group;
    }

    @Override
    public Gateway makeGateway(String spec) {
        Group group;
        synchronized (this) {
            if (defaultGroup == null) {
                defaultGroup = newGroup("default");
            }
            group = defaultGroup;
        }
        return group.makeGateway(spec);
    }

    /**
     * Terminates every group this factory made that has gateways or warm interpreters, within the
     * exit timeout plus a small slack, and kills the launcher's agent compilers still running.
     */
    @Override
    public void close() {
        synchronized (this) {
            defaultGroup = null;
        }
        Duration timeout = launcher.settings().exitTimeout();
        List<ConfiguredGroup> ending = List.copyOf(configured);
        configured.removeAll(ending);
        ending.parallelStream().forEach(ConfiguredGroup::shutdown);
        List.copyOf(occupied).parallelStream().forEach(g -> g.terminate(timeout));
        launcher.abortCompiles();
    }

    /**
     * Exits every gateway of this factory's groups whose spec has this type, for when its
     * transport goes away (the gateways would hold on to the transport's classes).
     *
     * @param type a spec type such as {@code popen}
     * @return how many gateways were asked to exit
     */
    public int exitGatewaysOfType(String type) {
        Duration timeout = launcher.settings().exitTimeout();
        List<Gateway> ending = List.copyOf(occupied).stream().flatMap(g -> g.gateways().stream())
                .filter(g -> g.spec().type().equals(type)).toList();
        ending.parallelStream().forEach(g -> g.exit(timeout));
        return ending.size();
    }

    /**
     * How many of this factory's groups have gateways now (for tools and tests).
     *
     * @return the number of occupied groups
     */
    public int occupiedGroups() {
        return occupied.size();
    }
}
