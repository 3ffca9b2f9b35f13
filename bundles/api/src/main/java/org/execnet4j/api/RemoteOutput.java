package org.execnet4j.api;

/**
 * Where the text a remote interpreter prints goes, line by line: what remote code writes to
 * stderr, and to stdout (the agent sends stdout there too, so it cannot corrupt the protocol).
 * The engine's default logs each line to the SLF4J logger {@code org.execnet4j.remote.<gateway id>},
 * or to this JVM's stderr when no SLF4J provider is bound, so output is never lost silently.
 */
@FunctionalInterface
public interface RemoteOutput {

    /**
     * Called on the gateway's output thread for every line.
     *
     * @param gatewayId the gateway's id, e.g. {@code gw0}
     * @param line the line, without its ending
     */
    void line(String gatewayId, String line);
}
