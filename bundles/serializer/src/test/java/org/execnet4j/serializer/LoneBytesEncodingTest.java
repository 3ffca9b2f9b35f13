package org.execnet4j.serializer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;

import org.junit.jupiter.api.Test;

/** A lone bytes item, as bulk transfers send it, encodes to BYTES, its length, its bytes and STOP after the headroom. */
class LoneBytesEncodingTest {

    @Test
    void aLoneBytesItemEncodesAfterItsHeadroom() {
        for (int size : List.of(0, 1, 300_000)) {
            byte[] item = new byte[size];
            for (int i = 0; i < size; i++) {
                item[i] = (byte) (i * 31);
            }
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            expected.writeBytes(new byte[9]);
            expected.write('A');
            expected.writeBytes(ByteBuffer.allocate(4).putInt(size).array());
            expected.writeBytes(item);
            expected.write('Q');
            assertArrayEquals(expected.toByteArray(), WireFormat.encode(item, null, 9), "size " + size);
        }
    }
}
