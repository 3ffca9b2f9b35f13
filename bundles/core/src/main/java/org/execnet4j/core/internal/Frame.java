package org.execnet4j.core.internal;

/** One received message: type, channel id and the payload bytes. */
record Frame(MessageType type, int channelId, byte[] payload) {

    @Override
    public String toString() {
        return "<Message " + type + " channel=" + channelId + " lendata=" + payload.length + ">";
    }
}
