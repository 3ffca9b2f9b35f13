package org.execnet4j.group;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.execnet4j.api.Gateway;
import org.execnet4j.api.GatewayFactory;
import org.execnet4j.api.Group;
import org.execnet4j.core.EngineSettings;
import org.execnet4j.core.GatewayLauncher;
import org.execnet4j.core.TransportLocator;
import org.execnet4j.trace.Tracing;
import org.execnet4j.group.internal.GatewayGroup;

/**
 * The plain {@link GatewayFactory}: groups over a {@link GatewayLauncher}. {@link #close()}
 * terminates every group it made, so whoever owns the factory (a DI container, an OSGi
 * component, a try-with-resources block) owns the processes too.
 */
@Singleton
public final class DefaultGatewayFactory implements GatewayFactory, AutoCloseable {
    private final GatewayLauncher launcher;
    private final List<Group> groups = new ArrayList<>();
    private Group defaultGroup;

    /** A factory with the transports found through ServiceLoader and default settings. */
    @Inject
    public DefaultGatewayFactory() {
        this(new GatewayLauncher(TransportLocator.serviceLoader(DefaultGatewayFactory.class.getClassLoader()),
                EngineSettings.DEFAULTS.withTracer(Tracing.fromEnvironment())));
    }

    /** A factory over a given launcher (its transports and settings). */
    public DefaultGatewayFactory(GatewayLauncher launcher) {
        this.launcher = launcher;
    }

    @Override
    public synchronized Group newGroup(String name) {
        Group group = new GatewayGroup(name, launcher, GatewayGroup.DEFAULT_SPEC);
        groups.add(group);
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

    /** Terminates every group this factory made, within the exit timeout plus a small slack. */
    @Override
    public void close() {
        List<Group> all;
        synchronized (this) {
            all = new ArrayList<>(groups);
            groups.clear();
            defaultGroup = null;
        }
        Duration timeout = launcher.settings().exitTimeout();
        all.parallelStream().forEach(g -> g.terminate(timeout));
    }
}
