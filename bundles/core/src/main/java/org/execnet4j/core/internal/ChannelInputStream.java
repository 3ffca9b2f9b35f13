package org.execnet4j.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.execnet4j.api.Channel;
import org.execnet4j.api.ChannelClosedException;
import org.execnet4j.api.ExecnetException;

/** A channel's {@code bytes} items (and {@code str} items, as UTF-8) read as one stream (execnet's makefile('r')). */
final class ChannelInputStream extends InputStream {
    private final Channel channel;
    private final boolean proxyClose;
    private byte[] buffer = new byte[0];
    private int pos;
    private boolean atEnd;

    ChannelInputStream(Channel channel, boolean proxyClose) {
        this.channel = channel;
        this.proxyClose = proxyClose;
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return buffer[pos++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, buffer.length - pos);
        System.arraycopy(buffer, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public int available() {
        return buffer.length - pos;
    }

    private boolean fill() throws IOException {
        while (pos == buffer.length) {
            if (atEnd) {
                return false;
            }
            Object item;
            try {
                item = channel.receive();
            } catch (ChannelClosedException e) {
                atEnd = true;
                return false;
            } catch (ExecnetException e) {
                throw new IOException(e.getMessage(), e);
            }
            if (item instanceof byte[] bytes) {
                buffer = bytes;
            } else if (item instanceof String s) {
                buffer = s.getBytes(StandardCharsets.UTF_8);
            } else {
                throw new IOException("expected bytes or str on " + channel + ", got "
                        + (item == null ? "None" : item.getClass().getName()));
            }
            pos = 0;
        }
        return true;
    }

    @Override
    public void close() {
        if (proxyClose) {
            channel.close();
        }
    }
}
