package org.execnet4j.core;

import static org.execnet4j.core.Gateways.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

import org.execnet4j.api.Gateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A fake remote that answers the handshake, sends one frame header declaring 500 MiB and then
 * nothing: the receiver waits for the payload holding memory for the bytes received, not for the
 * length declared.
 */
class HeaderOnlyRemoteTest {
    private static final String FAKE_REMOTE = Gateways.python() + " -c \"import struct, sys, time; "
            + "sys.stdin.readline(); "
            + "sys.stdout.buffer.write(b'1' + struct.pack('!bii', 4, 1, 500 * 1024 * 1024) + b'x' * 1000); "
            + "sys.stdout.flush(); time.sleep(60)\"";

    @RegisterExtension
    final Gateways gateways = new Gateways();

    @Test
    void aHeaderAlonePinsNoMemory() throws Exception {
        Gateway gw = gateways.start("popen//python=" + FAKE_REMOTE);
        Thread receiver = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("execnet4j-" + gw.id() + "-receiver")).findFirst().orElseThrow();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!blockedReadingAFrame(receiver.getStackTrace())) {
            assertTrue(System.nanoTime() < deadline && receiver.isAlive(), "the receiver never waited for the payload");
            Thread.sleep(10);
        }
        Thread.sleep(300);
        long allocated = ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(receiver.getId());
        assertTrue(gw.isAlive(), "the gateway still waits for the payload");
        assertTrue(allocated < 16 * 1024 * 1024, "the receiver allocated " + allocated + " bytes");
    }

    /** Whether the thread waits for bytes inside the frame reader (the header arrived with the handshake). */
    private static boolean blockedReadingAFrame(StackTraceElement[] stack) {
        return stack.length > 0 && stack[0].getMethodName().equals("readBytes")
                && Arrays.stream(stack).anyMatch(f -> f.getClassName().endsWith(".FrameReader") && f.getMethodName().equals("read"));
    }
}
