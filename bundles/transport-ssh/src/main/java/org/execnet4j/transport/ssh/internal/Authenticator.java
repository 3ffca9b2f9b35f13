package org.execnet4j.transport.ssh.internal;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.execnet4j.transport.ssh.SshTransportException;
import org.execnet4j.transport.ssh.SshTransportException.Stage;
import org.execnet4j.transport.ssh.SshTransportOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a connected session in: offers the endpoint's key files (with passphrases from the
 * options), the ssh-agent's keys and the configured password, and when the server refuses them
 * all says exactly what was tried.
 */
final class Authenticator {
    private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);

    private final SshTransportOptions options;

    Authenticator(SshTransportOptions options) {
        this.options = options;
    }

    /** The ssh-agent socket to use for this endpoint, if any (none with IdentitiesOnly). */
    Optional<Path> agentSocket(Endpoint endpoint) {
        return endpoint.identitiesOnly() ? Optional.empty() : options.agentSocket().filter(Files::exists);
    }

    /**
     * Offers every credential and waits for the server's verdict.
     *
     * @throws SshTransportException with {@link Stage#AUTHENTICATION} when the server refused them
     *     all, naming what was tried; with {@link Stage#CONNECT} when the connection broke first
     */
    void authenticate(ClientSession session, Endpoint endpoint) throws SshTransportException {
        List<String> tried = new ArrayList<>();
        addKeys(session, endpoint, tried);
        agentSocket(endpoint).ifPresent(socket -> tried.add("keys of the ssh-agent at " + socket));
        options.password().ifPresent(pw -> {
            session.addPasswordIdentity(pw);
            tried.add("the given password");
        });
        try {
            session.auth().verify(options.authTimeout());
        } catch (java.io.IOException | RuntimeException e) {
            if (!refusedCredentials(e)) {
                throw new SshTransportException(Stage.CONNECT, "ssh " + endpoint.describe()
                        + ": the connection failed during authentication: " + Failures.reason(e), e);
            }
            throw new SshTransportException(Stage.AUTHENTICATION, "ssh " + endpoint.describe() + ": authentication failed ("
                    + Failures.reason(e) + "); tried "
                    + (tried.isEmpty() ? "nothing: no key file exists, no ssh-agent, no password given" : String.join(", ", tried)),
                    e);
        }
    }

    /** Whether the server ended the login because it accepts none of what we offered. */
    private static boolean refusedCredentials(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SshException ssh
                    && ssh.getDisconnectCode() == SshConstants.SSH2_DISCONNECT_NO_MORE_AUTH_METHODS_AVAILABLE) {
                return true;
            }
        }
        return false;
    }

    private void addKeys(ClientSession session, Endpoint endpoint, List<String> tried) {
        Set<Path> seen = new LinkedHashSet<>();
        Path sshDir = options.sshDirectory().toAbsolutePath().normalize();
        for (Path file : endpoint.identities()) {
            Path abs = file.toAbsolutePath().normalize();
            if (!seen.add(abs)) {
                continue;
            }
            if (!Files.isRegularFile(abs)) {
                boolean isDefault = sshDir.equals(abs.getParent())
                        && SshTransportOptions.DEFAULT_IDENTITY_FILES.contains(abs.getFileName().toString());
                if (!isDefault) {
                    LOG.warn("ssh {}: key file {} does not exist", endpoint.describe(), abs);
                    tried.add(abs + " (does not exist)");
                }
                continue;
            }
            addKeyFile(session, endpoint, abs, tried);
        }
    }

    private void addKeyFile(ClientSession session, Endpoint endpoint, Path file, List<String> tried) {
        FilePasswordProvider passwords = new FilePasswordProvider() {
            @Override
            public String getPassword(SessionContext s, NamedResource resource, int retryIndex) {
                return options.passphrases().passphrase(file).orElse(null);
            }
        };
        try (InputStream in = Files.newInputStream(file)) {
            Iterable<KeyPair> keys = SecurityUtils.loadKeyPairIdentities(session, NamedResource.ofName(file.toString()), in,
                    passwords);
            if (keys == null) {
                tried.add(file + " (no key found in it)");
                return;
            }
            for (KeyPair kp : keys) {
                session.addPublicKeyIdentity(kp);
                tried.add(file + " (" + KeyUtils.getKeyType(kp.getPublic()) + " "
                        + KeyUtils.getFingerPrint(BuiltinDigests.sha256, kp.getPublic()) + ")");
            }
        } catch (Exception e) {
            String why = options.passphrases().passphrase(file).isEmpty() ? "encrypted and no passphrase was given, or unreadable"
                    : "wrong passphrase or unreadable";
            LOG.warn("ssh {}: skipping key {}: {} ({})", endpoint.describe(), file, why, Failures.reason(e));
            tried.add(file + " (skipped: " + why + ")");
        }
    }
}
