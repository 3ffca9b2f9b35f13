package org.execnet4j.group.internal;

import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import org.execnet4j.api.Channel;
import org.execnet4j.api.MultiChannel;
import org.execnet4j.api.RemoteError;

/** {@link MultiChannel} over a fixed list of channels. */
final class GroupMultiChannel implements MultiChannel {
    private final List<Channel> channels;
    private BlockingQueue<Map.Entry<Channel, Object>> queue;

    GroupMultiChannel(List<Channel> channels) {
        this.channels = List.copyOf(channels);
    }

    @Override
    public List<Channel> channels() {
        return channels;
    }

    @Override
    public Iterator<Channel> iterator() {
        return channels.iterator();
    }

    @Override
    public void sendEach(Object item) {
        channels.forEach(c -> c.send(item));
    }

    @Override
    public List<Object> receiveEach(Duration timeout) {
        return new ArrayList<>(receiveEachWithChannel(timeout).values());
    }

    @Override
    public synchronized Map<Channel, Object> receiveEachWithChannel(Duration timeout) {
        if (queue != null) {
            throw new IllegalStateException("receiveEach() after makeReceiveQueue(): the items go to the queue");
        }
        Map<Channel, Object> items = new LinkedHashMap<>();
        for (Channel c : channels) {
            items.put(c, c.receive(timeout));
        }
        return items;
    }

    @Override
    public synchronized BlockingQueue<Map.Entry<Channel, Object>> makeReceiveQueue(Object endMarker) {
        if (queue == null) {
            BlockingQueue<Map.Entry<Channel, Object>> q = new LinkedBlockingQueue<>();
            for (Channel c : channels) {
                c.setCallback(item -> q.add(new AbstractMap.SimpleImmutableEntry<>(c, item)), endMarker);
            }
            queue = q;
        }
        return queue;
    }

    @Override
    public void waitClose(Duration timeout) {
        RemoteError first = null;
        for (Channel c : channels) {
            try {
                c.waitClose(timeout);
            } catch (RemoteError e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
