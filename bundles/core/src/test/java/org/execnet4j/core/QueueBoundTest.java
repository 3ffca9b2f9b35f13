package org.execnet4j.core;

import static org.execnet4j.core.Gateways.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

import org.execnet4j.api.Channel;
import org.execnet4j.api.ExecnetException;
import org.execnet4j.api.Gateway;
import org.execnet4j.serializer.WireFormat;
import org.execnet4j.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A remote that sends faster than the host receives cannot make one channel hold unbounded memory. */
class QueueBoundTest {
    private static final int MIB = 1024 * 1024;

    @RegisterExtension
    // flow control off: with it a fast remote waits for credit instead of flooding the queue
    final Gateways gateways = new Gateways(EngineSettings.builder().maxItemBytes(2 * MIB).maxQueuedBytes(4 * MIB).flowWindow(0).build());

    @Test
    void aChannelOverItsBoundIsClosedWithAnErrorAndTheGatewayLivesOn() {
        Gateway gw = gateways.popen();
        Channel flood = gw.remoteExec("""
                try:
                    for i in range(50):
                        channel.send(bytes(1024 * 1024))
                except Exception as e:
                    channel.gateway._flood_error = str(e)
                """);
        Await.await("the flooded channel closed", flood::isClosed, TIMEOUT);
        int received = 0;
        ExecnetException e;
        while (true) {
            try {
                flood.receive(TIMEOUT);
                received++;
            } catch (ExecnetException end) {
                e = end;
                break;
            }
        }
        assertTrue(received <= 4, "at most the bound was kept: " + received + " MiB");
        assertTrue(e.getMessage().contains("does not keep up"), e.getMessage());
        Channel check = gw.remoteExec("""
                import time
                for _ in range(500):
                    if hasattr(channel.gateway, '_flood_error'):
                        break
                    time.sleep(0.01)
                channel.send(getattr(channel.gateway, '_flood_error', None))
                """);
        Object remoteError = check.receive(TIMEOUT);
        assertTrue(remoteError instanceof String text && text.contains("cannot send"),
                "the remote's next send failed: " + remoteError);
        assertEquals(3, gw.remoteExec("channel.send(1 + 2)").receive(TIMEOUT), "the gateway still works");
        assertThrows(ExecnetException.class, () -> flood.receive(TIMEOUT));
    }

    @Test
    void theBoundCountsTheDecodedSizeNotTheWireBytes() {
        List<Object> emptyDicts = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            emptyDicts.add(new LinkedHashMap<>());
        }
        int wire = WireFormat.encode(emptyDicts, null, 0).length;
        assertTrue(wire < 2 * MIB, "a legal item within the limits on the wire: " + wire + " bytes");
        Gateway gw = gateways.popen();
        Channel amplified = gw.remoteExec("channel.send([{} for _ in range(200000)])");
        ExecnetException e = assertThrows(ExecnetException.class, () -> amplified.receive(TIMEOUT));
        assertTrue(e.getMessage().contains("decoded items") && e.getMessage().contains("maxQueuedBytes"), e.getMessage());
        assertEquals(3, gw.remoteExec("channel.send(1 + 2)").receive(TIMEOUT), "the gateway still works");
    }
}
