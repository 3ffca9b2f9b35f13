package org.execnet4j.transport.ssh.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.apache.sshd.client.config.hosts.HostConfigEntry;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.execnet4j.transport.ssh.HostKeyChecking;
import org.execnet4j.transport.ssh.SshTransportOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a spec's ssh arguments into an {@link Endpoint}: the command line wins over the ssh
 * config, which wins over the transport's options (OpenSSH's first-value-wins order). Reads
 * Host, HostName, Port, User, IdentityFile, IdentitiesOnly, ProxyJump, StrictHostKeyChecking and
 * UserKnownHostsFile; a config file that cannot be parsed is skipped with a warning.
 */
final class EndpointResolver {
    private static final Logger LOG = LoggerFactory.getLogger(EndpointResolver.class);
    /** More jump hosts than this is taken for a ProxyJump loop. */
    static final int MAX_JUMPS = 8;
    private static final int DEFAULT_PORT = 22;

    private final SshTransportOptions options;

    EndpointResolver(SshTransportOptions options) {
        this.options = options;
    }

    /**
     * Resolves the target of {@code ssh=...}.
     *
     * @param specConfigFile the spec's {@code ssh_config=} value, or null
     */
    Endpoint resolve(SshArgs args, String specConfigFile) throws IOException {
        String explicit = args.configFile() != null ? args.configFile() : specConfigFile;
        HostConfigEntryResolver config = readConfig(explicit);
        return resolve(config, args.host(), args.port(), args.user(), args.identities(), args.options(), 0);
    }

    private Endpoint resolve(HostConfigEntryResolver config, String host, int port, String user, List<String> cliIdentities,
            Map<String, String> cli, int depth) throws IOException {
        if (depth > MAX_JUMPS) {
            throw new IOException("more than " + MAX_JUMPS + " ProxyJump hops to reach " + host + " (a loop in the ssh config?)");
        }
        HostConfigEntry entry;
        try {
            entry = config.resolveEffectiveHost(host, Math.max(port, 0), null, user, null, null);
        } catch (IOException | RuntimeException e) {
            LOG.warn("ssh config: cannot resolve host {}: {}; connecting without the config", host, e.toString());
            entry = null;
        }
        String hostName = first(cli.get("hostname"), entry == null ? null : entry.getHostName(), host);
        int resolvedPort = port > 0 ? port
                : cli.containsKey("port") ? SshArgs.parsePort(cli.get("port"), "-o Port=" + cli.get("port"))
                : entry != null && entry.getPort() > 0 ? entry.getPort() : DEFAULT_PORT;
        String resolvedUser = first(user, cli.get("user"), entry == null ? null : entry.getUsername(),
                System.getProperty("user.name"));
        boolean identitiesOnly = cli.containsKey("identitiesonly") ? yes(cli.get("identitiesonly"))
                : entry != null && entry.isIdentitiesOnly();

        List<Path> identities = new ArrayList<>();
        for (String id : cliIdentities) {
            identities.add(expand(id));
        }
        if (cli.containsKey("identityfile")) {
            identities.add(expand(cli.get("identityfile")));
        }
        if (entry != null && entry.getIdentities() != null) {
            for (String id : entry.getIdentities()) {
                identities.add(expand(id));
            }
        }
        identities.addAll(options.identityFiles());
        if (!identitiesOnly && options.useDefaultIdentities()) {
            for (String name : SshTransportOptions.DEFAULT_IDENTITY_FILES) {
                identities.add(options.sshDirectory().resolve(name));
            }
        }

        HostKeyChecking checking = hostKeyChecking(hostName, first(cli.get("stricthostkeychecking"),
                entry == null ? null : entry.getProperty("StrictHostKeyChecking")));
        String knownHosts = first(cli.get("userknownhostsfile"), entry == null ? null : entry.getProperty("UserKnownHostsFile"));
        Path knownHostsFile = knownHosts == null ? options.knownHostsFile() : expand(knownHosts.strip().split("\\s+")[0]);

        String proxyJump = first(cli.get("proxyjump"), entry == null ? null : entry.getProxyJump());
        List<Endpoint> jumps = new ArrayList<>();
        if (proxyJump != null && !proxyJump.isBlank() && !proxyJump.strip().equalsIgnoreCase("none")) {
            for (String hop : proxyJump.split(",")) {
                SshArgs hopArgs = SshArgs.parse(hop.strip().contains("://") ? hop.strip() : "ssh://" + hop.strip());
                Endpoint jump = resolve(config, hopArgs.host(), hopArgs.port(), hopArgs.user(), List.of(), Map.of(), depth + 1);
                jumps.addAll(jump.jumps());
                jumps.add(jump.withoutJumps());
            }
            if (jumps.size() > MAX_JUMPS) {
                throw new IOException("more than " + MAX_JUMPS + " ProxyJump hops to reach " + host);
            }
        }
        return new Endpoint(host, hostName, resolvedPort, resolvedUser, Collections.unmodifiableList(identities),
                identitiesOnly, checking, knownHostsFile, List.copyOf(jumps));
    }

    /**
     * The checking for one host: an explicit {@link HostKeyChecking#OFF} in the options wins; the
     * spec or ssh config may choose strict or accept-new; their "no" only means accept-new, since
     * turning checks off takes the caller's explicit flag.
     */
    private HostKeyChecking hostKeyChecking(String host, String configured) {
        if (options.hostKeyChecking() == HostKeyChecking.OFF || configured == null) {
            return options.hostKeyChecking();
        }
        HostKeyChecking parsed = HostKeyChecking.fromOpenSsh(configured);
        if (parsed == null) {
            LOG.warn("ssh: unknown StrictHostKeyChecking value '{}' for {}; using {}", configured, host,
                    options.hostKeyChecking());
            return options.hostKeyChecking();
        }
        if (parsed == HostKeyChecking.OFF) {
            LOG.warn("ssh: StrictHostKeyChecking={} for {} is treated as accept-new; turning host-key checks off "
                    + "needs SshTransportOptions.hostKeyChecking(OFF)", configured, host);
            return HostKeyChecking.ACCEPT_NEW;
        }
        return parsed;
    }

    private HostConfigEntryResolver readConfig(String explicit) throws IOException {
        Optional<Path> file;
        if (explicit != null) {
            Path path = expand(explicit);
            if (!Files.isRegularFile(path)) {
                throw new IOException("the ssh config file " + path + " does not exist");
            }
            file = Optional.of(path);
        } else {
            file = options.configFile().filter(Files::isRegularFile);
        }
        if (file.isEmpty()) {
            return HostConfigEntryResolver.EMPTY;
        }
        try {
            return HostConfigEntry.toHostConfigEntryResolver(HostConfigEntry.readHostConfigEntries(file.get()));
        } catch (IOException | RuntimeException e) {
            LOG.warn("ssh config {} cannot be parsed and is ignored: {}", file.get(), e.toString());
            return HostConfigEntryResolver.EMPTY;
        }
    }

    private static boolean yes(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        return v.equals("yes") || v.equals("true");
    }

    @SafeVarargs
    private static <T> T first(T... values) {
        for (T v : values) {
            if (v != null && !(v instanceof String s && s.isBlank())) {
                return v;
            }
        }
        return null;
    }

    static Path expand(String path) {
        String p = path.strip();
        if (p.length() > 1 && (p.startsWith("\"") && p.endsWith("\""))) {
            p = p.substring(1, p.length() - 1);
        }
        if (p.equals("~") || p.startsWith("~/")) {
            p = System.getProperty("user.home") + p.substring(1);
        }
        return Path.of(p);
    }
}
