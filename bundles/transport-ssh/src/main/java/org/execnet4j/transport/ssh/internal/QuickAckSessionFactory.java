package org.execnet4j.transport.ssh.internal;

import java.io.IOException;
import java.net.SocketOption;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.SocketChannel;

import org.apache.sshd.client.ClientFactoryManager;
import org.apache.sshd.client.session.SessionFactory;
import org.apache.sshd.common.io.IoSession;
import org.apache.sshd.common.io.nio2.Nio2Session;
import org.apache.sshd.common.util.Readable;

/**
 * MINA SSHD's client session factory, which also acknowledges each segment the server sent at
 * once (Linux's {@code TCP_QUICKACK}, set again after every read, as the kernel falls back to
 * delayed acknowledgements by itself). OpenSSH's sshd sends with Nagle's algorithm until a session
 * starts, so a reply of two packets (the answer to the first login request, the host keys it
 * announces after the login and the channel's confirmation) waits with its second packet for the
 * acknowledgement of the first, which the client otherwise delays by 40 ms or more: two such stalls
 * in every new connection. Where the option is missing (not Linux, not MINA's NIO2 transport) it
 * changes nothing.
 */
public final class QuickAckSessionFactory extends SessionFactory {
    /** TCP_QUICKACK, or null where the JDK does not offer it. */
    static final SocketOption<Boolean> QUICKACK = quickAckOption();

    /** @param client the client whose sessions it makes */
    public QuickAckSessionFactory(ClientFactoryManager client) {
        super(client);
    }

    @Override
    public void messageReceived(IoSession ioSession, Readable message) throws Exception {
        if (QUICKACK != null && ioSession instanceof Nio2Session nio2) {
            acknowledgeNow(nio2.getSocket());
        }
        super.messageReceived(ioSession, message);
    }

    /** Sends the pending acknowledgement now (setting the option does, on Linux) and keeps acknowledging at once. */
    private static void acknowledgeNow(AsynchronousSocketChannel socket) {
        try {
            socket.setOption(QUICKACK, Boolean.TRUE);
        } catch (IOException | UnsupportedOperationException e) {
            // closed meanwhile, or not supported for this socket: delayed acknowledgements only cost time
        }
    }

    /**
     * The JDK's extended option, looked up by name so that no jdk.net import is needed (OSGi), on a
     * plain socket channel (an asynchronous one would start the JVM's default channel group).
     */
    @SuppressWarnings("unchecked")
    private static SocketOption<Boolean> quickAckOption() {
        try (SocketChannel probe = SocketChannel.open()) {
            for (SocketOption<?> option : probe.supportedOptions()) {
                if (option.name().equals("TCP_QUICKACK") && option.type() == Boolean.class) {
                    return (SocketOption<Boolean>) option;
                }
            }
        } catch (IOException | RuntimeException e) {
            // no such option here
        }
        return null;
    }
}
