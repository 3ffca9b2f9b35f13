package org.execnet4j.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;

/**
 * One channel per gateway of a group, from {@link Group#remoteExec}: send to all, receive one
 * item from each, or merge everything they send into one queue (execnet's {@code MultiChannel}).
 */
public interface MultiChannel extends Iterable<Channel> {

    /** @return the channels, in the order of the group's gateways */
    List<Channel> channels();

    /**
     * Sends the item on every channel, in order.
     *
     * @param item the value to send
     * @throws DumpException when the value has no Python form (nothing is sent)
     */
    void sendEach(Object item);

    /**
     * One item from each channel, in channel order, waiting at most {@code timeout} per channel.
     *
     * @param timeout how long to wait per channel; {@code null} waits without limit
     * @return the items, in channel order
     * @throws ChannelTimeoutException when a channel had no item in time
     * @throws RemoteError when a remote closed its channel with an error
     */
    List<Object> receiveEach(Duration timeout);

    /**
     * Like {@link #receiveEach}, each item with the channel it came from.
     *
     * @param timeout how long to wait per channel; {@code null} waits without limit
     * @return channel to item, in channel order
     */
    Map<Channel, Object> receiveEachWithChannel(Duration timeout);

    /**
     * A queue of {@code Map.Entry<Channel, Object>} into which every channel delivers what it
     * receives from now on, and {@code (channel, endMarker)} when it ends. Made once: later calls
     * return the same queue, and {@link #receiveEach} refuses to work afterwards.
     *
     * @param endMarker what each channel delivers once when it ends
     * @return the queue
     */
    BlockingQueue<Map.Entry<Channel, Object>> makeReceiveQueue(Object endMarker);

    /**
     * Waits for every channel to close; the first remote error is thrown after all were waited for.
     *
     * @param timeout how long to wait per channel; {@code null} waits without limit
     * @throws RemoteError when a remote closed its channel with an error
     */
    void waitClose(Duration timeout);
}
