package org.execnet4j.transport.ssh;

/** How the ssh transport treats a server's host key that {@code known_hosts} does not confirm. */
public enum HostKeyChecking {
    /** Only keys listed in known_hosts (or pinned) are accepted; an unknown or changed key fails. */
    STRICT,
    /**
     * Trust on first use: an unknown host's key is accepted and appended to known_hosts; a changed
     * key still fails (OpenSSH's {@code StrictHostKeyChecking=accept-new}).
     */
    ACCEPT_NEW,
    /** No checking at all; every connection logs a warning. Only for throw-away test machines. */
    OFF;

    /**
     * Parses an OpenSSH {@code StrictHostKeyChecking} value: {@code yes} is {@link #STRICT},
     * {@code accept-new} is {@link #ACCEPT_NEW}, {@code no}/{@code off} is {@link #OFF}.
     *
     * @param value the option's value
     * @return the checking, or {@code null} for a value OpenSSH does not know
     */
    public static HostKeyChecking fromOpenSsh(String value) {
        return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "yes", "true", "ask" -> STRICT;
            case "accept-new" -> ACCEPT_NEW;
            case "no", "off", "false" -> OFF;
            default -> null;
        };
    }
}
