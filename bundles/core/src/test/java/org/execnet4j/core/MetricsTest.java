package org.execnet4j.core;

import static org.execnet4j.core.Gateways.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;

import org.execnet4j.api.Channel;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.GatewayMetrics;
import org.execnet4j.serializer.WireFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Gateway metrics count what really crossed the connection, and stay after the gateway ended. */
class MetricsTest {
    private static final int HEADER = 9;
    private static final int ITEMS = 50;
    private static final int SIZE = 1000;

    /** Flow control off, so the remote sends no CHANNEL_CREDIT frames and the counts are exact. */
    @RegisterExtension
    final Gateways gateways = new Gateways(EngineSettings.builder().flowWindow(0).build());

    /** Takes ITEMS items, then sends as many items of 2 * SIZE bytes and ends (CHANNEL_CLOSE). */
    private static final String TAKE_THEN_SEND = """
            for _ in range(%d):
                channel.receive()
            for _ in range(%d):
                channel.send(b'y' * %d)
            """.formatted(ITEMS, ITEMS, 2 * SIZE);

    private static long frameSize(Object item) {
        return HEADER + WireFormat.encode(item, null, 0).length;
    }

    @Test
    void countsTheFramesAndBytesOfItemsBothWays() {
        Gateway gw = gateways.popen();
        GatewayMetrics start = gw.metrics();
        Channel ch = gw.remoteExec(TAKE_THEN_SEND);
        GatewayMetrics afterExec = gw.metrics();
        assertEquals(start.messagesSent() + 1, afterExec.messagesSent(), "one CHANNEL_EXEC frame");
        assertEquals(start.channelsOpened() + 1, afterExec.channelsOpened());
        assertEquals(start.openChannels() + 1, afterExec.openChannels());

        byte[] item = new byte[SIZE];
        for (int i = 0; i < ITEMS; i++) {
            ch.send(item);
        }
        GatewayMetrics afterSend = gw.metrics();
        assertEquals(afterExec.messagesSent() + ITEMS, afterSend.messagesSent());
        assertEquals(afterExec.bytesSent() + ITEMS * frameSize(item), afterSend.bytesSent());

        byte[] expected = new byte[2 * SIZE];
        Arrays.fill(expected, (byte) 'y');
        for (int i = 0; i < ITEMS; i++) {
            assertArrayEquals(expected, (byte[]) ch.receive(TIMEOUT));
        }
        ch.waitClose(TIMEOUT);
        GatewayMetrics end = gw.metrics();
        assertEquals(afterExec.messagesReceived() + ITEMS + 1, end.messagesReceived(), "the items and CHANNEL_CLOSE");
        assertEquals(afterExec.bytesReceived() + ITEMS * frameSize(expected) + HEADER, end.bytesReceived());
        assertEquals(afterSend.messagesSent(), end.messagesSent(), "receiving sends nothing without flow control");
        assertEquals(start.openChannels(), end.openChannels(), "the closed channel is no longer open");
        assertEquals(afterExec.channelsOpened(), end.channelsOpened(), "channels opened only grow");
    }

    @Test
    void anEndedGatewayKeepsItsFinalFigures() {
        Gateway gw = gateways.popen();
        Channel ch = gw.remoteExec("channel.send(channel.receive())");
        ch.send("ping");
        assertEquals("ping", ch.receive(TIMEOUT));
        ch.waitClose(TIMEOUT);
        GatewayMetrics before = gw.metrics();

        gw.exit(Duration.ofSeconds(5));
        GatewayMetrics ended = gw.metrics();
        assertTrue(ended.messagesSent() >= before.messagesSent() + 1, "GATEWAY_TERMINATE was sent: " + ended);
        assertTrue(ended.bytesSent() >= before.bytesSent() + HEADER, ended::toString);
        assertTrue(ended.messagesReceived() >= before.messagesReceived(), ended::toString);
        assertEquals(0, ended.openChannels());
        assertTrue(ended.channelsOpened() >= 1, ended::toString);
        assertEquals(ended, gw.metrics(), "an ended gateway's figures do not move");
    }
}
