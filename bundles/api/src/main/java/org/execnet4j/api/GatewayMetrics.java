package org.execnet4j.api;

/**
 * What one gateway has carried so far, as the host sees it: an immutable snapshot taken by
 * {@link Gateway#metrics()}. Bytes and messages count whole frames (the 9-byte header included);
 * the bootstrap line and the handshake byte, sent before framing starts, are not counted.
 *
 * @param bytesSent frame bytes the host wrote to the remote
 * @param bytesReceived frame bytes the host read from the remote (an oversized item that was
 *     skipped counts with its full length)
 * @param messagesSent frames the host wrote
 * @param messagesReceived frames the host read
 * @param openChannels channels live now (the gateway's own ones for {@code remoteExec},
 *     {@code remoteStatus} and {@code remoteInfo} included); 0 once the gateway has ended
 * @param channelsOpened channels opened since the gateway started, by either side
 */
public record GatewayMetrics(long bytesSent, long bytesReceived, long messagesSent, long messagesReceived,
        int openChannels, long channelsOpened) {
}
