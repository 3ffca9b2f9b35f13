package org.execnet4j.cdi.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.inject.spi.BeanManager;

import org.execnet4j.api.GatewayFactory;
import org.execnet4j.api.Group;
import org.execnet4j.group.DefaultGatewayFactory;
import org.execnet4j.group.GroupConfiguration;

/**
 * What one application owns: the factory behind the injected {@link GatewayFactory}, the
 * configured groups (one per name, made on first need) and the event thread. {@link #stop()} ends
 * every gateway of every group and then the event thread.
 */
final class ExecnetRuntime {
    private final Map<String, GroupConfiguration> configurations;
    private final EventPublisher events;
    private final DefaultGatewayFactory factory;
    private final Map<String, Group> groups = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    /**
     * @param configurations the validated configured groups by name
     * @param beans fires the gateway events
     * @param applicationLoader the class loader observers run with
     */
    ExecnetRuntime(Map<String, GroupConfiguration> configurations, BeanManager beans, ClassLoader applicationLoader) {
        this.configurations = Map.copyOf(configurations);
        this.events = new EventPublisher(beans, applicationLoader);
        this.factory = new DefaultGatewayFactory(events);
    }

    GatewayFactory factory() {
        return factory;
    }

    /** The configured group of that name, made (and with start = eager, started) on the first call. */
    Group group(String name) {
        if (stopped) {
            throw new IllegalStateException("execnet4j: the application has stopped, group " + name + " is gone");
        }
        return groups.computeIfAbsent(name, n -> factory.newGroup(configurations.get(n)));
    }

    /** Makes, and so starts, every group with {@code start = eager}. */
    void startEagerGroups() {
        configurations.forEach((name, config) -> {
            if (!config.isLazy()) {
                group(name);
            }
        });
    }

    /** Terminates every group the application made (configured or through the factory); idempotent. */
    synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        factory.close();
        events.close();
    }
}
