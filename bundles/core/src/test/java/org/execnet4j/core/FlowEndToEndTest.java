package org.execnet4j.core;

import static org.execnet4j.core.Gateways.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import org.execnet4j.api.Channel;
import org.execnet4j.api.ChannelTimeoutException;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.GatewayMetrics;
import org.execnet4j.api.PyTuple;
import org.execnet4j.testing.Waiter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Flow control end to end with the real agent, both directions (issue 9 "Flow control"; the
 * 2 GiB versions at -Xmx256m are in {@code benchmarks/run.sh soak}). The rules are in
 * docs/protocol-extensions.md: credit once a quarter window was taken, wait only while a quarter
 * window or more is outstanding and the item does not fit.
 */
class FlowEndToEndTest {
    private static final int MIB = 1024 * 1024;
    /** The small window of {@link #small}, so that the tests below go through many credits. */
    private static final int WINDOW = 64 * 1024;

    /** A queue bound of 8 MiB: without flow control the 64 MiB stream below would break it. */
    @RegisterExtension
    final Gateways gateways = new Gateways(EngineSettings.builder().maxItemBytes(2 * MIB).maxQueuedBytes(8 * MIB).build());

    @RegisterExtension
    final Gateways small = new Gateways(
            EngineSettings.builder().flowWindow(WINDOW).maxItemBytes(2 * MIB).maxQueuedBytes(8 * MIB).build());

    /**
     * Remote code: takes items until None into {@code count} and {@code total} (their lengths),
     * sleeping 10 ms after every {@code pause_every}-th item unless that is 0 (a slow reader).
     */
    private static final String TAKE_UNTIL_NONE = """
            import time
            total = count = 0
            item = channel.receive()
            while item is not None:
                total += len(item)
                count += 1
                if pause_every and count % pause_every == 0:
                    time.sleep(0.01)
                item = channel.receive()
            """;

    /** The CHANNEL_DATA payload size of {@code bytes} bytes (flow control counts these). */
    private static int wire(int bytes) {
        return FakeRemote.payload(new byte[bytes]).length;
    }

    /** An item of {@code size} bytes, each {@code (byte) fill}. */
    private static byte[] filled(int size, int fill) {
        byte[] item = new byte[size];
        Arrays.fill(item, (byte) fill);
        return item;
    }

    @Test
    void aRemoteStreamingIntoASlowReaderWaitsAndNothingIsLost() throws InterruptedException {
        Channel ch = gateways.popen().remoteExec("""
                for i in range(64):
                    channel.send(bytes([i]) * (1024 * 1024))
                """);
        int i = 0;
        for (Object item : ch) {
            assertArrayEquals(filled(MIB, i++), (byte[]) item);
            Thread.sleep(5);   // a slow reader (not synchronisation): the remote must wait for credit
        }
        assertEquals(64, i);
    }

    @Test
    void theHostSenderWaitsWhileTheRemoteDoesNotReadAndGoesOnWhenItDoes() {
        Gateway gw = gateways.popen();
        Channel ch = gw.remoteExec("""
                gate = channel.receive()
                gate.receive()
                pause_every = 0
                """ + TAKE_UNTIL_NONE + "channel.send(total)\n");
        Channel gate = gw.newChannel();
        ch.send(gate);
        long sent = 0;
        int accepted = 0;
        try {
            while (accepted < 100) {
                ch.send(new byte[MIB], Duration.ofMillis(500));
                sent += MIB;
                accepted++;
            }
        } catch (ChannelTimeoutException e) {
            assertTrue(e.getMessage().contains("flow window"), e.getMessage());
        }
        assertTrue(accepted >= 1 && accepted <= 5, "the 4 MiB window held the sender back after " + accepted + " MiB");
        gate.send("read now");
        for (int i = 0; i < 20; i++) {
            ch.send(new byte[MIB], TIMEOUT);
            sent += MIB;
        }
        ch.send(null);
        assertEquals(sent, ((Number) ch.receive(TIMEOUT)).longValue(), "every accepted byte arrived");
    }

    @Test
    void smallItemsEchoWithTwoFramesPerRoundtrip() {
        Gateway gw = gateways.popen();
        Channel ch = gw.remoteExec("for x in channel:\n    channel.send(x)\n");
        ch.send(-1);
        assertEquals(-1, ch.receive(TIMEOUT));
        GatewayMetrics before = gw.metrics();
        int roundtrips = 1000;
        for (int i = 0; i < roundtrips; i++) {
            ch.send(i);
            assertEquals(i, ch.receive(TIMEOUT));
        }
        GatewayMetrics after = gw.metrics();
        assertEquals(roundtrips, after.messagesSent() - before.messagesSent(), "one CHANNEL_DATA per roundtrip, no credit");
        assertEquals(roundtrips, after.messagesReceived() - before.messagesReceived(), "the remote sent no credit either");
    }

    @Test
    void aFastRemoteProducerStopsAtTheWindowAndTheSlowHostGetsEverything() throws InterruptedException {
        Gateway gw = small.popen();
        Channel progress = gw.remoteExec("""
                data = channel.receive()
                for i in range(60):
                    data.send(bytes([i]) * 10000)
                    channel.send(i + 1)
                """);
        Channel data = gw.newChannel();
        progress.send(data);
        int sent = 0;
        try {
            while (true) {
                sent = ((Number) progress.receive(Duration.ofSeconds(2))).intValue();
            }
        } catch (ChannelTimeoutException e) {
            // the remote waits for credit: nothing of data was received yet
        }
        int item = wire(10000);
        assertTrue(sent * item > WINDOW - item && sent * item <= WINDOW + item,
                "the remote stopped after " + sent + " items of " + item + " bytes (window " + WINDOW + ")");
        for (int i = 0; i < 60; i++) {
            assertArrayEquals(filled(10000, i), (byte[]) data.receive(TIMEOUT));
            Thread.sleep(2);   // a slow reader (not synchronisation)
        }
        progress.waitClose(TIMEOUT);
    }

    @Test
    void aFastHostProducerStopsAtTheWindowAndTheSlowRemoteGetsEverything() {
        Gateway gw = small.popen();
        Channel ch = gw.remoteExec("""
                channel.receive().receive()
                pause_every = 100
                """ + TAKE_UNTIL_NONE + "channel.send((count, total))\n");
        Channel gate = gw.newChannel();
        ch.send(gate);
        int item = wire(1000);
        int accepted = 0;
        try {
            while (true) {
                ch.send(new byte[1000], Duration.ofMillis(300));
                accepted++;
            }
        } catch (ChannelTimeoutException e) {
            assertTrue(e.getMessage().contains("flow window"), e.getMessage());
        }
        long outstanding = (long) accepted * item;   // and the gate's reference: a few bytes
        assertTrue(outstanding > WINDOW - 2 * item && outstanding <= WINDOW + item,
                "the host stopped after " + accepted + " items of " + item + " bytes (window " + WINDOW + ")");
        gate.send("read now");
        Random random = new Random(3);
        long total = (long) accepted * 1000;
        int count = accepted;
        for (int i = 0; i < 3000; i++) {
            int size = random.nextInt(5000);
            ch.send(new byte[size], TIMEOUT);
            total += size;
            count++;
        }
        ch.send(null);
        PyTuple got = (PyTuple) ch.receive(TIMEOUT);
        assertEquals(count, ((Number) got.get(0)).intValue(), "every accepted item arrived");
        assertEquals(total, ((Number) got.get(1)).longValue(), "every accepted byte arrived");
    }

    @Test
    void itemsLargerThanTheWindowGoBothWays() {
        Gateway gw = small.popen();
        Channel ch = gw.remoteExec("for x in channel:\n    channel.send(x)\n");
        for (int i = 0; i < 5; i++) {
            byte[] big = filled(3 * WINDOW + i, i);
            ch.send(big, TIMEOUT);
            assertArrayEquals(big, (byte[]) ch.receive(TIMEOUT));
        }
    }

    @Test
    void aPipelinedEchoOfMixedSizesDoesNotDeadlock() {
        Gateway gw = small.popen();
        Channel ch = gw.remoteExec("for x in channel:\n    channel.send(x)\n");
        int items = 1000;
        Waiter sender = Waiter.start("the host's sender", () -> {
            Random random = new Random(7);
            for (int i = 0; i < items; i++) {
                ch.send(filled(random.nextInt(WINDOW / 2), i), TIMEOUT);
            }
        });
        Random random = new Random(7);
        for (int i = 0; i < items; i++) {
            assertArrayEquals(filled(random.nextInt(WINDOW / 2), i), (byte[]) ch.receive(TIMEOUT), "item " + i);
        }
        assertNull(sender.failure(TIMEOUT));
    }

    @Test
    void twoStreamsOppositeWaysOnOneChannelDoNotDeadlock() {
        Gateway gw = small.popen();
        Channel ch = gw.remoteExec("""
                import random, threading
                def produce():
                    r = random.Random(5)
                    for i in range(800):
                        channel.send(bytes([i % 256]) * r.randrange(40000))
                    channel.send(None)
                t = threading.Thread(target=produce)
                t.start()
                pause_every = 0
                """ + TAKE_UNTIL_NONE + "t.join()\nchannel.send(total)\n");
        long[] sentTotal = new long[1];
        Waiter sender = Waiter.start("the host's sender", () -> {
            Random random = new Random(9);
            for (int i = 0; i < 800; i++) {
                int size = random.nextInt(40000);
                ch.send(new byte[size], TIMEOUT);
                sentTotal[0] += size;
            }
            ch.send(null, TIMEOUT);
        });
        int received = 0;
        for (Object item = ch.receive(TIMEOUT); item != null; item = ch.receive(TIMEOUT)) {
            byte[] bytes = (byte[]) item;
            assertTrue(bytes.length == 0 || bytes[0] == (byte) received, "item " + received + " in order");
            received++;
        }
        assertEquals(800, received);
        assertNull(sender.failure(TIMEOUT));
        assertEquals(sentTotal[0], ((Number) ch.receive(TIMEOUT)).longValue(), "the remote got every byte");
    }
}
