package org.execnet4j.transport.ssh.internal;

import java.io.IOException;

import org.apache.sshd.client.channel.ChannelExec;
import org.execnet4j.transport.ssh.SshTransportException;
import org.execnet4j.transport.ssh.SshTransportException.Stage;
import org.execnet4j.transport.ssh.SshTransportOptions;

/**
 * What one {@code SshTransport} runs on: resolves a spec's ssh arguments into an endpoint, takes
 * a shared session for it from the pool (connecting, through jump hosts, and logging in when there
 * is none) and opens a session channel per gateway. The session closes with its last channel.
 */
public final class SshEngine implements AutoCloseable {
    private final SshTransportOptions options;
    private final EndpointResolver resolver;
    private final SessionPool pool;

    /** @param options what the transport may use and how strict it is */
    public SshEngine(SshTransportOptions options) {
        this.options = options;
        this.resolver = new EndpointResolver(options);
        OnDemandClient client = new OnDemandClient(options);
        this.pool = new SessionPool(client, options.connectTimeout().plus(options.authTimeout()));
        pool.connectWith(new JumpConnector(pool, new DirectConnector(options, client)));
    }

    /** @return the options in use */
    public SshTransportOptions options() {
        return options;
    }

    /** @return how many shared ssh connections are open (for tests and diagnostics) */
    public int openSessions() {
        return pool.openSessions();
    }

    /**
     * Opens a session channel running {@code command} on the endpoint, over a shared connection.
     *
     * @param sshArgs the spec's OpenSSH-style arguments ({@code [user@]host}, {@code -p}, ...)
     * @param specConfigFile the ssh config file the spec names, or {@code null}
     * @param command the remote command line
     * @return the connection to the remote command
     * @throws IOException when the arguments are bad or a stage of connecting fails
     *     ({@link SshTransportException} says which)
     */
    public SshConnection exec(String sshArgs, String specConfigFile, String command) throws IOException {
        Endpoint endpoint = resolver.resolve(SshArgs.parse(sshArgs), specConfigFile);
        PooledSession pooled = pool.acquire(endpoint);
        ChannelExec channel = null;
        try {
            channel = pooled.session.createExecChannel(command);
            channel.setRedirectErrorStream(false);
            channel.open().verify(options.channelOpenTimeout());
            SshConnection connection = new SshConnection(pool, pooled, channel, endpoint, command);
            channel.addCloseFutureListener(f -> connection.channelClosed());
            return connection;
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close(true);
            }
            pool.release(pooled);
            throw new SshTransportException(Stage.CHANNEL, "ssh " + endpoint.describe() + ": cannot start the remote command: "
                    + Failures.reason(e), e);
        }
    }

    /** Closes every connection; later gateways fail with {@link Stage#CLOSED}. */
    @Override
    public void close() {
        pool.close();
    }
}
