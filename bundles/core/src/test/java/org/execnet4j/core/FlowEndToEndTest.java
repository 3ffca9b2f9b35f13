package org.execnet4j.core;

import static org.execnet4j.core.Gateways.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.execnet4j.api.Channel;
import org.execnet4j.api.ChannelTimeoutException;
import org.execnet4j.api.Gateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Flow control end to end with the real agent, both directions (issue 9 "Flow control"; the
 * 2 GiB versions at -Xmx256m are in {@code benchmarks/run.sh soak}).
 */
class FlowEndToEndTest {
    private static final int MIB = 1024 * 1024;

    /** A queue bound of 8 MiB: without flow control the 64 MiB stream below would break it. */
    @RegisterExtension
    final Gateways gateways = new Gateways(EngineSettings.builder().maxItemBytes(2 * MIB).maxQueuedBytes(8 * MIB).build());

    @Test
    void aRemoteStreamingIntoASlowReaderWaitsAndNothingIsLost() throws InterruptedException {
        Channel ch = gateways.popen().remoteExec("""
                for i in range(64):
                    channel.send(bytes([i]) * (1024 * 1024))
                """);
        int i = 0;
        for (Object item : ch) {
            byte[] expected = new byte[MIB];
            java.util.Arrays.fill(expected, (byte) i++);
            assertArrayEquals(expected, (byte[]) item);
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
                total = 0
                item = channel.receive()
                while item is not None:
                    total += len(item)
                    item = channel.receive()
                channel.send(total)
                """);
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
}
