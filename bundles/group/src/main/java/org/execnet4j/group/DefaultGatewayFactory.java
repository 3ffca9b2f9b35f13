package org.execnet4j.group;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.GatewayFactory;
import org.execnet4j.api.Group;
import org.execnet4j.core.GatewayLauncher;
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
    /** The groups that have gateways: empty groups hold no process, so the factory need not keep them. */
    private final Set<Group> occupied = ConcurrentHashMap.newKeySet();
    private Group defaultGroup;

    /** A factory with the transports found through ServiceLoader and default settings. */
    @Inject
    public DefaultGatewayFactory() {
        this(PlainJavaLauncher.get());
    }

    /** A factory over a given launcher (its transports and settings). */
    public DefaultGatewayFactory(GatewayLauncher launcher) {
        this.launcher = launcher;
    }

    @Override
    public Group newGroup(String name) {
        return new GatewayGroup(name, launcher, GatewayGroup.DEFAULT_SPEC, (group, isOccupied) -> {
            if (isOccupied) {
                occupied.add(group);
            } else {
                occupied.remove(group);
            }
        });
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

    /** Terminates every group this factory made that has gateways, within the exit timeout plus a small slack. */
    @Override
    public void close() {
        synchronized (this) {
            defaultGroup = null;
        }
        Duration timeout = launcher.settings().exitTimeout();
        List.copyOf(occupied).parallelStream().forEach(g -> g.terminate(timeout));
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

    /** How many of this factory's groups have gateways now (for tools and tests). */
    public int occupiedGroups() {
        return occupied.size();
    }
}
