package org.execnet4j.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Debian's OpenSSH {@code sshd}, run in the foreground by a test or a benchmark on a free port of a
 * loopback address, with its own host key, {@code sshd_config}, {@code authorized_keys} and log in
 * a directory the caller gives. It logs in the JVM's user (root on the test machines), reads no
 * {@code ~/.ssh/rc} and sets {@code SHLVL=1}, which keeps bash from reading root's {@code .bashrc}.
 * {@link #close()} kills it and every process it started.
 */
public final class OpenSshd implements AutoCloseable {
    /** Where Debian's openssh-server puts the daemon. */
    public static final Path SSHD = Path.of("/usr/sbin/sshd");
    private static final int START_ATTEMPTS = 5;
    private static final Duration START_DEADLINE = Duration.ofSeconds(30);
    /** The levels at which sshd logs "Server listening on", which the start waits for. */
    private static final Set<String> LISTENING_LEVELS = Set.of("INFO", "VERBOSE", "DEBUG", "DEBUG1", "DEBUG2", "DEBUG3");

    private final Process process;
    private final Path dir;
    private final String address;
    private final int port;
    private final Path hostKey;
    private final String hostKeyLine;

    private OpenSshd(Process process, Path dir, String address, int port, Path hostKey, String hostKeyLine) {
        this.process = process;
        this.dir = dir;
        this.address = address;
        this.port = port;
        this.hostKey = hostKey;
        this.hostKeyLine = hostKeyLine;
    }

    /** {@return whether Debian's sshd is installed here; tests that need it are skipped where it is not} */
    public static boolean isInstalled() {
        return Files.isExecutable(SSHD);
    }

    /**
     * Makes a host key and the configuration in {@code dir} and starts sshd. It counts as started
     * once its log says it listens: a port picked free may be taken by another process before sshd
     * binds it (then sshd exits and another port is tried), and a probe connection would be answered
     * by whoever holds the port and would leave a connection process behind in this server.
     *
     * @param dir an existing directory for the server's files, which nobody else writes to
     * @param address the loopback address to listen on, such as {@code 127.0.0.1} or {@code 127.0.0.5}
     * @param authorizedKeys the public key lines ({@code ecdsa-sha2-nistp256 AAAA... comment}) that may log in
     * @param extraConfig more {@code sshd_config} lines, such as {@code AllowStreamLocalForwarding no};
     *        they come first, and sshd takes the first value of a keyword
     * @param logLevel {@code INFO} or more verbose ({@code VERBOSE} also logs each connection and login)
     * @return the running server
     * @throws IOException when sshd is not installed or does not start (its log is in the message)
     * @throws InterruptedException when interrupted while waiting for it
     */
    public static OpenSshd start(Path dir, String address, List<String> authorizedKeys, List<String> extraConfig,
            String logLevel) throws IOException, InterruptedException {
        if (!isInstalled()) {
            throw new IOException(SSHD + " is not installed (Debian: openssh-server)");
        }
        if (!LISTENING_LEVELS.contains(logLevel)) {
            throw new IllegalArgumentException("LogLevel " + logLevel + " does not log that sshd listens, which its start"
                    + " waits for; use one of " + LISTENING_LEVELS);
        }
        Path hostKey = keygen(dir.resolve("ssh_host_ecdsa_key"), "", "execnet4j-test-host");
        String hostKeyLine = Files.readString(Path.of(hostKey + ".pub")).strip();
        Files.writeString(dir.resolve("authorized_keys"),
                authorizedKeys.stream().map(k -> k + "\n").reduce("", String::concat));
        Files.createDirectories(Path.of("/run/sshd"));  // sshd's privilege-separation directory
        for (int attempt = 1; ; attempt++) {
            int port = freePort(address);
            Process started = launch(dir, address, port, hostKey, extraConfig, logLevel);
            OpenSshd server = new OpenSshd(started, dir, address, port, hostKey, hostKeyLine);
            if (server.awaitListening()) {
                return server;
            }
            String log = server.log();
            if (!log.contains("Address already in use") || attempt == START_ATTEMPTS) {
                throw new IOException("sshd did not start on " + address + " port " + port + ": " + log.strip());
            }
        }
    }

    private static Process launch(Path dir, String address, int port, Path hostKey, List<String> extraConfig,
            String logLevel) throws IOException {
        Path config = dir.resolve("sshd_config");
        List<String> lines = new ArrayList<>(extraConfig);
        lines.addAll(List.of(
                "Port " + port,
                "ListenAddress " + address,
                "HostKey " + hostKey,
                "PidFile " + dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "PermitRootLogin yes",
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                "UseDNS no",
                "StrictModes no",
                "PermitUserRC no",
                "SetEnv SHLVL=1",
                "MaxStartups 100",
                "AllowTcpForwarding yes",
                "LogLevel " + logLevel, ""));
        Files.writeString(config, String.join("\n", lines));
        return new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
    }

    /** Waits until sshd logs that it listens on its port; false (and sshd gone) if it cannot. */
    private boolean awaitListening() throws IOException, InterruptedException {
        String listening = "Server listening on " + address + " port " + port + ".";
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        while (!log().contains(listening)) {
            if (!process.isAlive() || System.nanoTime() - deadline > 0) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /**
     * Makes an ECDSA key pair with ssh-keygen: {@code file} (private, OpenSSH format) and {@code file.pub}.
     *
     * @param file where the private key goes
     * @param passphrase its passphrase, empty for none
     * @param comment the public key's comment
     * @return {@code file}
     * @throws IOException when ssh-keygen fails (its output is in the message)
     * @throws InterruptedException when interrupted while waiting for it
     */
    public static Path keygen(Path file, String passphrase, String comment) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ecdsa", "-b", "256", "-N", passphrase, "-C", comment,
                "-f", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("ssh-keygen for " + file + " failed: " + out);
        }
        return file;
    }

    private static int freePort(String address) throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(address))) {
            return s.getLocalPort();
        }
    }

    /** {@return the address it listens on} */
    public String address() {
        return address;
    }

    /** {@return the port it listens on} */
    public int port() {
        return port;
    }

    /** {@return the directory of its files} */
    public Path dir() {
        return dir;
    }

    /** {@return its host key's private file; the public half is next to it, with ".pub"} */
    public Path hostKeyFile() {
        return hostKey;
    }

    /** {@return its host key's public half as one line: {@code type base64 comment}} */
    public String hostKeyLine() {
        return hostKeyLine;
    }

    /** {@return its host key as a line of {@code known_hosts}: {@code [address]:port type base64 comment}} */
    public String knownHostsLine() {
        return "[" + address + "]:" + port + " " + hostKeyLine;
    }

    /** {@return the listening daemon; the CPU of the connections it served ends up in its children's} */
    public Process process() {
        return process;
    }

    /** {@return the connections it serves right now: one child process of the listener each} */
    public long connections() {
        return process.children().filter(ProcessHandle::isAlive).count();
    }

    /**
     * What sshd logged so far, for failure messages.
     *
     * @return the log's text
     * @throws IOException when it cannot be read
     */
    public String log() throws IOException {
        return Files.readString(dir.resolve("sshd.log"));
    }

    /** Kills the listener and every process it started (connections, shells, interpreters). */
    public void kill() {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        process.destroyForcibly();
        all.forEach(ProcessHandle::destroyForcibly);
    }

    /** Kills it as {@link #kill()} does and waits up to 5 s for the listener's end; its files stay. */
    @Override
    public void close() {
        kill();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
