package org.execnet4j.core.internal;

/**
 * The frame types by their wire codes: execnet's eight (protocol.md §1.3) and execnet4j's
 * CHANNEL_CREDIT (8, flow control; sent only when the host's bootstrap config enables it).
 */
enum MessageType {
    STATUS,
    RECONFIGURE,
    GATEWAY_TERMINATE,
    CHANNEL_EXEC,
    CHANNEL_DATA,
    CHANNEL_CLOSE,
    CHANNEL_CLOSE_ERROR,
    CHANNEL_LAST_MESSAGE,
    CHANNEL_CREDIT;

    private static final MessageType[] BY_CODE = values();

    /** The type for a wire code, or {@code null} for anything outside 0..8. */
    static MessageType of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    byte code() {
        return (byte) ordinal();
    }
}
