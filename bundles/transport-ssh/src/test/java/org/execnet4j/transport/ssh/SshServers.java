package org.execnet4j.transport.ssh;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.forward.AcceptAllForwardingFilter;
import org.apache.sshd.server.shell.ProcessShellFactory;
import org.execnet4j.api.Channel;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.GatewayClosedException;
import org.execnet4j.api.Spec;
import org.execnet4j.api.Transport;
import org.execnet4j.core.EngineSettings;
import org.execnet4j.core.GatewayLauncher;
import org.execnet4j.testing.Await;
import org.execnet4j.testing.OpenSshd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real ssh servers for tests (MINA SSHD in-process, OpenSSH's sshd as a child process), keys and gateways. */
public final class SshServers {
    public static final String USER = System.getProperty("user.name");
    private static final AtomicInteger IDS = new AtomicInteger();

    private SshServers() {
    }

    /**
     * The authentication timeout for tests against {@link OpenSsh}: it counts from the TCP connection, so it
     * includes the key exchange, and Debian 12's sshd (OpenSSH 9.2) agrees on sntrup761x25519, whose first run
     * in a JVM (interpreted, then compiled) took 10-15 s of CPU-starved time at load 10-18 on 2 cores, against
     * the default of 15 s. Tests that are not about this timeout give it room.
     */
    public static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(90);

    /** A key pair made by ssh-keygen: {@code file} (private, OpenSSH format) and {@code file.pub}. */
    public record Key(Path file, String publicLine) {
        Path pub() {
            return Path.of(file + ".pub");
        }

        PublicKey publicKey() throws Exception {
            return AuthorizedKeyEntry.parseAuthorizedKeyEntry(publicLine).resolvePublicKey(null, PublicKeyEntryResolver.FAILING);
        }

        String fingerprint() throws Exception {
            return KeyUtils.getFingerPrint(org.apache.sshd.common.digest.BuiltinDigests.sha256, publicKey());
        }
    }

    /** An ECDSA key (supported by MINA without BouncyCastle), optionally encrypted. */
    public static Key keygen(Path file, String passphrase) throws Exception {
        OpenSshd.keygen(file, passphrase, "test");
        return new Key(file, Files.readString(Path.of(file + ".pub")).strip());
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    public static String knownHostsLine(int port, Key hostKey) {
        return "[127.0.0.1]:" + port + " " + hostKey.publicLine();
    }

    // ------------------------------------------------------------------ MINA SSHD

    /** MINA's SshServer on a free loopback port, running commands with /bin/sh -c. */
    static final class Mina implements AutoCloseable {
        final SshServer server;
        final Key hostKey;
        final List<PublicKey> authorized = new CopyOnWriteArrayList<>();
        volatile String password;
        final List<String> commands = new CopyOnWriteArrayList<>();

        Mina(Path dir) throws Exception {
            hostKey = keygen(dir.resolve("mina_host_key_" + IDS.incrementAndGet()), "");
            server = SshServer.setUpDefaultServer();
            server.setHost("127.0.0.1");
            server.setPort(0);
            server.setKeyPairProvider(new FileKeyPairProvider(hostKey.file()));
            server.setPublickeyAuthenticator((user, key, session) -> authorized.stream().anyMatch(k -> KeyUtils.compareKeys(k, key)));
            server.setPasswordAuthenticator((user, pw, session) -> password != null && password.equals(pw));
            server.setForwardingFilter(AcceptAllForwardingFilter.INSTANCE);
            server.setCommandFactory((channel, command) -> {
                commands.add(command);
                return new ProcessShellFactory(command, "/bin/sh", "-c", command).createShell(channel);
            });
            server.start();
        }

        Mina authorize(Key key) throws Exception {
            authorized.add(key.publicKey());
            return this;
        }

        int port() {
            return server.getPort();
        }

        int sessions() {
            return server.getActiveSessions().size();
        }

        @Override
        public void close() throws IOException {
            server.stop(true);
        }
    }

    // ------------------------------------------------------------------ OpenSSH

    /**
     * Debian's /usr/sbin/sshd on 127.0.0.1 ({@link OpenSshd}), with its files in a directory of its own below a
     * test's temp dir and LogLevel VERBOSE (each connection and login, for failure messages).
     */
    public static final class OpenSsh implements AutoCloseable {
        private final OpenSshd sshd;
        final Process process;
        public final int port;
        public final Key hostKey;

        public OpenSsh(Path parent, Key... authorized) throws Exception {
            this(parent, List.of(), authorized);
        }

        /**
         * @param extraConfig more sshd_config lines, such as {@code AllowStreamLocalForwarding no}
         */
        public OpenSsh(Path parent, List<String> extraConfig, Key... authorized) throws Exception {
            Path dir = Files.createDirectories(parent.resolve("sshd" + IDS.incrementAndGet()));
            sshd = OpenSshd.start(dir, "127.0.0.1", Stream.of(authorized).map(Key::publicLine).toList(), extraConfig,
                    "VERBOSE");
            process = sshd.process();
            port = sshd.port();
            hostKey = new Key(sshd.hostKeyFile(), sshd.hostKeyLine());
        }

        /**
         * What sshd logged so far (connections, logins, errors), for failure messages.
         *
         * @return the log's text
         * @throws IOException when it cannot be read
         */
        public String log() throws IOException {
            return sshd.log();
        }

        /** The connections the server handles: one child process of the listener each. */
        long connections() {
            return sshd.connections();
        }

        /** Kills the listener and every process it started (connections, shells, interpreters). */
        public void kill() {
            sshd.kill();
        }

        @Override
        public void close() {
            sshd.close();
        }
    }

    // ------------------------------------------------------------------ gateways

    public static Gateway launch(Transport transport, String spec) {
        GatewayLauncher launcher = new GatewayLauncher(type -> Optional.of(transport), EngineSettings.DEFAULTS);
        return launcher.launch(Spec.parse(spec), "gw" + IDS.incrementAndGet());
    }

    static void assertEcho(Gateway gw) {
        Channel ch = gw.remoteExec("channel.send(channel.receive())");
        ch.send("hello over ssh");
        assertEquals("hello over ssh", ch.receive(Duration.ofSeconds(15)));
        ch.waitClose(Duration.ofSeconds(5));
    }

    /** A gateway waiting in receive() wakes with GatewayClosedException within 5 s of {@code serverGone}. */
    static void assertWaiterWakesWhen(Gateway gw, ThrowingRunnable serverGone) throws Exception {
        Channel ch = gw.remoteExec("channel.receive()");
        CompletableFuture<Object> waiter = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                waiter.complete(ch.receive(Duration.ofSeconds(60)));
            } catch (RuntimeException e) {
                waiter.completeExceptionally(e);
            }
        }, "waiter-" + gw.id());
        thread.start();
        Await.awaitWaiting("receive() on " + gw.id(), thread);
        long t0 = System.nanoTime();
        serverGone.run();
        ExecutionException e = assertThrows(ExecutionException.class, () -> waiter.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof GatewayClosedException, String.valueOf(e.getCause()));
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos());
    }

    /** An action that may throw, for {@link #assertWaiterWakesWhen}. */
    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
