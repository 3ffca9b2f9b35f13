package org.execnet4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** A frame header alone does not make the reader allocate the length it declares: payloads grow as bytes arrive. */
class FrameReaderMemoryTest {
    private static final int MAX_PAYLOAD = 512 * 1024 * 1024;

    @Test
    void aHeaderDeclaring500MiBWithAFewBytesBehindItAllocatesLittle() {
        byte[] bytes = ByteBuffer.allocate(9 + 1000).put((byte) 4).putInt(1).putInt(500 * 1024 * 1024).array();
        FrameReader reader = new FrameReader(new ByteArrayInputStream(bytes), MAX_PAYLOAD);
        long before = allocatedBytes();
        EOFException e = assertThrows(EOFException.class, reader::read);
        long allocated = allocatedBytes() - before;
        assertTrue(e.getMessage().contains("1000 of 524288000 bytes"), e.getMessage());
        assertTrue(allocated < 4 * 1024 * 1024, "allocated " + allocated + " bytes for 1009 received");
    }

    @Test
    void aPayloadArrivingInSmallPiecesIsReadWhole() throws IOException {
        byte[] payload = new byte[3 * FrameReader.FIRST_PIECE + 123];
        new Random(7).nextBytes(payload);
        byte[] header = ByteBuffer.allocate(9).put((byte) 4).putInt(3).putInt(payload.length).array();
        InputStream trickle = new SequenceInputStream(new ByteArrayInputStream(header), new ByteArrayInputStream(payload)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1000));
            }
        };
        Frame frame = new FrameReader(trickle, MAX_PAYLOAD).read();
        assertArrayEquals(payload, frame.payload());
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
