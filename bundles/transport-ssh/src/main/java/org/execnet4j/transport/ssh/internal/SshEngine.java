package org.execnet4j.transport.ssh.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.session.ConnectionService;
import org.execnet4j.api.spi.ByteStream;
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
        try {
            ChannelExec channel;
            try {
                channel = openExec(pooled, command);
            } catch (IOException e) {
                if (!refusal(e)) {
                    throw e;
                }
                // as many sessions on this connection as the server allows (OpenSSH's MaxSessions): another connection
                pooled = pool.replace(endpoint, pooled);
                channel = openExec(pooled, command);
            }
            SshConnection connection = new SshConnection(pool, pooled, channel, endpoint, command);
            channel.addCloseFutureListener(f -> connection.channelClosed());
            return connection;
        } catch (IOException | RuntimeException e) {
            pool.release(pooled);
            throw new SshTransportException(Stage.CHANNEL, "ssh " + endpoint.describe() + ": cannot start the remote command: "
                    + Failures.reason(e), e);
        }
    }

    private ChannelExec openExec(PooledSession pooled, String command) throws IOException {
        ChannelExec channel = pooled.session.createExecChannel(command);
        try {
            channel.setRedirectErrorStream(false);
            channel.open().verify(options.channelOpenTimeout());
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close(true);
            throw e;
        }
    }

    /**
     * Opens a stream to a Unix domain socket on the server a gateway's command runs on, over the
     * same connection (OpenSSH's {@code direct-streamlocal@openssh.com}); the stream holds the
     * connection open until it is closed. Only the first stream on a connection waits for the
     * server's answer (which tells whether it forwards such streams at all); later ones are handed
     * out at once, so that a gateway's streams open in one roundtrip, and wait for the answer on
     * their first read or write.
     *
     * @param near the connection of a command that runs on that server
     * @param path the socket's path there
     * @param timeout how long the server may take to answer
     * @return the stream; empty when the server refused it (OpenSSH with
     *     {@code AllowStreamLocalForwarding no}, a server that does not know the channel type, no
     *     such socket: OpenSSH does not tell these apart)
     * @throws IOException when the connection is gone or the server did not answer in time
     */
    public Optional<ByteStream> openUnixSocket(SshConnection near, String path, Duration timeout) throws IOException {
        PooledSession pooled = near.shared();
        pool.retain(pooled);
        StreamLocalChannel channel = new StreamLocalChannel(path);
        try {
            pooled.session.getService(ConnectionService.class).registerChannel(channel);
            channel.addCloseFutureListener(f -> pool.release(pooled));
        } catch (IOException | RuntimeException e) {
            pool.release(pooled);
            throw new SshTransportException(Stage.CHANNEL, "ssh " + near.endpoint().describe()
                    + ": cannot open a stream to " + path + ": " + Failures.reason(e), e);
        }
        try {
            OpenFuture opened = channel.open();
            if (!pooled.streamLocalWorks) {
                opened.verify(timeout);
                pooled.streamLocalWorks = true;
            }
            return Optional.of(new StreamLocalStream(channel, opened, timeout));
        } catch (IOException | RuntimeException e) {
            channel.close(true);
            if (refusal(e)) {
                return Optional.empty();
            }
            throw new SshTransportException(Stage.CHANNEL, "ssh " + near.endpoint().describe()
                    + ": cannot open a stream to " + path + ": " + Failures.reason(e), e);
        }
    }

    /** Whether the server refused to open a channel (a reason it gave, not a failure of the connection). */
    private static boolean refusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SshChannelOpenException) {
                return true;
            }
        }
        return false;
    }

    /** Closes every connection; later gateways fail with {@link Stage#CLOSED}. */
    @Override
    public void close() {
        pool.close();
    }
}
