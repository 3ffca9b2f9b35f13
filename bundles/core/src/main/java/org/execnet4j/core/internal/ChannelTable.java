package org.execnet4j.core.internal;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

import org.execnet4j.api.DataFormatException;
import org.execnet4j.api.ExecnetException;
import org.execnet4j.api.GatewayClosedException;

/**
 * The live channels of one gateway by id (protocol.md §3.1). Hands out this side's odd ids (1,
 * 3, 5, ...); accepts from the remote only ids it may use (its own even ones, or odd ones this
 * side created); holds at most {@code maxChannels}; and, once the gateway ended, refuses new
 * channels.
 *
 * <p>Channels are held weakly, as execnet does: a channel the application dropped (and that has
 * no callback) is collected, and {@link #awaitDropped} hands its id to the caller, which tells
 * the peer. A channel with a callback stays until it ends, since the callback still uses it.
 */
final class ChannelTable {
    /** A table entry: the channel, weakly, and strongly while a callback needs it. */
    static final class Slot extends WeakReference<EngineChannel> {
        final int id;
        private volatile EngineChannel pinned;

        Slot(EngineChannel channel, ReferenceQueue<EngineChannel> queue) {
            super(channel, queue);
            this.id = channel.id();
        }
    }

    private final Map<Integer, Slot> slots = new ConcurrentHashMap<>();
    private final ReferenceQueue<EngineChannel> dropped = new ReferenceQueue<>();
    private final String gatewayId;
    private final int maxChannels;
    private int nextId = 1;
    /** Channels ever added; changed only under this table's lock, read without it. */
    private volatile long added;
    private GatewayClosedException finished;

    ChannelTable(String gatewayId, int maxChannels) {
        this.gatewayId = gatewayId;
        this.maxChannels = maxChannels;
    }

    /** A new channel with the next odd id. */
    synchronized EngineChannel create(IntFunction<EngineChannel> factory) {
        if (finished != null) {
            throw new GatewayClosedException(finished.getMessage(), finished.getCause());
        }
        checkRoom("cannot create another channel");
        EngineChannel channel = factory.apply(nextId);
        nextId += 2;
        add(channel);
        return channel;
    }

    /**
     * The channel for an id the peer sent in a value (protocol.md §3.9): one of ours, or one of
     * the peer's, created if new.
     *
     * @throws DataFormatException for an id the peer may not use: 0, negative, or an odd id this
     *     side never created
     * @throws ExecnetException when a new channel would exceed the table's bound
     */
    synchronized EngineChannel resolve(int id, IntFunction<EngineChannel> factory) {
        if (id <= 0) {
            throw new DataFormatException("channel reference to id " + id + ": channel ids are positive");
        }
        EngineChannel channel = get(id);
        if (channel != null) {
            return channel;
        }
        if (id % 2 == 1) {
            if (id >= nextId) {
                throw new DataFormatException("channel reference to id " + id
                        + ", an odd (host) id that the host never created");
            }
            channel = factory.apply(id);
            channel.forgetLocally();   // one of ours that has ended: the reference stays closed
            return channel;
        }
        channel = factory.apply(id);
        if (finished == null) {
            checkRoom("refusing the remote's new channel " + id);
            add(channel);
        }
        return channel;
    }

    private void checkRoom(String action) {
        if (slots.size() >= maxChannels) {
            throw new ExecnetException("gateway " + gatewayId + " holds " + slots.size()
                    + " live channels, the most it allows (maxChannels " + maxChannels + "): " + action);
        }
    }

    private void add(EngineChannel channel) {
        slots.put(channel.id(), new Slot(channel, dropped));
        added++;
    }

    /** How many channels the table has held since it was made, by either side. */
    long channelsAdded() {
        return added;
    }

    /** The live channel with this id, or {@code null} (unknown, ended, or dropped by the application). */
    EngineChannel get(int id) {
        Slot slot = slots.get(id);
        return slot == null ? null : slot.get();
    }

    /** Holds the channel strongly (a callback uses it) or weakly again. */
    void pin(EngineChannel channel, boolean pinned) {
        Slot slot = slots.get(channel.id());
        if (slot != null && slot.get() == channel) {
            slot.pinned = pinned ? channel : null;
        }
    }

    /** The channel ended: its entry goes. */
    void remove(EngineChannel channel) {
        Slot slot = slots.get(channel.id());
        if (slot != null && slot.get() == channel) {
            slot.pinned = null;
            slots.remove(channel.id(), slot);
        }
    }

    /**
     * Waits for a channel that the application dropped while it was still in the table, removes
     * its entry and returns its id.
     *
     * @throws InterruptedException when the waiting thread is interrupted (the gateway ended)
     */
    int awaitDropped() throws InterruptedException {
        while (true) {
            Slot slot = (Slot) dropped.remove();
            if (slots.remove(slot.id, slot)) {
                return slot.id;
            }
        }
    }

    int size() {
        return slots.size();
    }

    /** Marks the table finished and returns the channels still open, for the caller to end. */
    synchronized List<EngineChannel> finish(GatewayClosedException cause) {
        finished = cause;
        List<EngineChannel> live = new ArrayList<>();
        for (Slot slot : slots.values()) {
            EngineChannel channel = slot.get();
            if (channel != null) {
                live.add(channel);
            }
        }
        return live;
    }
}
