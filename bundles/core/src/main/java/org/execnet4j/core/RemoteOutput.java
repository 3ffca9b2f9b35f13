package org.execnet4j.core;

import org.execnet4j.core.internal.Slf4jRemoteOutput;

/**
 * Where the text a remote interpreter prints goes, line by line. The default logs each line to
 * the SLF4J logger {@code org.execnet4j.remote.<gateway id>}, or to this JVM's stderr when no
 * SLF4J provider is bound, so output is never lost silently.
 */
@FunctionalInterface
public interface RemoteOutput {

    /** The default sink described above. */
    RemoteOutput DEFAULT = new Slf4jRemoteOutput();

    /** Called on the gateway's output thread for every line, without the line ending. */
    void line(String gatewayId, String line);
}
