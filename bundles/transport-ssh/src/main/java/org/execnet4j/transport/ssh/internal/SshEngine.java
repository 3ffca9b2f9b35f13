package org.execnet4j.transport.ssh.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.keyboard.UserInteraction;
import org.apache.sshd.client.auth.password.UserAuthPasswordFactory;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.session.forward.ExplicitPortForwardingTracker;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.core.CoreModuleProperties;
import org.execnet4j.transport.ssh.SshTransportOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MINA SSHD client behind one {@code SshTransport} and its shared connections: one
 * authenticated session per {@code user@host:port} (and jump path), carrying a session channel per
 * gateway; the session closes with its last channel. The client is started on first use and
 * stopped when the last session closes, so an idle transport holds no threads.
 */
public final class SshEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SshEngine.class);
    /** The keepalive request OpenSSH's own client sends (answered by every server). */
    static final String KEEPALIVE_REQUEST = "keepalive@openssh.com";

    static final AttributeKey<HostKeyCheck> HOST_KEY_CHECK = new AttributeKey<>();
    static final AttributeKey<Path> AGENT_SOCKET = new AttributeKey<>();

    private final SshTransportOptions options;
    private final EndpointResolver resolver;
    private final Object lock = new Object();
    private final Map<String, Shared> sessions = new HashMap<>();
    private SshClient client;
    private boolean closed;

    public SshEngine(SshTransportOptions options) {
        this.options = options;
        this.resolver = new EndpointResolver(options);
    }

    public SshTransportOptions options() {
        return options;
    }

    /** Resolves the spec's ssh arguments into the endpoint connected to. */
    Endpoint resolve(String sshArgs, String specConfigFile) throws IOException {
        return resolver.resolve(SshArgs.parse(sshArgs), specConfigFile);
    }

    /** How many shared ssh connections are open (for tests and diagnostics). */
    public int openSessions() {
        synchronized (lock) {
            return (int) sessions.values().stream().filter(s -> s.ready.isDone() && !s.ready.isCompletedExceptionally()).count();
        }
    }

    /** Opens a session channel running {@code command} on the endpoint, over a shared connection. */
    public SshConnection exec(String sshArgs, String specConfigFile, String command) throws IOException {
        Endpoint endpoint = resolve(sshArgs, specConfigFile);
        Shared shared = acquire(endpoint);
        ChannelExec channel = null;
        try {
            channel = shared.session.createExecChannel(command);
            channel.setRedirectErrorStream(false);
            channel.open().verify(options.channelOpenTimeout());
            SshConnection connection = new SshConnection(this, shared, channel, endpoint, command);
            channel.addCloseFutureListener(f -> connection.channelClosed());
            return connection;
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close(true);
            }
            release(shared);
            throw new IOException("ssh " + endpoint.describe() + ": cannot start the remote command: " + reason(e), e);
        }
    }

    // ------------------------------------------------------------------ sharing

    /** One shared connection: the session once it is ready, and how many users hold it. */
    static final class Shared {
        final String key;
        final CompletableFuture<ClientSession> ready = new CompletableFuture<>();
        volatile ClientSession session;
        int users;
        Runnable onClose = () -> { };

        Shared(String key) {
            this.key = key;
        }
    }

    Shared acquire(Endpoint endpoint) throws IOException {
        String key = endpoint.key();
        Shared shared;
        boolean create = false;
        synchronized (lock) {
            if (closed) {
                throw new IOException("the ssh transport is closed");
            }
            shared = sessions.get(key);
            if (shared != null && shared.session != null && !shared.session.isOpen()) {
                sessions.remove(key);
                shared = null;
            }
            if (shared == null) {
                shared = new Shared(key);
                sessions.put(key, shared);
                create = true;
            }
            shared.users++;
        }
        if (create) {
            try {
                ClientSession session = connect(endpoint, shared);
                shared.session = session;
                Shared s = shared;
                session.addCloseFutureListener(f -> forget(s));
                shared.ready.complete(session);
                LOG.debug("ssh {}: connected", key);
            } catch (IOException | RuntimeException e) {
                shared.ready.completeExceptionally(e);
                synchronized (lock) {
                    sessions.remove(key, shared);
                }
                stopClientIfIdle();
                throw e;
            }
        } else {
            try {
                shared.ready.get(options.connectTimeout().plus(options.authTimeout()).toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                synchronized (lock) {
                    shared.users--;
                }
                Throwable c = e.getCause();
                throw c instanceof IOException io ? new IOException(io.getMessage(), io) : new IOException(reason(c), c);
            } catch (TimeoutException | InterruptedException e) {
                release(shared);
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                throw new IOException("ssh " + key + ": the shared connection was not ready in time", e);
            }
            LOG.debug("ssh {}: reusing the connection", key);
        }
        return shared;
    }

    /** A user of the shared session is done; the last one closes it. */
    void release(Shared shared) {
        boolean last;
        synchronized (lock) {
            shared.users--;
            last = shared.users <= 0;
            if (last) {
                sessions.remove(shared.key, shared);
            }
        }
        if (last && shared.session != null) {
            LOG.debug("ssh {}: last channel closed, closing the connection", shared.key);
            shared.session.close(false);
        }
    }

    private void forget(Shared shared) {
        synchronized (lock) {
            sessions.remove(shared.key, shared);
        }
        try {
            shared.onClose.run();
        } finally {
            stopClientIfIdle();
        }
    }

    private void stopClientIfIdle() {
        SshClient toStop = null;
        synchronized (lock) {
            if (sessions.isEmpty() && client != null) {
                toStop = client;
                client = null;
            }
        }
        if (toStop != null) {
            SshClient c = toStop;
            // stopping from a MINA thread (a close listener) must not wait for that thread
            Thread t = new Thread(c::stop, "execnet4j-ssh-stop");
            t.setDaemon(true);
            t.start();
        }
    }

    // ------------------------------------------------------------------ connecting

    private SshClient client() {
        synchronized (lock) {
            if (client == null) {
                client = newClient();
                client.start();
            }
            return client;
        }
    }

    private SshClient newClient() {
        SshClient c = SshClient.setUpDefaultClient();
        c.setServerKeyVerifier((session, address, key) -> {
            HostKeyCheck check = attribute(session, HOST_KEY_CHECK);
            return check != null && check.verify(session, key);
        });
        c.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        c.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        c.setFilePasswordProvider(FilePasswordProvider.EMPTY);
        c.setUserInteraction(UserInteraction.NONE);
        c.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE, UserAuthPasswordFactory.INSTANCE));
        c.setAgentFactory(new UnixSocketAgent.Factory(session -> attribute(session, AGENT_SOCKET)));
        CoreModuleProperties.IO_CONNECT_TIMEOUT.set(c, options.connectTimeout());
        CoreModuleProperties.AUTH_TIMEOUT.set(c, options.authTimeout());
        CoreModuleProperties.IDLE_TIMEOUT.set(c, Duration.ZERO);
        // frames are small and answered at once: Nagle's algorithm would hold them back
        CoreModuleProperties.TCP_NODELAY.set(c, true);
        if (!options.keepaliveInterval().isZero()) {
            CoreModuleProperties.HEARTBEAT_INTERVAL.set(c, options.keepaliveInterval());
            CoreModuleProperties.HEARTBEAT_REQUEST.set(c, KEEPALIVE_REQUEST);
            CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(c, options.keepaliveMaxMissed());
        }
        return c;
    }

    private static <T> T attribute(Session session, AttributeKey<T> key) {
        if (session instanceof ClientSession cs && cs.getConnectionContext() != null) {
            return cs.getConnectionContext().getAttribute(key);
        }
        return null;
    }

    /** Connects (through the jump hosts, each a shared connection too) and authenticates. */
    private ClientSession connect(Endpoint endpoint, Shared shared) throws IOException {
        if (endpoint.jumps().isEmpty()) {
            return connectDirect(endpoint, new InetSocketAddress(endpoint.hostName(), endpoint.port()));
        }
        List<Endpoint> jumps = endpoint.jumps();
        Endpoint last = jumps.get(jumps.size() - 1);
        Endpoint jumpHost = new Endpoint(last.alias(), last.hostName(), last.port(), last.user(), last.identities(),
                last.identitiesOnly(), last.hostKeyChecking(), last.knownHostsFile(), jumps.subList(0, jumps.size() - 1));
        Shared jump = acquire(jumpHost);
        ExplicitPortForwardingTracker tunnel = null;
        try {
            tunnel = jump.session.createLocalPortForwardingTracker(new SshdSocketAddress("127.0.0.1", 0),
                    new SshdSocketAddress(endpoint.hostName(), endpoint.port()));
            InetSocketAddress bound = tunnel.getBoundAddress().toInetSocketAddress();
            ClientSession session = connectDirect(endpoint, bound);
            ExplicitPortForwardingTracker t = tunnel;
            shared.onClose = () -> {
                try {
                    t.close();
                } catch (IOException e) {
                    LOG.debug("ssh: closing the tunnel through {} failed: {}", jumpHost.describe(), e.toString());
                }
                release(jump);
            };
            jump.session.addCloseFutureListener(f -> session.close(true));
            return session;
        } catch (IOException | RuntimeException e) {
            if (tunnel != null) {
                try {
                    tunnel.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
            release(jump);
            throw e instanceof IOException io && io.getMessage() != null && io.getMessage().startsWith("ssh ") ? io
                    : new IOException("ssh " + endpoint.describe() + " via " + jumpHost.describe() + ": " + reason(e), e);
        }
    }

    private ClientSession connectDirect(Endpoint endpoint, InetSocketAddress address) throws IOException {
        HostKeyCheck check = new HostKeyCheck(endpoint, options.pinnedHostKeys());
        Map<AttributeKey<?>, Object> attributes = new HashMap<>();
        attributes.put(HOST_KEY_CHECK, check);
        Optional<Path> agent = endpoint.identitiesOnly() ? Optional.empty() : options.agentSocket();
        agent.filter(Files::exists).ifPresent(p -> attributes.put(AGENT_SOCKET, p));
        SshClient c = client();
        ClientSession session;
        try {
            ConnectFuture future = c.connect(endpoint.user(), address, AttributeRepository.ofAttributesMap(attributes), null);
            session = future.verify(options.connectTimeout()).getSession();
        } catch (IOException | RuntimeException e) {
            throw new IOException("ssh " + endpoint.describe() + ": cannot connect: " + reason(e), e);
        }
        List<String> tried = new ArrayList<>();
        try {
            addKeys(session, endpoint, tried);
            if (agent.isPresent()) {
                tried.add("keys of the ssh-agent at " + agent.get());
            }
            options.password().ifPresent(pw -> {
                session.addPasswordIdentity(pw);
                tried.add("the given password");
            });
            session.auth().verify(options.authTimeout());
            return session;
        } catch (IOException | RuntimeException e) {
            session.close(true);
            if (check.problem() != null) {
                throw new IOException(check.problem(), e);
            }
            if (!check.accepted() && !isAuthFailure(e)) {
                throw new IOException("ssh " + endpoint.describe() + ": the connection failed before authentication: "
                        + reason(e), e);
            }
            throw new IOException("ssh " + endpoint.describe() + ": authentication failed (" + reason(e) + "); tried "
                    + (tried.isEmpty() ? "nothing: no key file exists, no ssh-agent, no password given" : String.join(", ", tried)),
                    e);
        }
    }

    private static boolean isAuthFailure(Throwable e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("authentication") || m.contains("No more authentication methods");
    }

    private void addKeys(ClientSession session, Endpoint endpoint, List<String> tried) {
        Map<Path, Boolean> seen = new LinkedHashMap<>();
        for (Path file : endpoint.identities()) {
            Path abs = file.toAbsolutePath().normalize();
            if (seen.putIfAbsent(abs, true) != null) {
                continue;
            }
            boolean isDefault = abs.getParent() != null && abs.getParent().equals(options.sshDirectory().toAbsolutePath().normalize())
                    && SshTransportOptions.DEFAULT_IDENTITY_FILES.contains(abs.getFileName().toString());
            if (!Files.isRegularFile(abs)) {
                if (!isDefault) {
                    LOG.warn("ssh {}: key file {} does not exist", endpoint.describe(), abs);
                    tried.add(abs + " (does not exist)");
                }
                continue;
            }
            FilePasswordProvider passwords = new FilePasswordProvider() {
                @Override
                public String getPassword(org.apache.sshd.common.session.SessionContext s, NamedResource resource,
                        int retryIndex) {
                    return options.passphrases().passphrase(abs).orElse(null);
                }
            };
            try (InputStream in = Files.newInputStream(abs)) {
                Iterable<KeyPair> keys = SecurityUtils.loadKeyPairIdentities(session, NamedResource.ofName(abs.toString()), in,
                        passwords);
                if (keys == null) {
                    tried.add(abs + " (no key found in it)");
                    continue;
                }
                for (KeyPair kp : keys) {
                    session.addPublicKeyIdentity(kp);
                    tried.add(abs + " (" + KeyUtils.getKeyType(kp.getPublic()) + " "
                            + KeyUtils.getFingerPrint(BuiltinDigests.sha256, kp.getPublic()) + ")");
                }
            } catch (Exception e) {
                String why = options.passphrases().passphrase(abs).isEmpty() ? "encrypted and no passphrase was given, or unreadable"
                        : "wrong passphrase or unreadable";
                LOG.warn("ssh {}: skipping key {}: {} ({})", endpoint.describe(), abs, why, reason(e));
                tried.add(abs + " (skipped: " + why + ")");
            }
        }
    }

    static String reason(Throwable e) {
        Throwable t = e;
        String best = null;
        while (t != null) {
            if (t.getMessage() != null) {
                best = t.getClass().getSimpleName() + ": " + t.getMessage();
            }
            if (t.getCause() == t) {
                break;
            }
            t = t.getCause();
            if (t != null && t.getMessage() != null && best != null && !best.contains(t.getMessage())) {
                best = best + " <- " + t.getClass().getSimpleName() + ": " + t.getMessage();
                break;
            }
        }
        return best == null ? e.toString() : best;
    }

    @Override
    public void close() {
        List<Shared> all;
        SshClient c;
        synchronized (lock) {
            closed = true;
            all = new ArrayList<>(sessions.values());
            sessions.clear();
            c = client;
            client = null;
        }
        for (Shared s : all) {
            if (s.session != null) {
                s.session.close(true);
            }
        }
        if (c != null) {
            c.stop();
        }
    }
}
