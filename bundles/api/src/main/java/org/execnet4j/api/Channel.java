package org.execnet4j.api;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * One bidirectional stream of Python values between this JVM and a remote interpreter, the
 * Java side of execnet's {@code channel}. Items arrive in send order; iteration yields items
 * until the peer closes the channel. Closing it (also by try-with-resources) tells the peer.
 *
 * <p>Every blocking call has a variant with a timeout; when the gateway dies, every waiting
 * call wakes with {@link GatewayClosedException}. Where a timeout parameter is {@code null}, the
 * call waits without limit, as its variant without a timeout does.
 *
 * <p>Thread-safe: any thread may send, receive and close; several senders' items are each sent
 * whole, and several receivers each get different items.
 */
public interface Channel extends Iterable<Object>, AutoCloseable {

    /** The channel id: odd for channels this side created, even for the remote's. */
    int id();

    /** The gateway this channel belongs to. */
    Gateway gateway();

    /**
     * Sends one value. Fails on the caller's thread, sending nothing, if the value has no
     * Python form ({@link DumpException}) or the channel is closed ({@link ChannelClosedException}).
     */
    void send(Object item);

    /** Waits for the next item, however long it takes (the gateway's death ends the wait). */
    Object receive();

    /**
     * Waits at most {@code timeout} for the next item.
     *
     * @param timeout how long to wait at most; {@code null} waits without limit
     * @return the item, as the value mapping of {@code README.md} gives it
     * @throws ChannelTimeoutException when no item came in time
     * @throws RemoteError when the remote side closed the channel with an error
     * @throws ChannelClosedException when the channel ended cleanly and no item is left
     * @throws GatewayClosedException when the gateway died
     */
    Object receive(Duration timeout);

    /**
     * Waits for the next item and checks its type; Python ints also satisfy {@code Long.class}
     * and {@code BigInteger.class}, primitive classes stand for their boxes.
     *
     * @param <T> the expected type
     * @param type the expected class, e.g. {@code String.class} or {@code PyTuple.class}
     * @return the item
     * @throws ClassCastException when the item is of another type (the message names both, and
     *     the item is consumed)
     * @throws RemoteError when the remote side closed the channel with an error
     * @throws ChannelClosedException when the channel ended cleanly and no item is left
     * @throws GatewayClosedException when the gateway died
     */
    default <T> T receive(Class<T> type) {
        return ChannelItems.as(this, type, receive());
    }

    /**
     * Like {@link #receive(Class)}, waiting at most {@code timeout}.
     *
     * @param <T> the expected type
     * @param type the expected class
     * @param timeout how long to wait at most; {@code null} waits without limit
     * @return the item
     * @throws ClassCastException when the item is of another type
     * @throws ChannelTimeoutException when no item came in time
     * @throws RemoteError when the remote side closed the channel with an error
     * @throws ChannelClosedException when the channel ended cleanly and no item is left
     * @throws GatewayClosedException when the gateway died
     */
    default <T> T receive(Class<T> type, Duration timeout) {
        return ChannelItems.as(this, type, receive(timeout));
    }

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

    /** Closes the channel, telling the peer it ends cleanly; closing a closed channel does nothing. */
    @Override
    void close();

    /** Closes the channel with an error the peer's {@code receive()} raises as its RemoteError. */
    void close(String error);

    /** Waits until the peer closed the channel or the gateway ended; rethrows a remote error once. */
    void waitClose();

    /**
     * Like {@link #waitClose()}, at most {@code timeout}.
     *
     * @param timeout how long to wait at most; {@code null} waits without limit
     * @throws ChannelTimeoutException when the channel is still open after {@code timeout}
     * @throws RemoteError when the peer closed it with an error
     */
    void waitClose(Duration timeout);

    /** Whether the channel is closed, locally or by the peer. */
    boolean isClosed();

    /** Sets how strings arriving on this channel decode (execnet's {@code channel.reconfigure}). */
    void reconfigure(boolean py2strAsPy3str, boolean py3strAsPy2str);
}
