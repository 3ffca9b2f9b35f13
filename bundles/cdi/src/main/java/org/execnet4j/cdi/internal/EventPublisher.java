package org.execnet4j.cdi.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.inject.spi.BeanManager;

import org.execnet4j.api.Gateway;
import org.execnet4j.cdi.GatewayEnded;
import org.execnet4j.cdi.GatewayStarted;
import org.execnet4j.group.GatewayListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes {@link GatewayStarted} and {@link GatewayEnded} as CDI events, in order, on one thread
 * of its own (gateways report their end while holding their receive lock, where an observer must
 * not run), whose context class loader is the application's.
 */
final class EventPublisher implements GatewayListener {
    private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);
    /** How long {@link #close()} lets the events still queued be delivered. */
    private static final long DRAIN_SECONDS = 30;

    private final BeanManager beans;
    private final ExecutorService thread;

    EventPublisher(BeanManager beans, ClassLoader applicationLoader) {
        this.beans = beans;
        this.thread = Executors.newSingleThreadExecutor(task -> {
            Thread t = new Thread(task, "execnet4j-cdi-events");
            t.setDaemon(true);
            t.setContextClassLoader(applicationLoader);
            return t;
        });
    }

    @Override
    public void started(String group, Gateway gateway) {
        publish(new GatewayStarted(group, gateway));
    }

    @Override
    public void ended(String group, Gateway gateway) {
        publish(new GatewayEnded(group, gateway));
    }

    private void publish(Object event) {
        try {
            thread.execute(() -> {
                try {
                    beans.getEvent().fire(event);
                } catch (RuntimeException e) {
                    LOG.warn("execnet4j: an observer of {} failed", event, e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            LOG.debug("execnet4j: the application has stopped, {} is not published", event);
        }
    }

    /** Delivers the events already queued (within a bound) and ends the thread. */
    void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(DRAIN_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("execnet4j: gateway events still undelivered after {} s are dropped", DRAIN_SECONDS);
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
