package org.execnet4j.core;

import static org.execnet4j.core.Gateways.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.execnet4j.api.Channel;
import org.execnet4j.api.Gateway;
import org.execnet4j.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What remote code prints reaches the host's RemoteOutput and never the protocol stream. */
class RemoteOutputTest {
    private static final int MAX_LINE = 1000;

    private final List<String> lines = new CopyOnWriteArrayList<>();

    @RegisterExtension
    final Gateways gateways = new Gateways(EngineSettings.builder().maxOutputLine(MAX_LINE)
            .remoteOutput((id, line) -> {
                if (line.equals("boom")) {
                    throw new OutOfMemoryError("a sink that fails on one line");
                }
                lines.add(id + ": " + line);
            }).build());

    @Test
    void printsAndJunkOnStdoutDoNotDisturbChannels() {
        Gateway gw = gateways.popen();
        Channel ch = gw.remoteExec("""
                import os, sys
                for i in range(200):
                    print('line', i)
                    os.write(1, bytes(range(256)) + b'\\n')
                    sys.stderr.write('err %d\\n' % i)
                    channel.send(bytes([i]) * 1000)
                print('the end', flush=True)
                channel.send(input.__name__)
                """);
        for (int i = 0; i < 200; i++) {
            byte[] expected = new byte[1000];
            java.util.Arrays.fill(expected, (byte) i);
            assertArrayEquals(expected, (byte[]) ch.receive(TIMEOUT));
        }
        assertEquals("input", ch.receive(TIMEOUT));
        ch.waitClose(TIMEOUT);
        Await.await("the last remote line", () -> lines.contains(gw.id() + ": the end"), TIMEOUT);
        assertTrue(lines.contains(gw.id() + ": line 199"), "stdout lines reach the host");
        assertTrue(lines.contains(gw.id() + ": err 199"), "stderr lines reach the host");
        assertTrue(lines.contains(gw.id() + ": the end"));
    }

    @Test
    void outputWithoutNewlinesArrivesInBoundedPieces() throws Exception {
        Gateway gw = gateways.popen();
        Channel ch = gw.remoteExec("""
                import sys
                sys.stdout.write('\u00e9' * 2_000_000)
                sys.stdout.flush()
                channel.send('written')
                channel.receive()
                """);
        assertEquals("written", ch.receive(TIMEOUT));
        String prefix = gw.id() + ": ";
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (received(prefix) < 2_000_000 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        ch.send(null);
        assertEquals(2_000_000, received(prefix), "every character arrives, none cut in half");
        for (String line : lines) {
            assertTrue(line.length() - prefix.length() <= MAX_LINE / 2, "a piece of " + line.length() + " characters");
        }
    }

    private long received(String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix))
                .mapToLong(l -> l.substring(prefix.length()).chars().filter(c -> c == '\u00e9').count()).sum();
    }

    @Test
    void aSinkThatFailsWithAnErrorLosesOneLineAndTheRemoteGoesOn() throws Exception {
        Gateway gw = gateways.popen();
        Channel ch = gw.remoteExec("""
                import sys, time
                print('boom', flush=True)
                time.sleep(0.5)
                for i in range(100):
                    print('after', i, flush=True)
                channel.send('printed')
                """);
        assertEquals("printed", ch.receive(TIMEOUT), "printing after the failed line works");
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!lines.contains(gw.id() + ": after 99") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(lines.contains(gw.id() + ": after 99"), "lines after the failed one arrive");
    }

    @Test
    void inputSeesAnEmptyStdin() {
        Channel ch = gateways.popen().remoteExec("""
                import sys
                channel.send(sys.stdin.read())
                """);
        assertEquals("", ch.receive(TIMEOUT));
    }
}
