package org.execnet4j.core;

import static org.execnet4j.core.Gateways.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.execnet4j.api.Channel;
import org.execnet4j.api.ExecnetException;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.GatewayClosedException;
import org.execnet4j.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A callback that fails, however it fails, closes its own channel with the error sent to the
 * remote, is never called again, and leaves the receiver thread, the other channels and the
 * gateway working (issue 9, item 2).
 */
class CallbackFailureTest {
    @RegisterExtension
    final Gateways gateways = new Gateways();

    /**
     * Sends three items, then reports what its next receive raised on the channel it was given.
     * The host may close the channel with its callback's error before the last items are sent:
     * then sending fails, and the receive still raises that error.
     */
    private static final String SENDER = """
            report = channel.receive()
            try:
                for i in range(3):
                    channel.send(i)
            except Exception:
                pass
            try:
                channel.receive()
                report.send('no error')
            except Exception as e:
                report.send(str(e))
            """;

    private static final class Checked extends Exception {
        private static final long serialVersionUID = 1L;

        Checked(String message) {
            super(message);
        }
    }

    /** Throws a checked exception without declaring it, as Kotlin or Groovy code may. */
    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
        throw (T) t;
    }

    private static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }

    @Test
    void everyKindOfFailureClosesOnlyItsOwnChannelAndIsReportedToTheRemote() {
        Gateway gw = gateways.popen();
        Map<String, Consumer<Object>> failures = Map.of(
                "runtime", item -> {
                    throw new IllegalStateException("refused item " + item);
                },
                "checked", item -> sneakyThrow(new Checked("sneaky checked failure on " + item)),
                "stack", item -> recurse(0),
                "assertion", item -> {
                    throw new AssertionError("assertion on " + item);
                });
        Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        Map<String, Channel> reports = new ConcurrentHashMap<>();
        Map<String, Channel> channels = new ConcurrentHashMap<>();
        Channel healthy = gw.remoteExec(SENDER);
        List<Object> healthyItems = new CopyOnWriteArrayList<>();
        healthy.setCallback(healthyItems::add, "END");
        Channel healthyReport = gw.newChannel();
        for (var e : failures.entrySet()) {
            AtomicInteger count = new AtomicInteger();
            calls.put(e.getKey(), count);
            Channel ch = gw.remoteExec(SENDER);
            ch.setCallback(item -> {
                count.incrementAndGet();
                e.getValue().accept(item);
            }, "END");
            Channel report = gw.newChannel();
            ch.send(report);
            reports.put(e.getKey(), report);
            channels.put(e.getKey(), ch);
        }
        healthy.send(healthyReport);
        for (var e : failures.keySet()) {
            String seen = (String) reports.get(e).receive(TIMEOUT);
            assertTrue(seen.contains("Java ") && seen.contains("CallbackFailureTest"),
                    e + ": the remote got the Java traceback: " + seen);
            ExecnetException local = assertThrows(ExecnetException.class, () -> channels.get(e).waitClose(TIMEOUT));
            assertTrue(local.getMessage().contains("callback"), local.getMessage());
            assertEquals(1, calls.get(e).get(), e + ": never called again after it failed (not even with the end marker)");
        }
        assertTrue(gw.isAlive(), "the gateway lives on");
        healthy.send("done");
        assertEquals("no error", healthyReport.receive(TIMEOUT));
        Await.await("the healthy channel's items and end marker", () -> healthyItems.equals(List.of(0, 1, 2, "END")), TIMEOUT);
        assertEquals(7, gw.remoteExec("channel.send(7)").receive(TIMEOUT));
    }

    @Test
    void failingEndMarkersNeverStopOtherChannelsFromEnding() {
        Gateway gw = gateways.popen();
        List<Object> endMarkers = new CopyOnWriteArrayList<>();
        List<Channel> channels = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Channel ch = gw.remoteExec("channel.receive()");
            String marker = "END" + i;
            ch.setCallback(item -> {
                if (marker.equals(item)) {
                    endMarkers.add(item);
                    throw new IllegalStateException("end marker " + item + " refused");
                }
            }, marker);
            channels.add(ch);
        }
        Channel plain = gw.remoteExec("channel.receive()");
        Channel closesCleanly = gw.remoteExec("pass");
        closesCleanly.setCallback(item -> {
            throw new IllegalStateException("end marker of a cleanly closed channel refused");
        }, "END-clean");
        RuntimeException onClose = assertThrows(RuntimeException.class, () -> closesCleanly.waitClose(TIMEOUT));
        assertTrue(onClose.getMessage().contains("callback"), onClose.getMessage());
        gw.remoteExec("import os; os._exit(3)");
        GatewayClosedException dead = assertInstanceOf(GatewayClosedException.class,
                assertThrows(RuntimeException.class, () -> plain.receive(TIMEOUT)));
        assertTrue(dead.getMessage().contains("exit code 3"), dead.getMessage());
        Await.await("every end marker", () -> endMarkers.size() == 5, TIMEOUT);
        for (Channel ch : channels) {
            assertThrows(ExecnetException.class, () -> ch.waitClose(TIMEOUT));
        }
    }
}
