package org.execnet4j.serializer;

/**
 * The hook through which a gateway lets the serializer encode and resolve channel references
 * (opcode {@code B}); without one, channel references are refused both ways.
 */
public interface ChannelRefs {

    /** Returned by {@link #idOf} for a value that is not a channel of this gateway. */
    int NOT_A_CHANNEL = -1;

    /**
     * Looks up the channel id to encode for a value about to be dumped.
     *
     * @param value any value met while encoding (not {@code null})
     * @return the id of the channel on this gateway that {@code value} is, or
     *     {@link #NOT_A_CHANNEL} if it is not such a channel
     */
    int idOf(Object value);

    /**
     * Resolves a channel id received from the peer.
     *
     * @param id the channel id as it came off the wire (non-negative)
     * @return the channel object for that id on this gateway, created if it is new
     */
    Object resolve(int id);
}
