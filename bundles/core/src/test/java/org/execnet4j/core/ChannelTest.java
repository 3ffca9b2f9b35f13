package org.execnet4j.core;

import static org.execnet4j.core.Gateways.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.execnet4j.api.Channel;
import org.execnet4j.api.ChannelClosedException;
import org.execnet4j.api.ChannelTimeoutException;
import org.execnet4j.api.DumpException;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.PyComplex;
import org.execnet4j.api.PyFrozenSet;
import org.execnet4j.api.PyTuple;
import org.execnet4j.api.PythonSource;
import org.execnet4j.api.RemoteError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Channel behaviour end to end against a real Python interpreter running our agent. */
class ChannelTest {
    @RegisterExtension
    final Gateways gateways = new Gateways();

    private static final String ECHO = """
            for item in channel:
                channel.send(item)
            """;

    @Test
    void everyValueTypeSurvivesTheRoundTrip() {
        Channel ch = gateways.popen().remoteExec(ECHO);
        Map<Object, Object> dict = new LinkedHashMap<>();
        dict.put("k", PyTuple.of(1.5, new byte[] {0, (byte) 0xff}, null, true));
        dict.put(PyTuple.of(1, 2), PyFrozenSet.of("a"));
        List<Object> values = new ArrayList<>(List.of(0, -1, Integer.MAX_VALUE, 1L << 40, -(1L << 40),
                BigInteger.TWO.pow(100).negate(), 3.25, Double.NaN, -0.0, new PyComplex(1, -2), "héllo ✓ \uD83D\uDE00",
                "", List.of(1, List.of(2)), PyTuple.of(), dict, new java.util.LinkedHashSet<>(List.of(1, 2, 3))));
        values.add(null);
        for (Object v : values) {
            ch.send(v);
            Object back = ch.receive(TIMEOUT);
            if (v instanceof Map<?, ?> m) {
                Map<?, ?> b = (Map<?, ?>) back;
                assertEquals(m.keySet(), b.keySet());
                assertArrayEquals(new byte[] {0, (byte) 0xff}, (byte[]) ((PyTuple) b.get("k")).get(1));
            } else if (v instanceof Double d) {
                assertEquals(Double.doubleToRawLongBits(d), Double.doubleToRawLongBits((Double) back));
            } else {
                assertEquals(v, back, "round trip of " + v);
            }
        }
        ch.send(new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) ch.receive(TIMEOUT));
        ch.close();
    }

    @Test
    void concurrentSendersNeverInterleaveFrames() throws Exception {
        Gateway gw = gateways.popen();
        List<Channel> channels = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            channels.add(gw.remoteExec("""
                    import hashlib
                    for item in channel:
                        channel.send(hashlib.sha256(item).hexdigest())
                    """));
        }
        List<Future<List<String>>> senders = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(channels.size());
        try {
            for (Channel ch : channels) {
                senders.add(pool.submit(() -> {
                    List<String> digests = new ArrayList<>();
                    for (int k = 0; k < 15; k++) {
                        byte[] item = new byte[1 << 20];
                        Arrays.fill(item, (byte) (ch.id() * 31 + k));
                        ch.send(item);
                        digests.add(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(item)));
                    }
                    return digests;
                }));
            }
            for (int i = 0; i < channels.size(); i++) {
                for (String expected : senders.get(i).get(60, TimeUnit.SECONDS)) {
                    assertEquals(expected, channels.get(i).receive(TIMEOUT), "item on " + channels.get(i));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void receiveTimesOutWithChannelTimeoutException() {
        Channel ch = gateways.popen().remoteExec("channel.receive()");
        long start = System.nanoTime();
        ChannelTimeoutException e = assertThrows(ChannelTimeoutException.class, () -> ch.receive(Duration.ofMillis(200)));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(190));
        assertTrue(e.getMessage().contains("no item"), e.getMessage());
        ch.send(1);
        ch.waitClose(TIMEOUT);
    }

    @Test
    void remoteExceptionsSurfaceAsRemoteErrorWithTheTraceback() {
        Gateway gw = gateways.popen();
        Channel ch = gw.remoteExec("""
                def inner():
                    raise ValueError("bad value 42")
                channel.send('before')
                inner()
                """);
        assertEquals("before", ch.receive(TIMEOUT));
        RemoteError e = assertThrows(RemoteError.class, () -> ch.receive(TIMEOUT));
        assertTrue(e.formatted().startsWith("Traceback (most recent call last):"), e.formatted());
        assertTrue(e.formatted().contains("in inner"), e.formatted());
        assertTrue(e.formatted().contains("ValueError: bad value 42"), e.formatted());
        assertThrows(ChannelClosedException.class, () -> ch.receive(TIMEOUT), "the error is raised once");

        Channel other = gw.remoteExec("raise KeyError('x')");
        RemoteError viaWait = assertThrows(RemoteError.class, () -> other.waitClose(TIMEOUT));
        assertTrue(viaWait.formatted().contains("KeyError: 'x'"), viaWait.formatted());
        assertTrue(other.isClosed());
        other.waitClose(TIMEOUT);
    }

    @Test
    void callbacksGetQueuedItemsFirstThenLiveOnesThenTheEndMarker() throws Exception {
        Gateway gw = gateways.popen();
        Channel ch = gw.remoteExec("""
                queued = channel.receive()
                channel.send(1)
                channel.send(2)
                queued.send('both sent')
                channel.receive()
                channel.send(3)
                """);
        Channel queued = gw.newChannel();
        ch.send(queued);
        assertEquals("both sent", queued.receive(TIMEOUT), "frames arrive in order: 1 and 2 are queued now");
        List<Object> got = new CopyOnWriteArrayList<>();
        CountDownLatch end = new CountDownLatch(1);
        ch.setCallback(item -> {
            got.add(item);
            if ("END".equals(item)) {
                end.countDown();
            }
        }, "END");
        assertEquals(List.of(1, 2), got, "the queued items went to the callback on this thread");
        assertThrows(IllegalStateException.class, () -> ch.receive(TIMEOUT));
        assertThrows(IllegalStateException.class, () -> ch.setCallback(x -> { }));
        ch.send("go");
        assertTrue(end.await(20, TimeUnit.SECONDS));
        assertEquals(List.of(1, 2, 3, "END"), got);
    }

    @Test
    void aFailingCallbackClosesTheChannelWithTheJavaTracebackOnBothSides() {
        Gateway gw = gateways.popen();
        Channel ch = gw.remoteExec("""
                channel.receive()
                channel.send(1)
                try:
                    channel.receive()
                except Exception as e:
                    pass
                """);
        Channel watcher = gw.remoteExec(ECHO);
        ch.setCallback(item -> {
            throw new IllegalStateException("callback refused " + item);
        });
        ch.send("go");
        RuntimeException e = assertThrows(RuntimeException.class, () -> ch.waitClose(TIMEOUT));
        assertTrue(e.getMessage().contains("callback refused 1"), e.getMessage());
        watcher.send("still alive");
        assertEquals("still alive", watcher.receive(TIMEOUT), "one channel's failure leaves the gateway working");
    }

    @Test
    void closeWithErrorRaisesOnTheRemote() {
        Channel ch = gateways.popen().remoteExec("""
                try:
                    channel.receive()
                except Exception as e:
                    channel.gateway._errors = repr(e)
                """);
        Channel probe = ch.gateway().remoteExec("channel.send(1)");
        assertEquals(1, probe.receive(TIMEOUT));
        ch.close("host-side-error");
        assertTrue(ch.isClosed());
        assertThrows(ChannelClosedException.class, () -> ch.send(1));
        ch.close();
        Channel check = ch.gateway().remoteExec("""
                import time
                for _ in range(200):
                    if getattr(channel.gateway, '_errors', None):
                        break
                    time.sleep(0.01)
                channel.send(channel.gateway._errors)
                """);
        String seen = (String) check.receive(TIMEOUT);
        assertTrue(seen.contains("host-side-error"), seen);
    }

    @Test
    void iterationEndsWhenTheRemoteCloses() {
        Channel ch = gateways.popen().remoteExec("""
                for i in range(5):
                    channel.send(i)
                """);
        List<Object> items = new ArrayList<>();
        ch.forEach(items::add);
        assertEquals(List.of(0, 1, 2, 3, 4), items);
        assertTrue(ch.isClosed());
        assertThrows(ChannelClosedException.class, () -> ch.receive(TIMEOUT));
    }

    @Test
    void streamsCarryBytesBothWays() throws Exception {
        Channel ch = gateways.popen().remoteExec("""
                f = channel.makefile('r')
                data = f.read(10)
                out = channel.makefile('w')
                out.write(data.upper())
                out.write(b'line1\\nli')
                out.write(b'ne2\\nrest')
                """);
        try (OutputStream out = ch.outputStream(false)) {
            out.write("hello".getBytes(StandardCharsets.US_ASCII));
            out.write("world".getBytes(StandardCharsets.US_ASCII));
        }
        assertFalse(ch.isClosed(), "proxyClose=false leaves the channel open");
        InputStream in = ch.inputStream(true);
        assertArrayEquals("HELLOWORLD".getBytes(StandardCharsets.US_ASCII), in.readNBytes(10));
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
        assertEquals("line1", lines.readLine());
        assertEquals("line2", lines.readLine());
        assertEquals("rest", lines.readLine());
        assertNull(lines.readLine());
        lines.close();
        assertTrue(ch.isClosed());
    }

    @Test
    void channelsTravelInsideDataBothWays() {
        Gateway gw = gateways.popen();
        Channel ch = gw.remoteExec("""
                sub = channel.receive()
                sub.send('via-sub')
                mine = channel.gateway.newchannel()
                channel.send(mine)
                mine.send('from-remote-channel')
                mine.send(mine.receive() * 2)
                """);
        Channel sub = gw.newChannel();
        assertEquals(1, sub.id() % 2, "host ids are odd");
        ch.send(sub);
        assertEquals("via-sub", sub.receive(TIMEOUT));
        Channel mine = (Channel) ch.receive(TIMEOUT);
        assertEquals(0, mine.id() % 2, "remote ids are even");
        assertEquals("from-remote-channel", mine.receive(TIMEOUT));
        mine.send(21);
        assertEquals(42, mine.receive(TIMEOUT));
        ch.waitClose(TIMEOUT);
    }

    @Test
    void unsendableValuesFailOnTheCallersThreadNamingTheType() {
        Channel ch = gateways.popen().remoteExec(ECHO);
        DumpException e = assertThrows(DumpException.class, () -> ch.send(List.of(1, Map.of("k", new Object()))));
        assertTrue(e.getMessage().contains("java.lang.Object") && e.getMessage().contains("$[1][\"k\"]"), e.getMessage());
        Channel other = gateways.popen().newChannel();
        assertThrows(DumpException.class, () -> ch.send(other), "a channel of another gateway");
        ch.send("fine");
        assertEquals("fine", ch.receive(TIMEOUT), "nothing was sent by the failed calls");
    }

    @Test
    void functionSourcesAreCalledWithKeywordArguments() {
        Gateway gw = gateways.popen();
        Channel ch = gw.remoteExec(PythonSource.function("""
                def multiply(channel, factor, offset=0):
                    for x in channel:
                        channel.send(x * factor + offset)
                """, "multiply"), Map.of("factor", 3, "offset", 1));
        ch.send(5);
        assertEquals(16, ch.receive(TIMEOUT));
        ch.close();
        assertThrows(IllegalArgumentException.class, () -> gw.remoteExec(PythonSource.code("pass"), Map.of("a", 1)));
    }

    @Test
    void modulesFromFilesAndResourcesKeepTheirNameInTracebacks(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = dir.resolve("remote_mod.py");
        java.nio.file.Files.writeString(file, """
                if __name__ == '__channelexec__':
                    channel.send(__name__)
                    raise RuntimeError('from module')
                """);
        Channel ch = gateways.popen().remoteExec(PythonSource.module(file), Map.of());
        assertEquals("__channelexec__", ch.receive(TIMEOUT));
        RemoteError e = assertThrows(RemoteError.class, () -> ch.receive(TIMEOUT));
        assertTrue(e.formatted().contains(file.toString()), e.formatted());
        Channel res = gateways.popen().remoteExec(PythonSource.resource(ChannelTest.class, "hello_module.py"), Map.of());
        assertEquals("hello from a resource", res.receive(TIMEOUT));
    }

    @Test
    void reconfigureChangesHowTheRemoteDecodesStrings() {
        Gateway gw = gateways.popen();
        Channel ch = gw.remoteExec("channel.send(channel.receive())");
        ch.reconfigure(true, true);
        ch.send("as bytes remotely");
        assertArrayEquals("as bytes remotely".getBytes(StandardCharsets.UTF_8), (byte[]) ch.receive(TIMEOUT),
                "with py3str_as_py2str the remote decodes str as bytes and echoes bytes");
        Channel plain = gw.remoteExec("channel.send(channel.receive())");
        plain.send("text");
        assertEquals("text", plain.receive(TIMEOUT));
    }
}
