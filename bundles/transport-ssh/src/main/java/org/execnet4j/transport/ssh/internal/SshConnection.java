package org.execnet4j.transport.ssh.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.EnumSet;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.util.buffer.Buffer;
import org.execnet4j.api.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gateway's session channel on a shared ssh connection: the remote command's stdout, stdin
 * and stderr, its exit status, and kill = a KILL signal request plus closing the channel. When
 * the connection drops, the channel closes and {@link #input()} ends, which wakes the engine.
 */
public final class SshConnection implements Connection {
    private static final Logger LOG = LoggerFactory.getLogger(SshConnection.class);
    /** Exit status of a POSIX shell whose command was not found. */
    static final int COMMAND_NOT_FOUND = 127;

    private final SessionPool pool;
    private final PooledSession shared;
    private final ChannelExec channel;
    private final Endpoint endpoint;
    private final String command;
    private final AtomicBoolean released = new AtomicBoolean();

    SshConnection(SessionPool pool, PooledSession shared, ChannelExec channel, Endpoint endpoint, String command) {
        this.pool = pool;
        this.shared = shared;
        this.channel = channel;
        this.endpoint = endpoint;
        this.command = command;
    }

    /** The shared connection the channel runs on. */
    PooledSession shared() {
        return shared;
    }

    /** The server it runs on. */
    Endpoint endpoint() {
        return endpoint;
    }

    /** Called when the channel is closed, by either side or with its connection. */
    void channelClosed() {
        if (released.compareAndSet(false, true)) {
            pool.release(shared);
        }
    }

    @Override
    public InputStream input() {
        return channel.getInvertedOut();
    }

    @Override
    public OutputStream output() {
        return channel.getInvertedIn();
    }

    @Override
    public InputStream errors() {
        return channel.getInvertedErr();
    }

    @Override
    public void closeOutput() {
        try {
            channel.getInvertedIn().close();
        } catch (IOException e) {
            LOG.debug("ssh {}: sending EOF failed: {}", endpoint.describe(), e.toString());
        }
    }

    @Override
    public OptionalInt waitFor(Duration timeout) {
        channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout);
        Integer status = channel.getExitStatus();
        return status == null ? OptionalInt.empty() : OptionalInt.of(status);
    }

    @Override
    public boolean isAlive() {
        return channel.isOpen() && !channel.isClosing() && shared.session.isOpen();
    }

    @Override
    public void kill() {
        if (channel.isOpen() && !channel.isClosing()) {
            sendKillSignal();
        }
        // closing the channel ends its stdout and stderr pipes after what was already received,
        // so the engine still sees the remote's last words
        channel.close(true);
        channelClosed();
    }

    /** Asks the server to send SIGKILL to the remote process (RFC 4254 §6.9); servers may ignore it. */
    private void sendKillSignal() {
        try {
            Buffer buffer = shared.session.createBuffer(SshConstants.SSH_MSG_CHANNEL_REQUEST, 32);
            buffer.putUInt(channel.getRecipient());
            buffer.putString("signal");
            buffer.putBoolean(false);
            buffer.putString("KILL");
            channel.writePacket(buffer);
        } catch (IOException | RuntimeException e) {
            LOG.debug("ssh {}: signal request failed: {}", endpoint.describe(), e.toString());
        }
    }

    @Override
    public OptionalLong pid() {
        return OptionalLong.empty();
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder("ssh ").append(endpoint.user()).append('@').append(endpoint.hostName())
                .append(':').append(endpoint.port());
        Integer status = channel.getExitStatus();
        if (status != null && status == COMMAND_NOT_FOUND) {
            sb.append(" (command not found on the remote: ").append(command.split(" ", 2)[0])
                    .append("; name an installed interpreter with python=...)");
        } else if (channel.getExitSignal() != null) {
            sb.append(" (remote process killed by SIG").append(channel.getExitSignal()).append(')');
        } else if (!shared.session.isOpen()) {
            sb.append(" (connection closed)");
        }
        return sb.toString();
    }
}
