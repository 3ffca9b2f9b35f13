package org.execnet4j.transport.ssh.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.execnet4j.transport.ssh.HostKeyChecking;
import org.execnet4j.transport.ssh.HostKeyVerifier;
import org.execnet4j.transport.ssh.SshTransportOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides about one server's host key, for one connection attempt: pinned fingerprints first,
 * then known_hosts with the endpoint's {@link HostKeyChecking}. Remembers why it refused, so the
 * connection error can say so (MINA only reports "Server key did not validate"). A
 * {@link HostKeyVerifier} in the options replaces all of that with the user's own policy.
 */
final class HostKeyCheck {
    private static final Logger LOG = LoggerFactory.getLogger(HostKeyCheck.class);
    /** Lines appended to known_hosts are serialised within this JVM. */
    private static final Object APPEND_LOCK = new Object();

    private final Endpoint endpoint;
    private final Set<String> pins;
    private final Optional<HostKeyVerifier> verifier;
    private volatile String problem;
    private volatile boolean accepted;

    HostKeyCheck(Endpoint endpoint, SshTransportOptions options) {
        this.endpoint = endpoint;
        this.verifier = options.hostKeyVerifier();
        Map<String, Set<String>> pinnedHostKeys = options.pinnedHostKeys();
        String name = endpoint.knownHostsName().toLowerCase(Locale.ROOT);
        Set<String> p = pinnedHostKeys.get(name);
        if (p == null) {
            p = pinnedHostKeys.get(endpoint.alias().toLowerCase(Locale.ROOT));
        }
        this.pins = p;
    }

    /** Why the key was refused, or null if it was not (or not yet checked). */
    String problem() {
        return problem;
    }

    static String fingerprint(PublicKey key) {
        return KeyUtils.getFingerPrint(BuiltinDigests.sha256, key);
    }

    /** Whether the server's key was checked and accepted. */
    boolean accepted() {
        return accepted;
    }

    /** MINA's verification callback. */
    final boolean verify(ClientSession session, PublicKey key) {
        boolean ok = decide(session, key);
        accepted = ok;
        return ok;
    }

    private boolean decide(ClientSession session, PublicKey key) {
        String fp = fingerprint(key);
        String type = KeyUtils.getKeyType(key);
        String host = endpoint.knownHostsName();
        if (verifier.isPresent()) {
            return verifier.get().verify(host, key) ? true
                    : refuse("host key verification failed for " + host + ": the configured host-key verifier refused its "
                            + type + " key " + fp);
        }
        if (pins != null) {
            if (pins.contains(fp)) {
                LOG.debug("ssh {}: host key {} {} is pinned", host, type, fp);
                return true;
            }
            return refuse("host key verification failed for " + host + ": its " + type + " key " + fp
                    + " is not one of the pinned fingerprints " + pins);
        }
        if (endpoint.hostKeyChecking() == HostKeyChecking.OFF) {
            LOG.warn("ssh {}: host-key checking is OFF, accepting {} key {} unverified (anyone on the network path "
                    + "can impersonate this host)", host, type, fp);
            return true;
        }
        Path file = endpoint.knownHostsFile();
        List<PublicKey> known = new ArrayList<>();
        try {
            for (KnownHostEntry entry : readEntries(file)) {
                if (!entry.isHostMatch(endpoint.hostName(), endpoint.port())) {
                    continue;
                }
                PublicKey k = entry.getKeyEntry() == null ? null
                        : entry.getKeyEntry().resolvePublicKey(session, Map.of(), PublicKeyEntryResolver.IGNORING);
                if (k == null) {
                    continue;
                }
                String marker = entry.getMarker();
                if ("revoked".equalsIgnoreCase(marker) && KeyUtils.compareKeys(k, key)) {
                    return refuse("host key verification failed for " + host + ": its " + type + " key " + fp
                            + " is marked @revoked in " + file);
                }
                if (marker == null || marker.isEmpty()) {
                    known.add(k);
                }
            }
        } catch (IOException | java.security.GeneralSecurityException | RuntimeException e) {
            return refuse("host key verification failed for " + host + ": cannot read " + file + ": " + e);
        }
        for (PublicKey k : known) {
            if (KeyUtils.compareKeys(k, key)) {
                LOG.debug("ssh {}: host key {} {} matches {}", host, type, fp, file);
                return true;
            }
        }
        if (!known.isEmpty()) {
            return acceptChangedKey(host, type, fp, known, file);
        }
        return acceptUnknownKey(host, key, type, fp, file);
    }

    /** A host known_hosts lists with other keys: refused (a possible man-in-the-middle). */
    private boolean acceptChangedKey(String host, String type, String fp, List<PublicKey> known, Path file) {
        StringBuilder knownFps = new StringBuilder();
        for (PublicKey k : known) {
            knownFps.append(knownFps.length() == 0 ? "" : ", ").append(KeyUtils.getKeyType(k)).append(' ').append(fingerprint(k));
        }
        return refuse("host key verification failed for " + host + ": the HOST KEY HAS CHANGED (possible man-in-the-middle "
                + "attack): the server offered " + type + " key " + fp + " but " + file + " lists " + knownFps
                + "; if the change is expected, remove the old line from " + file);
    }

    /** A host known_hosts does not list: accepted and recorded with accept-new, refused when strict. */
    private boolean acceptUnknownKey(String host, PublicKey key, String type, String fp, Path file) {
        if (endpoint.hostKeyChecking() != HostKeyChecking.ACCEPT_NEW) {
            return refuse("host key verification failed for " + host + ": the host is not in " + file + "; it offered "
                    + type + " key " + fp + ". Check that fingerprint and add the key to known_hosts (ssh-keyscan), "
                    + "pin it, or allow trust on first use with StrictHostKeyChecking=accept-new");
        }
        try {
            appendKnownHost(file, host + " " + PublicKeyEntry.toString(key));
        } catch (IOException | RuntimeException e) {
            LOG.warn("ssh {}: accepted new {} key {} but cannot record it in {}: {}", host, type, fp, file, e.toString());
            return true;
        }
        LOG.info("ssh {}: accepted new {} host key {} and added it to {}", host, type, fp, file);
        return true;
    }

    private boolean refuse(String why) {
        problem = why;
        LOG.debug("ssh: {}", why);
        return false;
    }

    private static List<KnownHostEntry> readEntries(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<KnownHostEntry> entries = KnownHostEntry.readKnownHostEntries(file);
        return entries == null ? List.of() : entries;
    }

    private static void appendKnownHost(Path file, String line) throws IOException {
        synchronized (APPEND_LOCK) {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null && !Files.isDirectory(dir)) {
                Files.createDirectories(dir);
            }
            boolean created = !Files.exists(file);
            String prefix = "";
            if (!created && Files.size(file) > 0) {
                byte[] all = Files.readAllBytes(file);
                if (all[all.length - 1] != '\n') {
                    prefix = "\n";
                }
            }
            Files.writeString(file, prefix + line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            if (created) {
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system
                }
            }
        }
    }
}
