package org.execnet4j.core.internal;

/** The eight frame types of execnet's protocol, by their wire codes (protocol.md §1.3). */
enum MessageType {
    STATUS,
    RECONFIGURE,
    GATEWAY_TERMINATE,
    CHANNEL_EXEC,
    CHANNEL_DATA,
    CHANNEL_CLOSE,
    CHANNEL_CLOSE_ERROR,
    CHANNEL_LAST_MESSAGE;

    private static final MessageType[] BY_CODE = values();

    /** The type for a wire code, or {@code null} for anything outside 0..7. */
    static MessageType of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    byte code() {
        return (byte) ordinal();
    }
}
