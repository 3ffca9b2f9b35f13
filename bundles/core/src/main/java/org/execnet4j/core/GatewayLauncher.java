package org.execnet4j.core;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.execnet4j.api.Connection;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.GatewayClosedException;
import org.execnet4j.api.Spec;
import org.execnet4j.api.Transport;
import org.execnet4j.core.internal.Abbreviation;
import org.execnet4j.core.internal.CompiledAgents;
import org.execnet4j.core.internal.GatewayStart;
import org.execnet4j.core.internal.WarmInterpreters;

/**
 * Starts gateways: finds the transport for a spec, has it start the interpreter, bootstraps the
 * Python agent over the connection and returns the running {@link Gateway}. Thread-safe.
 *
 * <p>Application code uses {@link #launch(Spec, String)} (or, better, a {@code Group}).
 * {@link #transportFor} and the five-argument {@code launch} are an SPI for group
 * implementations: they start gateways through another transport ({@code via=}, which tunnels
 * through a member of the group), with per-group settings and warm interpreters
 * ({@link WarmPool}), and cancellable by the group.
 *
 * <p>A gateway started without a group ({@link #launch(Spec, String)}) always starts fresh: a warm
 * interpreter needs an owner that ends it, and only a group (or another caller of the SPI with a
 * {@link WarmPool}) is one.
 */
public final class GatewayLauncher {
    private final TransportLocator transports;
    private final EngineSettings settings;
    private final CompiledAgents compiledAgents;
    /** The pool of gateways started without a group, which start fresh: it never holds a warm interpreter. */
    private final WarmPool noWarmPool;

    /**
     * A launcher; it owns the cache of compiled agents, so one launcher serves many gateways.
     *
     * @param transports finds the transport for a spec's type
     * @param settings the settings gateways start with (their bootstrap timeout also bounds the
     *     processes that compile the agent)
     * @throws NullPointerException if either is {@code null}
     */
    public GatewayLauncher(TransportLocator transports, EngineSettings settings) {
        this.transports = Objects.requireNonNull(transports, "transports");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.compiledAgents = new CompiledAgents(settings.bootstrapTimeout());
        this.noWarmPool = newWarmPool();
    }

    /**
     * A pool of warm interpreters for one owner (a group) to start its gateways with and close when
     * it ends (SPI for group implementations).
     *
     * @return a new, empty pool whose interpreters get this launcher's bootstrap timeout to get ready
     */
    public WarmPool newWarmPool() {
        return new WarmPool(settings.bootstrapTimeout());
    }

    /** {@return the settings gateways start with} */
    public EngineSettings settings() {
        return settings;
    }

    /**
     * Starts a gateway with the given id, through the installed transport for its spec and with
     * this launcher's settings, fresh (without a group, there is no owner for a warm interpreter).
     *
     * @param spec the gateway's spec
     * @param id its id, unique in its group (the remote calls itself {@code <id>-worker})
     * @return the running gateway
     * @throws GatewayClosedException when the interpreter cannot be started or does not answer;
     *     the message says why, with the remote's last output
     */
    public Gateway launch(Spec spec, String id) {
        return launch(spec, id, transportFor(spec, id), settings.toBuilder().warmStart(false).build(), new PendingLaunch(),
                noWarmPool);
    }

    /**
     * The installed transport for the spec's type (SPI for group implementations).
     *
     * @param spec the gateway's spec, whose {@link Spec#type()} is looked up
     * @param id the gateway's id, named in the error
     * @return the transport
     * @throws GatewayClosedException if no transport for that type is installed
     */
    public Transport transportFor(Spec spec, String id) {
        return transports.find(spec.type()).orElseThrow(() -> new GatewayClosedException(
                Abbreviation.gateway(id, spec) + ": no transport for '" + spec.type() + "' is installed"));
    }

    /**
     * Starts a gateway through the given transport (such as one that tunnels through another
     * gateway) with the given settings and, when their warm start is on, forked from a warm
     * interpreter of the given pool (SPI for group implementations).
     *
     * @param spec the gateway's spec
     * @param id its id
     * @param transport what opens the connection to the interpreter
     * @param gatewaySettings the settings it runs with
     * @param pending lets another thread cancel this start (killing the interpreter)
     * @param warmPool the warm interpreters of the gateway's owner
     * @return the running gateway
     * @throws GatewayClosedException when the interpreter cannot be started, does not answer or
     *     the start was cancelled; the message says why, with the remote's last output
     */
    public Gateway launch(Spec spec, String id, Transport transport, EngineSettings gatewaySettings, PendingLaunch pending,
            WarmPool warmPool) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("id", id + "-worker");
        config.put("execmodel", spec.execmodel().orElse("thread"));
        config.put("io", transport.connectsToServer() ? "socket" : "stdio");
        config.put("shutdown_grace", gatewaySettings.shutdownGrace().toMillis() / 1000.0);
        config.put("max_item", gatewaySettings.maxItemBytes());
        if (gatewaySettings.flowWindow() > 0) {
            config.put("flow_window", gatewaySettings.flowWindow());
        }
        String remoteTrace = gatewaySettings.tracer().remoteSetting();
        if (!remoteTrace.isEmpty()) {
            config.put("debug", remoteTrace);
        }
        WarmInterpreters warm = warmPool.interpreters();
        Connection connection;
        Optional<Connection> forked;
        try {
            forked = gatewaySettings.warmStart() ? warm.fork(spec, transport, config) : Optional.empty();
            connection = forked.isPresent() ? forked.get() : transport.open(spec, GatewayStart.pythonArgs(spec));
        } catch (IOException e) {
            throw new GatewayClosedException(Abbreviation.gateway(id, spec) + " failed to start: " + e.getMessage(), e);
        }
        if (!pending.attach(connection)) {
            throw cancelled(spec, id, pending, null);
        }
        try {
            boolean forksLater = gatewaySettings.warmStart() && warm.startsWithFirst(spec, transport);
            Gateway gateway = GatewayStart.start(id, spec, transport, connection, gatewaySettings, config, compiledAgents,
                    !forksLater);
            if (gatewaySettings.warmStart() && forked.isEmpty()) {
                // not before its first answer: a lone gateway's first request must not share the CPU with the warm start
                GatewayStart.afterFirstAnswer(gateway, () -> warm.startedFresh(spec, transport));
            }
            return gateway;
        } catch (GatewayClosedException e) {
            throw pending.cancelled().isPresent() ? cancelled(spec, id, pending, e) : e;
        }
    }

    private static GatewayClosedException cancelled(Spec spec, String id, PendingLaunch pending, Throwable cause) {
        return new GatewayClosedException(Abbreviation.gateway(id, spec) + " did not start: "
                + pending.cancelled().orElseThrow(), cause);
    }

    /**
     * Kills the background processes that compile the agent for an interpreter (the owner of
     * this launcher calls this when it closes, so none outlives it; each is killed anyway when it
     * has not answered within the bootstrap timeout); a later gateway compiles again.
     */
    public void abortCompiles() {
        compiledAgents.abort();
    }
}
