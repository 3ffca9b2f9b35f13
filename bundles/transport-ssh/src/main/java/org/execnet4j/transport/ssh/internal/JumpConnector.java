package org.execnet4j.transport.ssh.internal;

import java.io.IOException;
import java.net.InetSocketAddress;

import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.session.forward.ExplicitPortForwardingTracker;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.execnet4j.transport.ssh.SshTransportException;
import org.execnet4j.transport.ssh.SshTransportException.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects to an endpoint, through its jump hosts (ProxyJump) when it has any: the last jump host
 * is itself a pooled session (reached through the ones before it), and a local port forward
 * through it carries the connection to the endpoint. The tunnel and the jump session are released
 * when the endpoint's session closes, and the endpoint's session closes with the jump session.
 */
final class JumpConnector implements SessionPool.Connector {
    private static final Logger LOG = LoggerFactory.getLogger(JumpConnector.class);

    private final SessionPool pool;
    private final DirectConnector direct;

    JumpConnector(SessionPool pool, DirectConnector direct) {
        this.pool = pool;
        this.direct = direct;
    }

    @Override
    public ClientSession connect(Endpoint endpoint, PooledSession pooled) throws IOException {
        if (endpoint.jumps().isEmpty()) {
            return direct.connect(endpoint, new InetSocketAddress(endpoint.hostName(), endpoint.port()));
        }
        Endpoint jumpHost = endpoint.lastJump();
        PooledSession jump = pool.acquire(jumpHost);
        ExplicitPortForwardingTracker tunnel = null;
        try {
            tunnel = jump.session.createLocalPortForwardingTracker(new SshdSocketAddress("127.0.0.1", 0),
                    new SshdSocketAddress(endpoint.hostName(), endpoint.port()));
            ClientSession session = direct.connect(endpoint, tunnel.getBoundAddress().toInetSocketAddress());
            ExplicitPortForwardingTracker t = tunnel;
            pooled.onClose = () -> {
                close(t, jumpHost);
                pool.release(jump);
            };
            jump.session.addCloseFutureListener(f -> session.close(true));
            return session;
        } catch (SshTransportException e) {
            close(tunnel, jumpHost);
            pool.release(jump);
            throw e;
        } catch (IOException | RuntimeException e) {
            close(tunnel, jumpHost);
            pool.release(jump);
            throw new SshTransportException(Stage.JUMP, "ssh " + endpoint.describe() + " via " + jumpHost.describe() + ": "
                    + Failures.reason(e), e);
        }
    }

    private static void close(ExplicitPortForwardingTracker tunnel, Endpoint jumpHost) {
        if (tunnel == null) {
            return;
        }
        try {
            tunnel.close();
        } catch (IOException e) {
            LOG.debug("ssh: closing the tunnel through {} failed: {}", jumpHost.describe(), e.toString());
        }
    }
}
