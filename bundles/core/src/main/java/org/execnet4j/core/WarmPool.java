package org.execnet4j.core;

import java.time.Duration;

import org.execnet4j.core.internal.WarmInterpreters;

/**
 * The warm interpreters of one owner, usually a group (README "Fast start"): popen and ssh gateways
 * started through {@link GatewayLauncher#launch(org.execnet4j.api.Spec, String, org.execnet4j.api.Transport,
 * EngineSettings, PendingLaunch, WarmPool)} with the warm start on are forked from them. A kind's
 * warm interpreter starts after its first gateway answered its first request (popen) or with it, which is then forked too (ssh, see
 * {@link org.execnet4j.api.spi.UnixSocketReach#startsWarmWithFirst()}), at once for a burst.
 * {@link #close()} ends them (also those still starting), so the owner decides when they go; they
 * also end when the JVM exits or is killed. Thread-safe; usable again after {@code close()} (a
 * later gateway starts a new warm interpreter).
 */
public final class WarmPool implements AutoCloseable {
    private final WarmInterpreters interpreters;

    /**
     * An empty pool.
     *
     * @param timeout how long a warm interpreter may take to get ready, and to fork a gateway
     */
    public WarmPool(Duration timeout) {
        this.interpreters = new WarmInterpreters(timeout);
    }

    WarmInterpreters interpreters() {
        return interpreters;
    }

    /**
     * Ends every warm interpreter of this pool, killing those still starting, and waits until
     * they are gone (each gets two seconds to exit before it is killed). The gateways they forked
     * run on until they end (the owner ends them first).
     */
    @Override
    public void close() {
        interpreters.close();
    }
}
