package org.execnet4j.transport.popen.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.execnet4j.api.spi.AwaitableInput;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A polled socket input (a forked gateway's stderr) is waited on, not slept on: a wait ends when
 * bytes arrive, when the peer ends the stream, when it is woken (also just before) and when the
 * stream is closed, each long before the wait's timeout.
 */
class PolledInputTest {
    /** Far longer than any test may take: a wait that runs into it fails the test. */
    private static final Duration FOREVER = Duration.ofHours(1);
    private static final Duration BOUND = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private ServerSocketChannel server;
    private SocketChannel peer;
    private InputStream input;
    private AwaitableInput awaitable;

    @BeforeEach
    void connect() throws Exception {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("s"));
        server = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX).bind(address);
        SocketChannel ours = SocketChannel.open(address);
        peer = server.accept();
        input = ChannelStreams.polledInput(ours);
        awaitable = (AwaitableInput) input;
    }

    @AfterEach
    void close() throws Exception {
        input.close();
        peer.close();
        server.close();
    }

    /** Runs {@code action} on another thread a moment after the wait began. */
    private static void soon(ThrowingRunnable action) {
        CompletableFuture.runAsync(() -> {
            try {
                TimeUnit.MILLISECONDS.sleep(100);
                action.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, task -> new Thread(task, "test-soon").start());
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void aWaitEndsWhenBytesArrive() {
        assertEquals(0, assertTimeoutPreemptively(BOUND, () -> input.available()), "nothing yet, and no blocking");
        soon(() -> peer.write(ByteBuffer.wrap("line\n".getBytes())));
        assertTrue(assertTimeoutPreemptively(BOUND, () -> awaitable.await(FOREVER)));
        assertTrue(assertTimeoutPreemptively(BOUND, () -> input.available()) > 0);
        byte[] read = new byte[16];
        assertEquals("line\n", new String(read, 0, assertTimeoutPreemptively(BOUND, () -> input.read(read))));
    }

    @Test
    void aWaitEndsWithFalseOnceThePeerEndedAndAllWasRead() throws Exception {
        peer.write(ByteBuffer.wrap("last\n".getBytes()));
        soon(() -> peer.shutdownOutput());
        assertTrue(assertTimeoutPreemptively(BOUND, () -> awaitable.await(FOREVER)), "bytes are still there");
        assertEquals(5, input.read(new byte[16]));
        assertFalse(assertTimeoutPreemptively(BOUND, () -> awaitable.await(FOREVER)));
        assertEquals(-1, input.read(new byte[16]));
    }

    @Test
    void wakeEndsAWaitAndAWakeBeforeAWaitEndsThatWait() {
        soon(() -> awaitable.wake());
        assertTrue(assertTimeoutPreemptively(BOUND, () -> awaitable.await(FOREVER)), "woken while waiting");
        awaitable.wake();
        assertTrue(assertTimeoutPreemptively(BOUND, () -> awaitable.await(FOREVER)), "woken before the wait");
    }

    @Test
    void closingEndsAWaitWithFalse() {
        soon(() -> input.close());
        assertFalse(assertTimeoutPreemptively(BOUND, () -> awaitable.await(FOREVER)));
    }
}
