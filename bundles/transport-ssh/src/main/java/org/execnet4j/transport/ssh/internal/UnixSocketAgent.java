package org.execnet4j.transport.ssh.internal;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;

import org.apache.sshd.agent.SshAgent;
import org.apache.sshd.agent.SshAgentFactory;
import org.apache.sshd.agent.SshAgentServer;
import org.apache.sshd.agent.common.AbstractAgentProxy;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * A client of a running ssh-agent over its Unix domain socket, in plain Java 16+ (MINA's own
 * needs the native APR library). Only lists keys and signs; agent forwarding is not offered.
 */
final class UnixSocketAgent extends AbstractAgentProxy {
    /** The largest agent answer accepted. */
    private static final int MAX_ANSWER = 256 * 1024;

    private final Path socket;
    private SocketChannel channel;

    UnixSocketAgent(Path socket) {
        super(null);
        this.socket = socket;
    }

    @Override
    protected synchronized Buffer request(Buffer buffer) throws IOException {
        if (channel == null) {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
        }
        channel.write(ByteBuffer.wrap(buffer.array(), buffer.rpos(), buffer.available()));
        ByteBuffer len = ByteBuffer.allocate(4);
        readFully(len);
        int n = len.flip().getInt();
        if (n <= 0 || n > MAX_ANSWER) {
            throw new IOException("ssh-agent at " + socket + " sent an answer of " + n + " bytes");
        }
        ByteBuffer body = ByteBuffer.allocate(n);
        readFully(body);
        return new ByteArrayBuffer(body.array());
    }

    private void readFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (channel.read(b) < 0) {
                throw new EOFException("ssh-agent at " + socket + " closed the connection");
            }
        }
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            if (channel != null) {
                channel.close();
            }
        } finally {
            channel = null;
        }
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public String toString() {
        return "ssh-agent " + socket;
    }

    /** Creates an agent client per authentication when the session's endpoint allows the agent. */
    static final class Factory implements SshAgentFactory {
        private final java.util.function.Function<Session, Path> socketFor;

        Factory(java.util.function.Function<Session, Path> socketFor) {
            this.socketFor = socketFor;
        }

        @Override
        public List<ChannelFactory> getChannelForwardingFactories(FactoryManager manager) {
            return List.of();
        }

        @Override
        public SshAgent createClient(Session session, FactoryManager manager) {
            Path path = socketFor.apply(session);
            return path == null ? null : new UnixSocketAgent(path);
        }

        @Override
        public SshAgentServer createServer(ConnectionService service) {
            return null;
        }
    }
}
