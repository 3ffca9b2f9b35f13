package org.execnet4j.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

import org.execnet4j.api.GatewayClosedException;

/**
 * The live channels of one gateway by id; hands out this side's odd ids (1, 3, 5, ...) and,
 * once the gateway ended, refuses new channels.
 */
final class ChannelTable {
    private final Map<Integer, EngineChannel> channels = new ConcurrentHashMap<>();
    private int nextId = 1;
    private GatewayClosedException finished;

    /** A new channel with the next odd id. */
    synchronized EngineChannel create(IntFunction<EngineChannel> factory) {
        if (finished != null) {
            throw new GatewayClosedException(finished.getMessage(), finished.getCause());
        }
        EngineChannel channel = factory.apply(nextId);
        nextId += 2;
        channels.put(channel.id(), channel);
        return channel;
    }

    /** The channel for an id the peer sent in a value, created if new (protocol.md §3.9). */
    synchronized EngineChannel getOrCreate(int id, IntFunction<EngineChannel> factory) {
        EngineChannel channel = channels.get(id);
        if (channel == null) {
            channel = factory.apply(id);
            if (finished == null) {
                channels.put(id, channel);
            }
        }
        return channel;
    }

    EngineChannel get(int id) {
        return channels.get(id);
    }

    void remove(EngineChannel channel) {
        channels.remove(channel.id(), channel);
    }

    int size() {
        return channels.size();
    }

    /** Marks the table finished and returns the channels still open, for the caller to end. */
    synchronized List<EngineChannel> finish(GatewayClosedException cause) {
        finished = cause;
        return new ArrayList<>(channels.values());
    }
}
