package org.execnet4j.transport.ssh;

import java.security.PublicKey;

/**
 * A host-key policy of the user's, consulted instead of known_hosts and pinned fingerprints when
 * set with {@link SshTransportOptions.Builder#hostKeyVerifier(HostKeyVerifier)}: for instance keys
 * kept in a database, or a CA. It is called on an ssh I/O thread and must not block for long.
 */
@FunctionalInterface
public interface HostKeyVerifier {
    /**
     * Decides whether to trust the key a server offered.
     *
     * @param host the host as known_hosts names it: {@code host}, or {@code [host]:port} for a port other than 22
     * @param key the server's public host key
     * @return {@code true} to trust it; {@code false} fails the connection with
     *     {@link SshTransportException.Stage#HOST_KEY}
     */
    boolean verify(String host, PublicKey key);
}
