package org.execnet4j.transport.ssh.internal;

import java.nio.file.Path;
import java.util.List;

import org.execnet4j.transport.ssh.HostKeyChecking;

/**
 * One ssh server to log in to, fully resolved from the spec's arguments, the ssh config and the
 * transport's options.
 *
 * @param alias the host as the user named it
 * @param hostName the name or address connected to (and looked up in known_hosts)
 * @param jumps the hosts to tunnel through first, outermost first (ProxyJump)
 */
record Endpoint(String alias, String hostName, int port, String user, List<Path> identities, boolean identitiesOnly,
        HostKeyChecking hostKeyChecking, Path knownHostsFile, List<Endpoint> jumps) {

    /** {@code user@host:port}, and the jump hosts: what one shared connection is keyed by. */
    String key() {
        StringBuilder sb = new StringBuilder(user).append('@').append(hostName).append(':').append(port);
        for (Endpoint jump : jumps) {
            sb.append(" via ").append(jump.user).append('@').append(jump.hostName).append(':').append(jump.port);
        }
        return sb.toString();
    }

    /** The name known_hosts lists the host under: {@code host}, or {@code [host]:port} for a port other than 22. */
    String knownHostsName() {
        return port == 22 ? hostName : "[" + hostName + "]:" + port;
    }

    /** {@code user@host:port}, for messages. */
    String describe() {
        return user + "@" + hostName + ":" + port + (alias.equals(hostName) ? "" : " (" + alias + ")");
    }

    /** This endpoint reached through other jump hosts, outermost first. */
    Endpoint withJumps(List<Endpoint> newJumps) {
        return new Endpoint(alias, hostName, port, user, identities, identitiesOnly, hostKeyChecking, knownHostsFile,
                List.copyOf(newJumps));
    }

    /** This endpoint without its jump hosts (what the jump host's tunnel leads to). */
    Endpoint withoutJumps() {
        return withJumps(List.of());
    }

    /** The last jump host, itself reached through the jump hosts before it. */
    Endpoint lastJump() {
        return jumps.get(jumps.size() - 1).withJumps(jumps.subList(0, jumps.size() - 1));
    }
}
