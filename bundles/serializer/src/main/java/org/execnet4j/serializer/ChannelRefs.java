package org.execnet4j.serializer;

/**
 * The hook through which a gateway lets the serializer encode and resolve channel references
 * (opcode {@code B}); without one, channel references are refused both ways.
 */
public interface ChannelRefs {

    /** Returned by {@link #idOf} for a value that is not a channel of this gateway. */
    int NOT_A_CHANNEL = -1;

    /** The channel id to encode for {@code value}, or {@link #NOT_A_CHANNEL}. */
    int idOf(Object value);

    /** The channel object for an id received from the peer (created if it is new). */
    Object resolve(int id);
}
