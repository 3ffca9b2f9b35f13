package org.execnet4j.core.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

import org.execnet4j.api.Channel;
import org.execnet4j.api.ExecnetException;

/** Sends every write as one {@code bytes} item (execnet's makefile('w')); wrap it in a BufferedOutputStream to batch. */
final class ChannelOutputStream extends OutputStream {
    private final Channel channel;
    private final boolean proxyClose;

    ChannelOutputStream(Channel channel, boolean proxyClose) {
        this.channel = channel;
        this.proxyClose = proxyClose;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        try {
            channel.send(Arrays.copyOfRange(b, off, off + len));
        } catch (ExecnetException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (proxyClose) {
            channel.close();
        }
    }
}
