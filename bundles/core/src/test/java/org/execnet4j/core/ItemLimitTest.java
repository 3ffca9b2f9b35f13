package org.execnet4j.core;

import static org.execnet4j.core.Gateways.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.execnet4j.api.Channel;
import org.execnet4j.api.ExecnetException;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.ItemTooLargeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One item limit, the same both ways: checked at send with a clear exception, and an oversized
 * incoming item closes only its channel (issue 9, item 5).
 */
class ItemLimitTest {
    private static final int LIMIT = 64 * 1024;

    @RegisterExtension
    final Gateways gateways = new Gateways(EngineSettings.builder().maxItemBytes(LIMIT).build());

    @Test
    void sendRefusesAnItemOverTheLimitAndWritesNothing() {
        Channel ch = gateways.popen().remoteExec("""
                for item in channel:
                    channel.send(item)
                """);
        ItemTooLargeException e = assertThrows(ItemTooLargeException.class, () -> ch.send(new byte[100_000]));
        assertEquals(100_006, e.size());
        assertEquals(LIMIT, e.limit());
        assertTrue(e.getMessage().contains("100006 bytes") && e.getMessage().contains(LIMIT + " bytes"), e.getMessage());
        byte[] fits = new byte[LIMIT - 6];
        ch.send(fits);
        assertArrayEquals(fits, (byte[]) ch.receive(TIMEOUT), "the stream is intact: nothing of the refused item was written");
    }

    @Test
    void anOversizedIncomingItemClosesOnlyItsChannel() {
        try (FakeRemote remote = FakeRemote.start(EngineSettings.builder().maxItemBytes(LIMIT).build())) {
            assertTrue(remote.bootstrapConfig().contains("max_item") && remote.bootstrapConfig().contains(String.valueOf(LIMIT)),
                    "the agent is told the limit");
            Gateway gw = remote.gateway();
            Channel big = gw.newChannel();
            Channel small = gw.newChannel();
            remote.sendData(big.id(), new byte[2 * LIMIT]);
            remote.sendData(small.id(), "after the big one");
            assertEquals("after the big one", small.receive(TIMEOUT));
            ExecnetException e = assertThrows(ExecnetException.class, () -> big.receive(TIMEOUT));
            assertTrue(e.getMessage().contains((2 * LIMIT + 6) + " bytes") && e.getMessage().contains(LIMIT + " bytes"),
                    e.getMessage());
            String sent = (String) remote.expect(FakeRemote.CHANNEL_CLOSE_ERROR, big.id(), TIMEOUT).value();
            assertTrue(sent.contains("maxItemBytes"), sent);
            assertTrue(gw.isAlive());
        }
    }
}
