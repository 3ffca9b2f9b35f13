package org.execnet4j.transport.ssh.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.sshd.client.session.ClientSession;
import org.execnet4j.transport.ssh.SshTransportException;
import org.execnet4j.transport.ssh.SshTransportException.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shares one authenticated session per {@link Endpoint#key()} among the gateways (and the tunnels
 * of jump hosts) that need it: the first user connects, later users wait for that connection, and
 * the last user to leave closes it. When the last session is gone the client is stopped. A
 * connection on which the server refuses another session (OpenSSH allows {@code MaxSessions}, 10 by
 * default, per connection) is retired: its users keep it, and later users get a new connection.
 */
final class SessionPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SessionPool.class);

    /** Makes a new authenticated session for an endpoint; may set the pooled session's onClose. */
    interface Connector {
        ClientSession connect(Endpoint endpoint, PooledSession pooled) throws IOException;
    }

    private final OnDemandClient client;
    private final Duration readyTimeout;
    private final Object lock = new Object();
    private final Map<String, PooledSession> sessions = new HashMap<>();
    /** Connections still in use that take no new users (the server refused a session on them). */
    private final Set<PooledSession> retired = new HashSet<>();
    private Connector connector;
    private boolean closed;

    SessionPool(OnDemandClient client, Duration readyTimeout) {
        this.client = client;
        this.readyTimeout = readyTimeout;
    }

    /** Sets how new sessions are made (the connector itself needs the pool for jump hosts). */
    void connectWith(Connector newConnector) {
        this.connector = newConnector;
    }

    /** How many sessions are open and authenticated. */
    int openSessions() {
        synchronized (lock) {
            return (int) sessions.values().stream().filter(PooledSession::isUsable).count();
        }
    }

    /** A session for the endpoint, shared if one is open or being opened; release it when done. */
    PooledSession acquire(Endpoint endpoint) throws IOException {
        String key = endpoint.key();
        PooledSession pooled;
        boolean create = false;
        synchronized (lock) {
            if (closed) {
                throw new SshTransportException(Stage.CLOSED, "ssh " + endpoint.describe() + ": the ssh transport is closed", null);
            }
            pooled = sessions.get(key);
            if (pooled != null && pooled.session != null && !pooled.session.isOpen()) {
                sessions.remove(key);
                pooled = null;
            }
            if (pooled == null) {
                pooled = new PooledSession(key);
                sessions.put(key, pooled);
                create = true;
            }
            pooled.users++;
        }
        if (create) {
            open(endpoint, pooled);
        } else {
            awaitReady(pooled);
        }
        return pooled;
    }

    /**
     * Swaps a connection on which the server refused a session for another one to the same
     * endpoint (or the one another user swapped it for meanwhile); the caller's use moves to it.
     *
     * @param full the connection the caller acquired, released here
     * @return the connection to use instead; release it when done
     * @throws IOException as {@link #acquire} does
     */
    PooledSession replace(Endpoint endpoint, PooledSession full) throws IOException {
        synchronized (lock) {
            if (sessions.remove(endpoint.key(), full)) {
                retired.add(full);
                LOG.debug("ssh {}: the server refused a session on this connection, opening another", full.key);
            }
        }
        PooledSession other = acquire(endpoint);
        release(full);
        return other;
    }

    private void open(Endpoint endpoint, PooledSession pooled) throws IOException {
        try {
            ClientSession session = connector.connect(endpoint, pooled);
            pooled.session = session;
            session.addCloseFutureListener(f -> forget(pooled));
            pooled.ready.complete(session);
            LOG.debug("ssh {}: connected", pooled.key);
        } catch (IOException | RuntimeException e) {
            pooled.ready.completeExceptionally(e);
            synchronized (lock) {
                sessions.remove(pooled.key, pooled);
            }
            stopClientIfIdle();
            throw e;
        }
    }

    private void awaitReady(PooledSession pooled) throws IOException {
        try {
            pooled.ready.get(readyTimeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.debug("ssh {}: reusing the connection", pooled.key);
        } catch (ExecutionException e) {
            synchronized (lock) {
                pooled.users--;
            }
            Throwable cause = e.getCause();
            if (cause instanceof SshTransportException failure) {
                throw new SshTransportException(failure.stage(), failure.getMessage(), failure);
            }
            throw new SshTransportException(Stage.CONNECT, "ssh " + pooled.key + ": " + Failures.reason(cause), cause);
        } catch (TimeoutException | InterruptedException e) {
            release(pooled);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new SshTransportException(Stage.CONNECT, "ssh " + pooled.key + ": the shared connection was not ready in time", e);
        }
    }

    /**
     * One more user of a session that is in use, such as a stream beside a gateway's channel.
     *
     * @throws IOException when the session has closed meanwhile (or the pool)
     */
    void retain(PooledSession pooled) throws IOException {
        synchronized (lock) {
            if (closed || !(sessions.get(pooled.key) == pooled || retired.contains(pooled)) || !pooled.session.isOpen()) {
                throw new SshTransportException(Stage.CLOSED, "ssh " + pooled.key + ": the connection is closed", null);
            }
            pooled.users++;
        }
    }

    /** A user of the session is done; the last one closes it. */
    void release(PooledSession pooled) {
        boolean last;
        synchronized (lock) {
            pooled.users--;
            last = pooled.users <= 0;
            if (last) {
                sessions.remove(pooled.key, pooled);
                retired.remove(pooled);
            }
        }
        if (last && pooled.session != null) {
            LOG.debug("ssh {}: last channel closed, closing the connection", pooled.key);
            pooled.session.close(false);
        }
    }

    private void forget(PooledSession pooled) {
        synchronized (lock) {
            sessions.remove(pooled.key, pooled);
            retired.remove(pooled);
        }
        try {
            pooled.onClose.run();
        } finally {
            stopClientIfIdle();
        }
    }

    private void stopClientIfIdle() {
        // under the lock: a session registers itself before it asks for the client
        synchronized (lock) {
            if (sessions.isEmpty() && retired.isEmpty()) {
                client.stopLater();
            }
        }
    }

    /** Closes every session and stops the client; later acquisitions fail. */
    @Override
    public void close() {
        List<PooledSession> all;
        synchronized (lock) {
            closed = true;
            all = new ArrayList<>(sessions.values());
            all.addAll(retired);
            sessions.clear();
            retired.clear();
        }
        for (PooledSession s : all) {
            if (s.session != null) {
                s.session.close(true);
            }
        }
        client.stopNow();
    }
}
