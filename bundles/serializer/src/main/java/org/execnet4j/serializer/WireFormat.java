package org.execnet4j.serializer;

import org.execnet4j.serializer.internal.Decoder;
import org.execnet4j.serializer.internal.Encoder;

/**
 * The value encoding inside gateway frames: the opcodes without a version byte, with channel
 * references encoded and resolved by the gateway's {@link ChannelRefs}. For the engine.
 */
public final class WireFormat {
    private WireFormat() {
    }

    /**
     * Encodes a value after {@code headroom} unused leading bytes, so a caller can put a frame
     * header there and write header and payload as one buffer.
     *
     * @throws org.execnet4j.api.DumpException if some part of the value has no Python form
     */
    public static byte[] encode(Object value, ChannelRefs refs, int headroom) {
        return new Encoder(headroom, refs, Serializer.MAX_DUMP_DEPTH).encode(value);
    }

    /**
     * Decodes one value from {@code length} bytes at {@code offset}.
     *
     * @throws org.execnet4j.api.DataFormatException if the bytes are not a valid value
     */
    public static Object decode(byte[] data, int offset, int length, LoadOptions options, ChannelRefs refs) {
        return new Decoder(data, offset, length, options, refs).decode();
    }
}
