package org.execnet4j.api;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * One bidirectional stream of Python values between this JVM and a remote interpreter, the
 * Java side of execnet's {@code channel}. Items arrive in send order; iteration yields items
 * until the peer closes the channel.
 *
 * <p>Every blocking call has a variant with a timeout; when the gateway dies, every waiting
 * call wakes with {@link GatewayClosedException}.
 */
public interface Channel extends Iterable<Object> {

    /** The channel id: odd for channels this side created, even for the remote's. */
    int id();

    /** The gateway this channel belongs to. */
    Gateway gateway();

    /**
     * Sends one value. Fails on the caller's thread, sending nothing, if the value has no
     * Python form ({@link DumpException}), is larger than the item limit
     * ({@link ItemTooLargeException}) or the channel is closed ({@link ChannelClosedException}).
     * With flow control on (the default), waits while the remote has not yet consumed a
     * window's worth of earlier items, however long that takes (the channel's or the gateway's
     * end ends the wait).
     *
     * @param item the value
     */
    void send(Object item);

    /**
     * Like {@link #send(Object)}, waiting at most {@code timeout} for the remote to consume
     * earlier items (flow control).
     *
     * @param item the value
     * @param timeout how long to wait for flow credit at most
     * @throws ChannelTimeoutException when the remote did not consume enough in time; nothing
     *     was sent
     * @throws ChannelClosedException when the channel is closed, or closes while waiting
     * @throws GatewayClosedException when the gateway dies
     */
    void send(Object item, Duration timeout);

    /** Waits for the next item, however long it takes (the gateway's death ends the wait). */
    Object receive();

    /**
     * Waits at most {@code timeout} for the next item.
     *
     * @throws ChannelTimeoutException when no item came in time
     * @throws RemoteError when the remote side closed the channel with an error
     * @throws ChannelClosedException when the channel ended cleanly and no item is left
     * @throws GatewayClosedException when the gateway died
     */
    Object receive(Duration timeout);

    /**
     * Delivers items to {@code callback} instead of the queue: the queued ones at once on this
     * thread, later ones on the gateway's receiver thread (so the callback must not block).
     * {@link #receive} refuses to work afterwards.
     */
    void setCallback(Consumer<Object> callback);

    /** Like {@link #setCallback(Consumer)}, and calls {@code callback(endMarker)} once when the channel ends. */
    void setCallback(Consumer<Object> callback, Object endMarker);

    /** Reads the channel's {@code bytes} (or {@code str}, as UTF-8) items as one byte stream. */
    InputStream inputStream(boolean proxyClose);

    /** Sends every write as one {@code bytes} item; closing the stream closes the channel if {@code proxyClose}. */
    OutputStream outputStream(boolean proxyClose);

    /** Closes the channel, telling the peer it ends cleanly. */
    void close();

    /** Closes the channel with an error the peer's {@code receive()} raises as its RemoteError. */
    void close(String error);

    /** Waits until the peer closed the channel or the gateway ended; rethrows a remote error once. */
    void waitClose();

    /** Like {@link #waitClose()}, at most {@code timeout}. */
    void waitClose(Duration timeout);

    /** Whether the channel is closed, locally or by the peer. */
    boolean isClosed();

    /** Sets how strings arriving on this channel decode (execnet's {@code channel.reconfigure}). */
    void reconfigure(boolean py2strAsPy3str, boolean py3strAsPy2str);
}
