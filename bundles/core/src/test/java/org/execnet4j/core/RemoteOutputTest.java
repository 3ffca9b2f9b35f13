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
    private final List<String> lines = new CopyOnWriteArrayList<>();

    @RegisterExtension
    final Gateways gateways = new Gateways(EngineSettings.builder().remoteOutput((id, line) -> lines.add(id + ": " + line)).build());

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
    void inputSeesAnEmptyStdin() {
        Channel ch = gateways.popen().remoteExec("""
                import sys
                channel.send(sys.stdin.read())
                """);
        assertEquals("", ch.receive(TIMEOUT));
    }
}
