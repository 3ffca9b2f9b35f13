package org.execnet4j.core.internal;

/**
 * One received message: type, channel id and the payload bytes; or, for an item larger than the
 * limit, its declared length and no payload (the reader skipped it).
 */
record Frame(MessageType type, int channelId, byte[] payload, int skippedLength) {

    Frame(MessageType type, int channelId, byte[] payload) {
        this(type, channelId, payload, 0);
    }

    /** A CHANNEL_DATA frame whose payload of {@code length} bytes exceeded the limit and was skipped. */
    static Frame skipped(MessageType type, int channelId, int length) {
        return new Frame(type, channelId, null, length);
    }

    /** Whether the reader skipped this frame's oversized payload. */
    boolean isSkipped() {
        return payload == null;
    }

    @Override
    public String toString() {
        return "<Message " + type + " channel=" + channelId + " lendata="
                + (payload == null ? skippedLength + " (skipped: over the item limit)" : payload.length) + ">";
    }
}
