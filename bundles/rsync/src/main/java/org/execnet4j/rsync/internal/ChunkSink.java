package org.execnet4j.rsync.internal;

import java.io.IOException;

/** Takes file content chunk by chunk; the array may be reused once the call returns. */
interface ChunkSink {
    /**
     * Takes {@code len} bytes of {@code buf} from {@code off}.
     *
     * @throws IOException when they cannot be written or sent
     */
    void accept(byte[] buf, int off, int len) throws IOException;
}
