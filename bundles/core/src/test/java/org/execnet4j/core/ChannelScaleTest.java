package org.execnet4j.core;

import static org.execnet4j.core.Gateways.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.execnet4j.api.Channel;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.PyTuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Short versions of the channel soak (benchmarks/run.sh soak): many channels, many threads, nothing misrouted. */
class ChannelScaleTest {
    @RegisterExtension
    final Gateways gateways = new Gateways();

    @Test
    void twoHundredConcurrentChannelsEachGetTheirOwnItems() {
        Gateway gw = gateways.popen();
        Channel control = gw.remoteExec("""
                chans = [channel.receive() for _ in range(channel.receive())]
                for c in chans:
                    c.setcallback(lambda x, c=c: c.send(x))
                channel.send('ready')
                channel.receive()
                """);
        List<Channel> channels = new ArrayList<>();
        control.send(200);
        for (int i = 0; i < 200; i++) {
            Channel c = gw.newChannel();
            channels.add(c);
            control.send(c);
        }
        assertEquals("ready", control.receive(TIMEOUT));
        for (int round = 0; round < 3; round++) {
            for (Channel c : channels) {
                c.send(PyTuple.of(c.id(), round));
            }
            for (Channel c : channels) {
                assertEquals(PyTuple.of(c.id(), round), c.receive(TIMEOUT));
            }
        }
        control.send("stop");
        control.waitClose(TIMEOUT);
    }

    @Test
    void eightThreadsEchoingAtOnceGetOnlyTheirOwnReplies() throws Exception {
        Gateway gw = gateways.popen();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    Channel ch = gw.remoteExec("for x in channel:\n    channel.send(x)\n");
                    for (int i = 0; i < 100; i++) {
                        ch.send(PyTuple.of(thread, i));
                        assertEquals(PyTuple.of(thread, i), ch.receive(TIMEOUT));
                    }
                    ch.close();
                    return thread;
                }));
            }
            for (int t = 0; t < 8; t++) {
                assertEquals(t, results.get(t).get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
