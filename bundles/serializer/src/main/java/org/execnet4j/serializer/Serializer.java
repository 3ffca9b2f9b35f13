package org.execnet4j.serializer;

import org.execnet4j.api.DataFormatException;
import org.execnet4j.serializer.internal.Decoder;
import org.execnet4j.serializer.internal.Encoder;

/**
 * execnet's public {@code dumps}/{@code loads}: Java values to the dump form (a version byte,
 * then the value's opcodes) and back. Python values map to Java values as design.md describes
 * ({@code tuple}&#8594;{@link org.execnet4j.api.PyTuple}, {@code dict}&#8594;{@code LinkedHashMap}, ...).
 */
public final class Serializer {
    /** The deepest Java value {@code dumps} encodes before it suspects a cycle. */
    public static final int MAX_DUMP_DEPTH = LoadOptions.DEFAULT_MAX_DEPTH;

    private Serializer() {
    }

    /**
     * The value in execnet 2.x's dump form (version byte {@code 0x02}).
     *
     * @param value the value to dump: {@code null}, a boolean, number, string, {@code byte[]},
     *     list, tuple, dict, set or frozenset of such values
     * @return the version byte followed by the value's opcodes and {@code STOP}
     * @throws org.execnet4j.api.DumpException if some part of the value has no Python form, or
     *     it nests deeper than {@link #MAX_DUMP_DEPTH} (a cycle is suspected)
     */
    public static byte[] dumps(Object value) {
        return dumps(value, DumpFormat.V2);
    }

    /**
     * The value in the given dump form.
     *
     * @param value the value to dump, as for {@link #dumps(Object)}
     * @param format which version byte to write: {@link DumpFormat#V1} for execnet 1.x readers,
     *     {@link DumpFormat#V2} for 2.x
     * @return the version byte followed by the value's opcodes and {@code STOP}
     * @throws org.execnet4j.api.DumpException if some part of the value has no Python form, or
     *     it nests deeper than {@link #MAX_DUMP_DEPTH} (a cycle is suspected)
     */
    public static byte[] dumps(Object value, DumpFormat format) {
        byte[] bytes = new Encoder(1, null, MAX_DUMP_DEPTH).encode(value);
        bytes[0] = (byte) format.versionByte();
        return bytes;
    }

    /**
     * Loads a dump of execnet 1.x or 2.x with execnet's default flags ({@link LoadOptions#DEFAULTS}).
     *
     * @param data the dump, untrusted, as for {@link #loads(byte[], LoadOptions)}
     * @return the value
     * @throws DataFormatException if the bytes are not a valid dump or exceed the default bounds
     */
    public static Object loads(byte[] data) {
        return loads(data, LoadOptions.DEFAULTS);
    }

    /**
     * Loads a dump of execnet 1.x or 2.x (version byte {@code 0x01} or {@code 0x02}). The bytes
     * are untrusted: what the value holds on the heap is bounded by
     * {@link WireFormat#maxDecodedBytes(int)} of their length, and dicts or sets whose keys of
     * several types collide in their hash codes are refused (hash flooding).
     *
     * @param data the dump
     * @param options string coercion and bounds
     * @return the value
     * @throws DataFormatException if the bytes are not a valid dump or exceed those bounds;
     *     never another exception
     */
    public static Object loads(byte[] data, LoadOptions options) {
        Decoder decoder = new Decoder(data, 0, data.length, options, null);
        int version = decoder.readVersionByte();
        if (version != DumpFormat.V1.versionByte() && version != DumpFormat.V2.versionByte()) {
            throw new DataFormatException(String.format(
                    "wrong dump format version byte 0x%02x: execnet 1.x writes 0x01, 2.x writes 0x02", version));
        }
        return decoder.decode();
    }
}
