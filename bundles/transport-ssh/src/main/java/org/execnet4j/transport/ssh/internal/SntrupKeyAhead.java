package org.execnet4j.transport.ssh.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.sshd.common.kex.BuiltinKEM;
import org.apache.sshd.common.kex.KeyEncapsulationMethod;

/**
 * The client half of sntrup761 (MINA SSHD's, that is Bouncy Castle's) with its key pair generated
 * for one connection while it connects, in a thread of its own: the client has nothing else to do
 * while the server starts its process for the connection (OpenSSH re-executes sshd) and sends its
 * version and algorithms, which takes about as long as the key generation (40-60 ms of CPU), so
 * the key exchange finds the key pair ready. It serves the connection's first key exchange only;
 * a later one (a re-key) generates its own.
 */
final class SntrupKeyAhead implements KeyEncapsulationMethod {
    private final CompletableFuture<KeyEncapsulationMethod.Client> key = new CompletableFuture<>();
    private final AtomicBoolean taken = new AtomicBoolean();

    private SntrupKeyAhead() {
    }

    /** Starts generating the key pair now. */
    static SntrupKeyAhead start() {
        SntrupKeyAhead ahead = new SntrupKeyAhead();
        Thread t = new Thread(() -> {
            try {
                KeyEncapsulationMethod.Client client = BuiltinKEM.sntrup761.getClient();
                client.init();
                ahead.key.complete(client);
            } catch (RuntimeException | Error e) {
                ahead.key.completeExceptionally(e);
            }
        }, "execnet4j-ssh-sntrup761-key");
        t.setDaemon(true);
        t.start();
        return ahead;
    }

    /** The client half with the key pair generated ahead for the first key exchange, a fresh one for any later one. */
    @Override
    public KeyEncapsulationMethod.Client getClient() {
        if (!taken.compareAndSet(false, true)) {
            return BuiltinKEM.sntrup761.getClient();
        }
        KeyEncapsulationMethod.Client ready = key.join();
        return new KeyEncapsulationMethod.Client() {
            @Override
            public void init() {
                // generated ahead
            }

            @Override
            public byte[] getPublicKey() {
                return ready.getPublicKey();
            }

            @Override
            public byte[] extractSecret(byte[] encapsulated) {
                return ready.extractSecret(encapsulated);
            }

            @Override
            public int getEncapsulationLength() {
                return ready.getEncapsulationLength();
            }
        };
    }

    @Override
    public KeyEncapsulationMethod.Server getServer() {
        return BuiltinKEM.sntrup761.getServer();
    }

    /** Whether a key exchange took it (false: the server chose another algorithm). */
    boolean taken() {
        return taken.get();
    }
}
