package org.execnet4j.transport.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.execnet4j.api.Spec;
import org.execnet4j.transport.ssh.internal.KeyExchanges;

/**
 * What the ssh transport may use and how strict it is: where known_hosts, the ssh config and the
 * default keys live, host-key checking, credentials and timeouts. Immutable; build one with
 * {@link #builder()}. Every default is a named constant here, and {@link #DEFAULTS} is what the
 * transport found through {@link java.util.ServiceLoader} uses: strict host-key checking against
 * {@code ~/.ssh/known_hosts}, keys and ssh-agent, no password, never a prompt.
 */
public final class SshTransportOptions {
    /** How long the TCP connection and the key exchange's start may take. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** How long the key exchange and authentication may take once connected. */
    public static final Duration DEFAULT_AUTH_TIMEOUT = Duration.ofSeconds(15);
    /** How long opening a session channel (one per gateway) may take. */
    public static final Duration DEFAULT_CHANNEL_OPEN_TIMEOUT = Duration.ofSeconds(10);
    /** How often a keepalive request goes to the server; {@link Duration#ZERO} turns keepalives off. */
    public static final Duration DEFAULT_KEEPALIVE_INTERVAL = Duration.ofSeconds(5);
    /** How many keepalives may go unanswered before the connection counts as dead. */
    public static final int DEFAULT_KEEPALIVE_MAX_MISSED = 3;
    /** The interpreter run on the remote when the spec has no {@code python=}. */
    public static final String DEFAULT_PYTHON = Spec.DEFAULT_PYTHON;
    /** The key files tried from the ssh directory unless IdentitiesOnly is set, in OpenSSH's order. */
    public static final List<String> DEFAULT_IDENTITY_FILES = List.of("id_rsa", "id_ecdsa", "id_ed25519");
    /**
     * The key exchange algorithms offered, in order of preference: OpenSSH 10's order, post-quantum
     * hybrids first, with {@code mlkem768x25519-sha256} (cheap in Java) before
     * {@code sntrup761x25519-sha512} (100-500 ms of CPU in Java); a name this JVM cannot do is left out.
     */
    public static final List<String> DEFAULT_KEY_EXCHANGES = List.of("mlkem768x25519-sha256",
            "sntrup761x25519-sha512", "sntrup761x25519-sha512@openssh.com", "curve25519-sha256",
            "curve25519-sha256@libssh.org", "ecdh-sha2-nistp256", "ecdh-sha2-nistp384", "ecdh-sha2-nistp521",
            "diffie-hellman-group-exchange-sha256", "diffie-hellman-group16-sha512", "diffie-hellman-group18-sha512",
            "diffie-hellman-group14-sha256");
    /** The default host-key checking. */
    public static final HostKeyChecking DEFAULT_HOST_KEY_CHECKING = HostKeyChecking.STRICT;

    /** The safe defaults, with the ssh directory {@code ~/.ssh} of the JVM's user. */
    public static final SshTransportOptions DEFAULTS = builder().build();

    private final Path sshDirectory;
    private final Path knownHostsFile;
    private final Path configFile;
    private final boolean useConfigFile;
    private final HostKeyChecking hostKeyChecking;
    private final HostKeyVerifier hostKeyVerifier;
    private final Map<String, Set<String>> pinnedHostKeys;
    private final List<Path> identityFiles;
    private final boolean useDefaultIdentities;
    private final PassphraseProvider passphrases;
    private final String password;
    private final boolean useAgent;
    private final Path agentSocket;
    private final Duration connectTimeout;
    private final Duration authTimeout;
    private final Duration channelOpenTimeout;
    private final Duration keepaliveInterval;
    private final int keepaliveMaxMissed;
    private final String defaultPython;
    private final List<String> keyExchanges;

    private SshTransportOptions(Builder b) {
        this.sshDirectory = b.sshDirectory != null ? b.sshDirectory
                : Path.of(System.getProperty("user.home", "."), ".ssh");
        this.knownHostsFile = b.knownHostsFile != null ? b.knownHostsFile : sshDirectory.resolve("known_hosts");
        this.configFile = b.configFile != null ? b.configFile : sshDirectory.resolve("config");
        this.useConfigFile = b.useConfigFile;
        this.hostKeyChecking = b.hostKeyChecking;
        this.hostKeyVerifier = b.hostKeyVerifier;
        Map<String, Set<String>> pins = new LinkedHashMap<>();
        b.pinnedHostKeys.forEach((host, fps) -> pins.put(host, Collections.unmodifiableSet(new LinkedHashSet<>(fps))));
        this.pinnedHostKeys = Collections.unmodifiableMap(pins);
        this.identityFiles = List.copyOf(b.identityFiles);
        this.useDefaultIdentities = b.useDefaultIdentities;
        this.passphrases = b.passphrases;
        this.password = b.password;
        this.useAgent = b.useAgent;
        this.agentSocket = b.agentSocket;
        this.connectTimeout = b.connectTimeout;
        this.authTimeout = b.authTimeout;
        this.channelOpenTimeout = b.channelOpenTimeout;
        this.keepaliveInterval = b.keepaliveInterval;
        this.keepaliveMaxMissed = b.keepaliveMaxMissed;
        this.defaultPython = b.defaultPython;
        this.keyExchanges = List.copyOf(b.keyExchanges);
    }

    /** {@return A builder holding the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return A builder holding these options} */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.sshDirectory = sshDirectory;
        b.knownHostsFile = knownHostsFile;
        b.configFile = configFile;
        b.useConfigFile = useConfigFile;
        b.hostKeyChecking = hostKeyChecking;
        b.hostKeyVerifier = hostKeyVerifier;
        pinnedHostKeys.forEach((h, fps) -> b.pinnedHostKeys.put(h, new LinkedHashSet<>(fps)));
        b.identityFiles.addAll(identityFiles);
        b.useDefaultIdentities = useDefaultIdentities;
        b.passphrases = passphrases;
        b.password = password;
        b.useAgent = useAgent;
        b.agentSocket = agentSocket;
        b.connectTimeout = connectTimeout;
        b.authTimeout = authTimeout;
        b.channelOpenTimeout = channelOpenTimeout;
        b.keepaliveInterval = keepaliveInterval;
        b.keepaliveMaxMissed = keepaliveMaxMissed;
        b.defaultPython = defaultPython;
        b.keyExchanges = keyExchanges;
        return b;
    }

    /** {@return the directory holding the default known_hosts, config and key files ({@code ~/.ssh})} */
    public Path sshDirectory() {
        return sshDirectory;
    }

    /** {@return the known_hosts file checked (and, with accept-new, appended to) unless the ssh config names another} */
    public Path knownHostsFile() {
        return knownHostsFile;
    }

    /** {@return the ssh config file read when the spec names none with {@code -F} or {@code ssh_config=}, if enabled} */
    public Optional<Path> configFile() {
        return useConfigFile ? Optional.of(configFile) : Optional.empty();
    }

    /** {@return the host-key checking used unless the spec or ssh config asks for strict or accept-new} */
    public HostKeyChecking hostKeyChecking() {
        return hostKeyChecking;
    }

    /**
     * The user's host-key policy, consulted instead of known_hosts, pins and
     * {@link #hostKeyChecking()} when present.
     *
     * @return the verifier, or empty for the built-in checks
     */
    public Optional<HostKeyVerifier> hostKeyVerifier() {
        return Optional.ofNullable(hostKeyVerifier);
    }

    /**
     * Pinned host keys: host ({@code name} for port 22, else {@code [name]:port}) to accepted
     * SHA256 fingerprints. A pinned host accepts exactly these keys, whatever known_hosts says.
     *
     * @return host to fingerprints, unmodifiable
     */
    public Map<String, Set<String>> pinnedHostKeys() {
        return pinnedHostKeys;
    }

    /** {@return key files tried for every host, after those the spec and ssh config name} */
    public List<Path> identityFiles() {
        return identityFiles;
    }

    /** {@return whether {@link #DEFAULT_IDENTITY_FILES} in the ssh directory are tried (unless IdentitiesOnly)} */
    public boolean useDefaultIdentities() {
        return useDefaultIdentities;
    }

    /** {@return where passphrases of encrypted keys come from} */
    public PassphraseProvider passphrases() {
        return passphrases;
    }

    /** {@return the password tried after keys, only if the caller gave one} */
    public Optional<String> password() {
        return Optional.ofNullable(password);
    }

    /** {@return whether keys held by a running ssh-agent are tried} */
    public boolean useAgent() {
        return useAgent;
    }

    /** {@return the ssh-agent socket: the one set here, else {@code SSH_AUTH_SOCK}} */
    public Optional<Path> agentSocket() {
        if (!useAgent) {
            return Optional.empty();
        }
        if (agentSocket != null) {
            return Optional.of(agentSocket);
        }
        String env = System.getenv("SSH_AUTH_SOCK");
        return env == null || env.isBlank() ? Optional.empty() : Optional.of(Path.of(env));
    }

    /** {@return how long the TCP connection and the start of the key exchange may take} */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** {@return how long the key exchange and authentication may take once connected} */
    public Duration authTimeout() {
        return authTimeout;
    }

    /** {@return how long opening a session channel (one per gateway) may take} */
    public Duration channelOpenTimeout() {
        return channelOpenTimeout;
    }

    /** {@return how often a keepalive goes to the server; zero means none} */
    public Duration keepaliveInterval() {
        return keepaliveInterval;
    }

    /** {@return how many keepalives may go unanswered before the connection counts as dead} */
    public int keepaliveMaxMissed() {
        return keepaliveMaxMissed;
    }

    /** {@return the interpreter run when the spec has no {@code python=}} */
    public String defaultPython() {
        return defaultPython;
    }

    /** {@return the key exchange algorithms offered, in order of preference (OpenSSH names)} */
    public List<String> keyExchanges() {
        return keyExchanges;
    }

    @Override
    public String toString() {
        return "SshTransportOptions[sshDirectory=" + sshDirectory + ", knownHosts=" + knownHostsFile + ", config="
                + configFile().map(Path::toString).orElse("none") + ", hostKeyChecking=" + hostKeyChecking
                + (hostKeyVerifier == null ? "" : ", hostKeyVerifier=" + hostKeyVerifier) + ", pinned=" + pinnedHostKeys.keySet() + ", identities=" + identityFiles + ", defaultIdentities="
                + useDefaultIdentities + ", agent=" + useAgent + ", password=" + (password == null ? "none" : "given")
                + ", connectTimeout=" + connectTimeout + ", authTimeout=" + authTimeout + ", keepalive="
                + keepaliveInterval + "x" + keepaliveMaxMissed
                + (keyExchanges.equals(DEFAULT_KEY_EXCHANGES) ? "" : ", keyExchanges=" + keyExchanges) + "]";
    }

    /** Builds {@link SshTransportOptions}; every setter returns the builder. */
    public static final class Builder {
        private Path sshDirectory;
        private Path knownHostsFile;
        private Path configFile;
        private boolean useConfigFile = true;
        private HostKeyChecking hostKeyChecking = DEFAULT_HOST_KEY_CHECKING;
        private HostKeyVerifier hostKeyVerifier;
        private final Map<String, Set<String>> pinnedHostKeys = new LinkedHashMap<>();
        private final List<Path> identityFiles = new ArrayList<>();
        private boolean useDefaultIdentities = true;
        private PassphraseProvider passphrases = PassphraseProvider.NONE;
        private String password;
        private boolean useAgent = true;
        private Path agentSocket;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration authTimeout = DEFAULT_AUTH_TIMEOUT;
        private Duration channelOpenTimeout = DEFAULT_CHANNEL_OPEN_TIMEOUT;
        private Duration keepaliveInterval = DEFAULT_KEEPALIVE_INTERVAL;
        private int keepaliveMaxMissed = DEFAULT_KEEPALIVE_MAX_MISSED;
        private String defaultPython = DEFAULT_PYTHON;
        private List<String> keyExchanges = DEFAULT_KEY_EXCHANGES;

        private Builder() {
        }

        /**
         * The directory of known_hosts, config and default keys (default {@code ~/.ssh}).
         *
         * @param dir the ssh directory
         * @return this builder
         */
        public Builder sshDirectory(Path dir) {
            this.sshDirectory = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /**
         * The known_hosts file (default {@code known_hosts} in the ssh directory).
         *
         * @param file the known_hosts file
         * @return this builder
         */
        public Builder knownHostsFile(Path file) {
            this.knownHostsFile = Objects.requireNonNull(file, "file");
            return this;
        }

        /**
         * The ssh config file (default {@code config} in the ssh directory); a missing file is fine.
         *
         * @param file the ssh config file
         * @return this builder
         */
        public Builder configFile(Path file) {
            this.configFile = Objects.requireNonNull(file, "file");
            this.useConfigFile = true;
            return this;
        }

        /** {@return read no ssh config file unless a spec names one with {@code -F} or {@code ssh_config=}} */
        public Builder noConfigFile() {
            this.useConfigFile = false;
            return this;
        }

        /**
         * The host-key checking; {@link HostKeyChecking#OFF} logs a warning at every connection.
         *
         * @param checking strict, accept-new or off
         * @return this builder
         */
        public Builder hostKeyChecking(HostKeyChecking checking) {
            this.hostKeyChecking = Objects.requireNonNull(checking, "checking");
            return this;
        }

        /**
         * Hands every host-key decision to the user's policy instead of known_hosts, pins and
         * {@link #hostKeyChecking(HostKeyChecking)}.
         *
         * @param verifier the policy
         * @return this builder
         */
        public Builder hostKeyVerifier(HostKeyVerifier verifier) {
            this.hostKeyVerifier = Objects.requireNonNull(verifier, "verifier");
            return this;
        }

        /**
         * Accepts exactly the key with this fingerprint for the host ({@code name}, or
         * {@code [name]:port} for a port other than 22); may be called several times per host.
         *
         * @param host {@code name}, or {@code [name]:port} for a port other than 22
         * @param fingerprint as OpenSSH prints it, {@code SHA256:base64} (the prefix may be omitted)
         * @return this builder
         */
        public Builder pinHostKey(String host, String fingerprint) {
            String fp = fingerprint.strip();
            if (!fp.regionMatches(true, 0, "SHA256:", 0, 7)) {
                fp = "SHA256:" + fp;
            } else {
                fp = "SHA256:" + fp.substring(7);
            }
            pinnedHostKeys.computeIfAbsent(host.strip().toLowerCase(Locale.ROOT), h -> new LinkedHashSet<>()).add(fp);
            return this;
        }

        /**
         * A key file tried for every host.
         *
         * @param file a private key file
         * @return this builder
         */
        public Builder identityFile(Path file) {
            identityFiles.add(Objects.requireNonNull(file, "file"));
            return this;
        }

        /**
         * Whether the ssh directory's id_rsa, id_ecdsa and id_ed25519 are tried (default yes).
         *
         * @param use whether to try the ssh directory's default key files
         * @return this builder
         */
        public Builder useDefaultIdentities(boolean use) {
            this.useDefaultIdentities = use;
            return this;
        }

        /**
         * Where passphrases of encrypted keys come from (default: none, such keys are skipped).
         *
         * @param provider the source of passphrases
         * @return this builder
         */
        public Builder passphrases(PassphraseProvider provider) {
            this.passphrases = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /**
         * One passphrase for every encrypted key.
         *
         * @param passphrase the passphrase
         * @return this builder
         */
        public Builder passphrase(String passphrase) {
            return passphrases(PassphraseProvider.of(passphrase));
        }

        /**
         * A password, tried after keys; without one, password authentication is never attempted.
         *
         * @param password the password
         * @return this builder
         */
        public Builder password(String password) {
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /**
         * Whether keys of a running ssh-agent are tried (default yes, when SSH_AUTH_SOCK is set).
         *
         * @param use whether to try the keys of a running ssh-agent
         * @return this builder
         */
        public Builder useAgent(boolean use) {
            this.useAgent = use;
            return this;
        }

        /**
         * The ssh-agent socket, instead of {@code SSH_AUTH_SOCK}.
         *
         * @param socket the agent socket file
         * @return this builder
         */
        public Builder agentSocket(Path socket) {
            this.agentSocket = Objects.requireNonNull(socket, "socket");
            this.useAgent = true;
            return this;
        }

        /**
         * @param timeout how long the TCP connection and the start of the key exchange may take
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /**
         * @param timeout how long the key exchange and authentication may take once connected
         * @return this builder
         */
        public Builder authTimeout(Duration timeout) {
            this.authTimeout = positive(timeout, "authTimeout");
            return this;
        }

        /**
         * @param timeout how long opening a session channel (one per gateway) may take
         * @return this builder
         */
        public Builder channelOpenTimeout(Duration timeout) {
            this.channelOpenTimeout = positive(timeout, "channelOpenTimeout");
            return this;
        }

        /**
         * Keepalive interval and how many may go unanswered; a dead connection is noticed after
         * about their product.
         *
         * @param interval how often a keepalive goes to the server; zero turns keepalives off
         * @param maxMissed how many may go unanswered (at least 1)
         * @return this builder
         * @throws IllegalArgumentException for a negative interval or maxMissed below 1
         */
        public Builder keepalive(Duration interval, int maxMissed) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative() || maxMissed < 1) {
                throw new IllegalArgumentException("keepalive needs interval >= 0 and maxMissed >= 1");
            }
            this.keepaliveInterval = interval;
            this.keepaliveMaxMissed = maxMissed;
            return this;
        }

        /**
         * The remote interpreter when the spec has no {@code python=} (default python3).
         *
         * @param python the interpreter command, e.g. python3.12
         * @return this builder
         */
        public Builder defaultPython(String python) {
            if (python == null || python.isBlank()) {
                throw new IllegalArgumentException("defaultPython is empty");
            }
            this.defaultPython = python;
            return this;
        }

        /**
         * The key exchange algorithms to offer, in order of preference (default
         * {@link #DEFAULT_KEY_EXCHANGES}), like OpenSSH's {@code KexAlgorithms}: e.g. only
         * {@code curve25519-sha256} for a server whose only post-quantum exchange is sntrup761,
         * which costs this client 100-500 ms of CPU per connection, giving up its protection
         * against a future quantum computer.
         *
         * @param names OpenSSH names of key exchange algorithms
         * @return this builder
         * @throws IllegalArgumentException when the list is empty or a name is unknown or not supported
         */
        public Builder keyExchanges(List<String> names) {
            List<String> copy = List.copyOf(Objects.requireNonNull(names, "names"));
            KeyExchanges.check(copy);
            this.keyExchanges = copy;
            return this;
        }

        /** {@return the options} */
        public SshTransportOptions build() {
            return new SshTransportOptions(this);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + d);
            }
            return d;
        }
    }
}
