package org.execnet4j.core;

import static org.execnet4j.core.Gateways.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import org.execnet4j.api.Channel;
import org.execnet4j.api.ChannelClosedException;
import org.execnet4j.api.ChannelTimeoutException;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.GatewayClosedException;
import org.execnet4j.testing.Await;
import org.execnet4j.testing.Waiter;
import org.junit.jupiter.api.Test;

/**
 * The host side of credit-based flow control (CONTRACTS.md, issue 9 "Flow control") against a
 * hand-written remote that sends credits exactly when the test says so.
 */
class FlowControlTest {
    private static final int WINDOW = 64 * 1024;
    private static final int ITEM = 16 * 1024;
    /** The wire size of a {@code bytes} item of ITEM bytes: opcode, length, data, STOP. */
    private static final int ITEM_WIRE = ITEM + 6;
    private static final Duration SHORT = Duration.ofMillis(300);

    private static FakeRemote remote() {
        return FakeRemote.start(EngineSettings.builder().flowWindow(WINDOW).build());
    }

    @Test
    void theWindowIsNegotiatedInTheBootstrapConfigOnlyWhenOn() {
        try (FakeRemote on = FakeRemote.start(EngineSettings.DEFAULTS)) {
            assertTrue(on.bootstrapConfig().contains("flow_window") && on.bootstrapConfig().contains("4194304"));
        }
        try (FakeRemote off = FakeRemote.start(EngineSettings.builder().flowWindow(0).build())) {
            assertFalse(off.bootstrapConfig().contains("flow_window"));
        }
    }

    @Test
    void aSenderWaitsForCreditWithItsTimeoutAndGoesOnWhenCredited() {
        try (FakeRemote remote = remote()) {
            Channel ch = remote.gateway().newChannel();
            for (int i = 0; i < WINDOW / ITEM_WIRE; i++) {
                ch.send(new byte[ITEM], SHORT);
            }
            ChannelTimeoutException e = assertThrows(ChannelTimeoutException.class, () -> ch.send(new byte[ITEM], SHORT));
            assertTrue(e.getMessage().contains("flow window"), e.getMessage());
            for (int i = 0; i < WINDOW / ITEM_WIRE; i++) {
                assertEquals(ITEM, ((byte[]) remote.expect(FakeRemote.CHANNEL_DATA, ch.id(), TIMEOUT).value()).length);
            }
            assertNull(remote.read(SHORT), "the timed-out item was not written");
            remote.send(FakeRemote.CHANNEL_CREDIT, ch.id(), FakeRemote.payload(2 * ITEM_WIRE));
            ch.send(new byte[ITEM], TIMEOUT);
            remote.expect(FakeRemote.CHANNEL_DATA, ch.id(), TIMEOUT);
        }
    }

    @Test
    void anItemLargerThanTheWindowGoesWhenNothingIsOutstanding() {
        try (FakeRemote remote = remote()) {
            Channel ch = remote.gateway().newChannel();
            ch.send(new byte[3 * WINDOW], SHORT);
            assertEquals(3 * WINDOW, ((byte[]) remote.expect(FakeRemote.CHANNEL_DATA, ch.id(), TIMEOUT).value()).length);
            assertThrows(ChannelTimeoutException.class, () -> ch.send(new byte[1], SHORT));
        }
    }

    @Test
    void aBlockedSenderBlocksNoOtherChannelAndWakesWhenItsChannelCloses() {
        try (FakeRemote remote = remote()) {
            Gateway gw = remote.gateway();
            Channel full = gw.newChannel();
            full.send(new byte[WINDOW]);
            Waiter blocked = Waiter.start("send on a full window", () -> full.send(new byte[ITEM]));
            blocked.awaitBlocked();
            Channel other = gw.newChannel();
            other.send("free", SHORT);
            gw.reconfigure(false, false);
            Channel exec = gw.remoteExec("pass");
            remote.expect(FakeRemote.CHANNEL_DATA, full.id(), TIMEOUT);
            remote.expect(FakeRemote.CHANNEL_DATA, other.id(), TIMEOUT);
            remote.expect(FakeRemote.CHANNEL_EXEC, exec.id(), TIMEOUT);
            remote.sendData(other.id(), "the receiver thread is not blocked either");
            assertEquals("the receiver thread is not blocked either", other.receive(TIMEOUT));
            remote.send(FakeRemote.CHANNEL_CLOSE, full.id(), new byte[0]);
            assertInstanceOf(ChannelClosedException.class, blocked.failure(TIMEOUT));
        }
    }

    @Test
    void aBlockedSenderWakesWhenTheGatewayDies() {
        FakeRemote remote = remote();
        Channel full = remote.gateway().newChannel();
        full.send(new byte[WINDOW]);
        Waiter blocked = Waiter.start("send on a full window", () -> full.send(new byte[ITEM]));
        blocked.awaitBlocked();
        remote.close();
        GatewayClosedException e = assertInstanceOf(GatewayClosedException.class, blocked.failure(TIMEOUT));
        assertTrue(e.getMessage().contains(remote.gateway().id()), e.getMessage());
    }

    @Test
    void theReceiverCreditsOnlyOnceAQuarterWindowWasTaken() {
        try (FakeRemote remote = remote()) {
            Gateway gw = remote.gateway();
            Channel ch = gw.newChannel();
            Channel marker = gw.newChannel();
            int wire = FakeRemote.payload(new byte[10_000]).length;
            for (int i = 0; i < 3; i++) {
                remote.sendData(ch.id(), new byte[10_000]);
            }
            remote.sendData(marker.id(), "all three queued");
            assertEquals("all three queued", marker.receive(TIMEOUT));
            ch.receive(TIMEOUT);
            assertNull(remote.read(SHORT), "a queue that ran empty, 10006 bytes taken: below a quarter window, no credit yet");
            ch.receive(TIMEOUT);
            assertEquals(2 * wire, remote.expect(FakeRemote.CHANNEL_CREDIT, ch.id(), TIMEOUT).value(), "a quarter window");
            ch.receive(TIMEOUT);
            assertNull(remote.read(SHORT), "the queue ran empty, but only 10006 bytes were taken since the credit");
        }
    }

    @Test
    void callbacksCreditAQuarterWindowToo() {
        try (FakeRemote remote = remote()) {
            Gateway gw = remote.gateway();
            Channel ch = gw.newChannel();
            List<Object> got = new CopyOnWriteArrayList<>();
            ch.setCallback(got::add);
            remote.sendData(ch.id(), "one");
            remote.sendData(ch.id(), "two");
            Await.await("both items", () -> got.size() == 2, TIMEOUT);
            assertNull(remote.read(SHORT), "two small items: no credit");
            remote.sendData(ch.id(), new byte[WINDOW / 4]);
            int total = FakeRemote.payload("one").length + FakeRemote.payload("two").length
                    + FakeRemote.payload(new byte[WINDOW / 4]).length;
            assertEquals(total, remote.expect(FakeRemote.CHANNEL_CREDIT, ch.id(), TIMEOUT).value());
        }
    }

    @Test
    void smallItemsRoundtripWithoutAnyCreditEitherWay() {
        try (FakeRemote remote = remote()) {
            Channel ch = remote.gateway().newChannel();
            int items = 1000;
            for (int i = 0; i < items; i++) {
                remote.sendData(ch.id(), i);
                ch.send(ch.receive(TIMEOUT), SHORT);    // never waits: less than a quarter window is outstanding
                FakeRemote.Frame echo = remote.read(TIMEOUT);
                assertEquals(FakeRemote.CHANNEL_DATA, echo.type(), "the next frame is the echo, no credit: " + echo);
                assertEquals(i, echo.value());
            }
            assertTrue(items * FakeRemote.payload(items).length < WINDOW / 4, "the test stays below a quarter window");
            assertNull(remote.read(SHORT), "no CHANNEL_CREDIT: two frames per roundtrip");
        }
    }

    @Test
    void anItemThatDoesNotFitGoesWhileLessThanAQuarterWindowIsOutstanding() {
        try (FakeRemote remote = remote()) {
            Channel ch = remote.gateway().newChannel();
            int small = FakeRemote.payload(new byte[1000]).length;
            int count = WINDOW / 4 / small;
            for (int i = 0; i < count; i++) {
                ch.send(new byte[1000], SHORT);
            }
            // the receiver may hold these bytes uncredited (below its quarter): waiting would never end
            ch.send(new byte[WINDOW], SHORT);
            assertThrows(ChannelTimeoutException.class, () -> ch.send(new byte[1], SHORT));
            for (int i = 0; i < count; i++) {
                remote.expect(FakeRemote.CHANNEL_DATA, ch.id(), TIMEOUT);
            }
            assertEquals(WINDOW, ((byte[]) remote.expect(FakeRemote.CHANNEL_DATA, ch.id(), TIMEOUT).value()).length);
        }
    }

    @Test
    void aFastProducerNeverHasMoreThanTheWindowAndOneItemOutstanding() {
        try (FakeRemote remote = remote()) {
            Channel ch = remote.gateway().newChannel();
            Channel marker = remote.gateway().newChannel();
            Random random = new Random(11);
            long outstanding = 0;
            long sent = 0;
            long received = 0;
            Duration brief = Duration.ofMillis(100);
            for (int round = 0; round < 6; round++) {
                while (true) {
                    byte[] item = new byte[1 + random.nextInt(WINDOW / 2)];
                    int wire = FakeRemote.payload(item).length;
                    try {
                        ch.send(item, brief);
                    } catch (ChannelTimeoutException e) {
                        assertTrue(outstanding >= WINDOW / 4 && outstanding + wire > WINDOW,
                                "waited with " + outstanding + " bytes outstanding for " + wire);
                        break;
                    }
                    outstanding += wire;
                    sent += wire;
                    assertTrue(outstanding <= WINDOW + wire, outstanding + " bytes outstanding");
                }
                while (received < sent) {
                    received += remote.expect(FakeRemote.CHANNEL_DATA, ch.id(), TIMEOUT).payload().length;
                }
                assertEquals(sent, received, "what the host counted is what it wrote");
                long credit = random.nextInt((int) outstanding + 1);
                remote.send(FakeRemote.CHANNEL_CREDIT, ch.id(), FakeRemote.payload((int) credit));
                outstanding -= credit;
                remote.sendData(marker.id(), round);
                assertEquals(round, marker.receive(TIMEOUT), "frames are handled in order: the credit arrived");
            }
        }
    }

    @Test
    void creditsForUnknownChannelsAreIgnored() {
        try (FakeRemote remote = remote()) {
            Gateway gw = remote.gateway();
            remote.send(FakeRemote.CHANNEL_CREDIT, 77, FakeRemote.payload(1000));
            remote.send(FakeRemote.CHANNEL_CREDIT, 0, FakeRemote.payload(1000));
            Channel ch = gw.newChannel();
            remote.sendData(ch.id(), "alive");
            assertEquals("alive", ch.receive(TIMEOUT));
        }
    }

    @Test
    void withFlowControlOffSendersNeverWaitAndNoCreditIsSent() {
        try (FakeRemote remote = FakeRemote.start(EngineSettings.builder().flowWindow(0).build())) {
            Channel ch = remote.gateway().newChannel();
            for (int i = 0; i < 10; i++) {
                ch.send(new byte[WINDOW], SHORT);
            }
            remote.sendData(ch.id(), "x");
            assertEquals("x", ch.receive(TIMEOUT));
            for (int i = 0; i < 10; i++) {
                remote.expect(FakeRemote.CHANNEL_DATA, ch.id(), TIMEOUT);
            }
            assertNull(remote.read(SHORT), "no CHANNEL_CREDIT");
        }
    }
}
