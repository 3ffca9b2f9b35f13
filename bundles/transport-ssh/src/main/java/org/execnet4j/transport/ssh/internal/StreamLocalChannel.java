package org.execnet4j.transport.ssh.internal;

import java.io.IOException;

import org.apache.sshd.client.channel.AsyncCapableClientChannel;
import org.apache.sshd.client.future.DefaultOpenFuture;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.channel.LocalWindow;
import org.apache.sshd.common.util.buffer.Buffer;

/**
 * OpenSSH's {@code direct-streamlocal@openssh.com} channel (PROTOCOL §2.4): a stream to a Unix
 * domain socket on the server's machine, which the server connects as the logged-in user. Its
 * open request carries the socket's path, a reserved string and a reserved uint32. MINA SSHD
 * has no client class for it; the streams are those of any client channel
 * ({@code getInvertedIn/Out}), and the peer's end of file ends the input while this side may go
 * on writing.
 */
final class StreamLocalChannel extends AsyncCapableClientChannel {
    static final String TYPE = "direct-streamlocal@openssh.com";

    private final String path;

    StreamLocalChannel(String path) {
        super(TYPE, false);
        this.path = path;
    }

    /** The socket's path on the server. */
    String path() {
        return path;
    }

    @Override
    public synchronized OpenFuture open() throws IOException {
        if (closeFuture.isClosed()) {
            throw new SshException("the ssh connection is closed");
        }
        openFuture = new DefaultOpenFuture(path, futureLock);
        LocalWindow window = getLocalWindow();
        Buffer buffer = getSession().createBuffer(SshConstants.SSH_MSG_CHANNEL_OPEN, TYPE.length() + path.length() + 64);
        buffer.putString(TYPE);
        buffer.putUInt(getChannelId());
        buffer.putUInt(window.getSize());
        buffer.putUInt(window.getPacketSize());
        buffer.putString(path);
        buffer.putString("");   // reserved
        buffer.putUInt(0);      // reserved
        writePacket(buffer);
        return openFuture;
    }

    /** The peer's end of file (the socket's other end closed) ends what {@code getInvertedOut()} reads. */
    @Override
    public void handleEof() throws IOException {
        super.handleEof();
        if (out != null) {
            out.close();
        }
    }
}
