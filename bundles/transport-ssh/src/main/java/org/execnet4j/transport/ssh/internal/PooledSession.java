package org.execnet4j.transport.ssh.internal;

import java.util.concurrent.CompletableFuture;

import org.apache.sshd.client.session.ClientSession;

/**
 * One connection of a {@link SessionPool}: the session once it is authenticated, how many
 * gateways (and tunnels) use it, and what to release when it closes (a jump host's tunnel).
 */
final class PooledSession {
    final String key;
    final CompletableFuture<ClientSession> ready = new CompletableFuture<>();
    volatile ClientSession session;
    /** Guarded by the pool's lock. */
    int users;
    volatile Runnable onClose = () -> { };
    /** Whether the server opened a {@code direct-streamlocal} channel on this connection (later ones need not wait). */
    volatile boolean streamLocalWorks;

    PooledSession(String key) {
        this.key = key;
    }

    boolean isUsable() {
        return ready.isDone() && !ready.isCompletedExceptionally();
    }
}
