package org.execnet4j.transport.ssh.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * An sntrup761 key pair generated for one connection while it connects, in a thread of its own:
 * the client has nothing else to do while the server starts its process for the connection
 * (OpenSSH re-executes sshd) and sends its version and algorithms, which takes longer than the key
 * generation, so the key exchange finds the key pair ready. It serves the connection's first key
 * exchange only; a later one (a re-key) generates its own.
 */
final class SntrupKeyAhead implements Supplier<Sntrup761.KeyPair> {
    private final CompletableFuture<Sntrup761.KeyPair> key = new CompletableFuture<>();
    private final AtomicBoolean taken = new AtomicBoolean();

    private SntrupKeyAhead() {
    }

    /** Starts generating the key pair now. */
    static SntrupKeyAhead start() {
        SntrupKeyAhead ahead = new SntrupKeyAhead();
        Thread t = new Thread(() -> {
            try {
                ahead.key.complete(Sntrup761.generate());
            } catch (RuntimeException | Error e) {
                ahead.key.completeExceptionally(e);
            }
        }, "execnet4j-ssh-sntrup761-key");
        t.setDaemon(true);
        t.start();
        return ahead;
    }

    /** The key pair generated ahead for the first key exchange, a fresh one for any later one. */
    @Override
    public Sntrup761.KeyPair get() {
        return taken.compareAndSet(false, true) ? key.join() : Sntrup761.generate();
    }

    /** Whether a key exchange took it (false: the server chose another algorithm). */
    boolean taken() {
        return taken.get();
    }
}
