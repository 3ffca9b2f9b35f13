package org.execnet4j.transport.ssh.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.keyboard.UserInteraction;
import org.apache.sshd.client.auth.password.UserAuthPasswordFactory;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.core.CoreModuleProperties;
import org.execnet4j.transport.ssh.SshTransportOptions;

/**
 * The MINA SSHD client of one transport, configured from its options, started on first use and
 * stopped when no connection needs it any more, so an idle transport holds no threads. Per
 * connection, the host-key check and the ssh-agent socket travel as connection attributes.
 */
final class OnDemandClient {
    /** The keepalive request OpenSSH's own client sends (answered by every server). */
    static final String KEEPALIVE_REQUEST = "keepalive@openssh.com";
    static final AttributeKey<HostKeyCheck> HOST_KEY_CHECK = new AttributeKey<>();
    static final AttributeKey<Path> AGENT_SOCKET = new AttributeKey<>();
    static final AttributeKey<SntrupKeyAhead> SNTRUP_KEY_AHEAD = new AttributeKey<>();

    private final SshTransportOptions options;
    private SshClient client;

    OnDemandClient(SshTransportOptions options) {
        this.options = options;
    }

    /** The running client, started now if it was not. */
    synchronized SshClient get() {
        if (client == null) {
            client = newClient();
            client.start();
        }
        return client;
    }

    /** Stops the client, if running, without waiting on the calling thread (which may be one of MINA's). */
    void stopLater() {
        SshClient toStop;
        synchronized (this) {
            toStop = client;
            client = null;
        }
        if (toStop != null) {
            Thread t = new Thread(toStop::stop, "execnet4j-ssh-stop");
            t.setDaemon(true);
            t.start();
        }
    }

    /** Stops the client, if running, and waits for it. */
    void stopNow() {
        SshClient toStop;
        synchronized (this) {
            toStop = client;
            client = null;
        }
        if (toStop != null) {
            toStop.stop();
        }
    }

    private SshClient newClient() {
        SshClient c = SshClient.setUpDefaultClient();
        c.setSessionFactory(new QuickAckSessionFactory(c));
        c.setServerKeyVerifier((session, address, key) -> {
            HostKeyCheck check = attribute(session, HOST_KEY_CHECK);
            return check != null && check.verify(session, key);
        });
        c.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        c.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        c.setFilePasswordProvider(FilePasswordProvider.EMPTY);
        c.setUserInteraction(UserInteraction.NONE);
        c.setKeyExchangeFactories(KeyExchanges.factories(options.keyExchanges()));
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

    /** A connection attribute of the session, or null. */
    static <T> T attribute(Session session, AttributeKey<T> key) {
        if (session instanceof ClientSession cs && cs.getConnectionContext() != null) {
            return cs.getConnectionContext().getAttribute(key);
        }
        return null;
    }
}
