package org.execnet4j.core;

import static org.execnet4j.core.Gateways.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import org.execnet4j.api.Channel;
import org.execnet4j.api.ExecnetException;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.PyTuple;
import org.execnet4j.testing.Await;
import org.junit.jupiter.api.Test;

/**
 * The channel table trusts no id from the remote: ids are validated by parity, channel
 * references inside data are held weakly, and the table is bounded (issue 9, item 7). The
 * remote is a hand-written fake, since a real agent never sends such ids.
 */
class ChannelIdTest {
    private static final Pattern ACTIVE = Pattern.compile(" (\\d+) active channels");

    private static int active(Gateway gw) {
        Matcher m = ACTIVE.matcher(gw.toString());
        assertTrue(m.find(), gw.toString());
        return Integer.parseInt(m.group(1));
    }

    /** Collects garbage until the refused references have left the table. */
    private static void awaitCollected(Gateway gw) {
        Await.await("the refused references collected and closed", () -> {
            System.gc();
            return active(gw) == 0;
        }, TIMEOUT);
    }

    @Test
    void referencesToIdsTheRemoteMayNotUseCloseOnlyTheirChannel() {
        try (FakeRemote remote = FakeRemote.start(EngineSettings.DEFAULTS)) {
            Gateway gw = remote.gateway();
            Channel mine = gw.newChannel();
            for (int bad : new int[] {0, -2, -1, 999}) {
                Channel ch = gw.newChannel();
                remote.send(FakeRemote.CHANNEL_DATA, ch.id(), FakeRemote.channelRefs(bad));
                ExecnetException e = assertThrows(ExecnetException.class, () -> ch.receive(TIMEOUT), "id " + bad);
                assertTrue(e.getMessage().contains("id " + bad), e.getMessage());
                String sent = (String) remote.expect(FakeRemote.CHANNEL_CLOSE_ERROR, ch.id(), TIMEOUT).value();
                assertTrue(sent.contains("id " + bad), sent);
            }
            Channel ok = gw.newChannel();
            remote.send(FakeRemote.CHANNEL_DATA, ok.id(), FakeRemote.channelRefs(mine.id(), 2));
            PyTuple refs = (PyTuple) ok.receive(TIMEOUT);
            assertSame(mine, refs.get(0), "a reference to a live host channel is that channel");
            assertEquals(2, ((Channel) refs.get(1)).id());
            Channel later = gw.newChannel();
            remote.sendData(0, "data on channel 0");
            remote.sendData(-3, "data on a negative id");
            remote.sendData(later.id(), "still working");
            assertEquals("still working", later.receive(TIMEOUT));
            assertTrue(gw.isAlive());
        }
    }

    @Test
    void theTableIsBoundedAndRefusesNewRemoteChannelsBeyondIt() {
        try (FakeRemote remote = FakeRemote.start(EngineSettings.builder().maxChannels(10).build())) {
            Gateway gw = remote.gateway();
            Channel ch = gw.newChannel();
            remote.send(FakeRemote.CHANNEL_DATA, ch.id(), FakeRemote.channelRefs(IntStream.rangeClosed(1, 10).map(i -> 2 * i).toArray()));
            ExecnetException e = assertThrows(ExecnetException.class, () -> ch.receive(TIMEOUT));
            assertTrue(e.getMessage().contains("maxChannels 10"), e.getMessage());
            awaitCollected(gw);
            Channel other = gw.newChannel();
            remote.send(FakeRemote.CHANNEL_DATA, other.id(), FakeRemote.channelRefs(100));
            assertInstanceOf(PyTuple.class, other.receive(TIMEOUT), "the gateway lives on, with room again");
        }
    }

    @Test
    void aMillionChannelReferencesNeitherStayActiveNorRetainMemory() {
        try (FakeRemote remote = FakeRemote.start(EngineSettings.DEFAULTS)) {
            Gateway gw = remote.gateway();
            Thread drain = drainInBackground(remote);
            long before = usedHeapAfterGc();
            Channel ch = gw.newChannel();
            byte[] refs = FakeRemote.channelRefs(IntStream.rangeClosed(1, 1_000_000).map(i -> 2 * i).toArray());
            assertTrue(refs.length > 5_000_000);
            remote.send(FakeRemote.CHANNEL_DATA, ch.id(), refs);
            refs = null;
            ExecnetException e = assertThrows(ExecnetException.class, () -> ch.receive(TIMEOUT));
            assertTrue(e.getMessage().contains("maxChannels"), e.getMessage());
            awaitCollected(gw);
            long retained = usedHeapAfterGc() - before;
            assertTrue(retained < 64L * 1024 * 1024, "retained " + retained / (1024 * 1024) + " MiB");
            assertTrue(gw.isAlive());
            drain.interrupt();
        }
    }

    @Test
    void channelReferencesInsideDataAreHeldWeaklyAndClosedWhenDropped() {
        try (FakeRemote remote = FakeRemote.start(EngineSettings.DEFAULTS)) {
            Gateway gw = remote.gateway();
            Channel ch = gw.newChannel();
            int[] ids = IntStream.rangeClosed(1, 1000).map(i -> 2 * i).toArray();
            remote.send(FakeRemote.CHANNEL_DATA, ch.id(), FakeRemote.channelRefs(ids));
            assertEquals(1000, ((PyTuple) ch.receive(TIMEOUT)).size());
            Set<Integer> closed = new HashSet<>();
            Await.await("a CHANNEL_CLOSE for every dropped reference", () -> {
                System.gc();
                FakeRemote.Frame f;
                while ((f = remote.read(Duration.ofMillis(20))) != null) {
                    if (f.type() == FakeRemote.CHANNEL_CLOSE) {
                        closed.add(f.channel());
                    }
                }
                return closed.size() == ids.length;
            }, TIMEOUT);
            assertEquals(IntStream.of(ids).boxed().toList(), closed.stream().sorted().toList());
            assertEquals(1, active(gw), "only the channel the test holds");
        }
    }

    private static Thread drainInBackground(FakeRemote remote) {
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    remote.read(Duration.ofMillis(50));
                } catch (RuntimeException e) {
                    return;
                }
            }
        }, "fake-remote-drain");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
