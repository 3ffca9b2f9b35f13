package org.execnet4j.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.kex.BuiltinKEM;
import org.apache.sshd.common.kex.KeyEncapsulationMethod;
import org.apache.sshd.common.kex.KexProposalOption;
import org.apache.sshd.common.kex.extension.DefaultClientKexExtensionHandler;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.core.CoreModuleProperties;
import org.execnet4j.core.GatewayLauncher;
import org.execnet4j.transport.ssh.SshTransportOptions;
import org.execnet4j.transport.ssh.internal.KeyExchanges;
import org.execnet4j.transport.ssh.internal.QuickAckSessionFactory;

/**
 * Where the first ssh gateway's start time goes (issue 13): against the benchmark's sshd, a fresh MINA SSHD client
 * set up like the transport's ({@code TCP_NODELAY}, quick ACKs, its key exchanges, public key) goes through the
 * phases one by one and times each: client start, TCP connect, key exchange (until the new keys are in use),
 * authentication, then on that connection a session channel running {@code true} (sshd's session set-up + the login
 * shell), {@code python -c pass} (+ the interpreter's start), python compiling the agent's source (what a fresh
 * gateway's first bootstrap adds), then execnet4j's whole first and second gateway through {@code SshTransport} and,
 * for comparison, the OpenSSH client (which execnet runs) running the same two commands. Each with
 * {@code sntrup761x25519-sha512} (the post-quantum exchange OpenSSH 9.2 offers) and with {@code curve25519-sha256},
 * so the post-quantum exchange's cost shows; at the end the client's KEM CPU (sntrup761 as MINA SSHD does it and as
 * execnet4j does it, ML-KEM-768). The same phases on the wire and in sshd, for execnet4j and execnet side by side:
 * python/ssh_start_timeline.py.
 */
final class SshStartPhases {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** The post-quantum hybrid OpenSSH 9.2 offers (and picks with MINA's defaults), and the classic one. */
    private static final List<String> KEX = List.of("sntrup761x25519-sha512", "curve25519-sha256");

    private SshStartPhases() {
    }

    /** Runs {@code rounds} (after {@code warmups}) per key exchange and prints the medians of each phase. */
    static void run(OpenSshServer sshd, SshTransportOptions options, String javaSpec, String remotePython,
                    int warmups, int rounds) throws Exception {
        Map<String, List<Map<String, Double>>> byKex = new LinkedHashMap<>();
        Map<String, String> negotiated = new LinkedHashMap<>();
        for (String kex : KEX) {
            List<Map<String, Double>> kept = new ArrayList<>();
            for (int i = -warmups; i < rounds; i++) {
                Map<String, Double> r = round(sshd, kex, remotePython, negotiated);
                SshWorkload.runRound(options.toBuilder().keyExchanges(List.of(kex)).build(), javaSpec, new int[1])
                        .forEach((m, v) -> r.put("transport " + m.label, v));
                r.put("transport 1st gateway minus the connection total above (channel, shell, python, agent, exec)",
                        r.get("transport " + GatewayMetric.SSH_FIRST.label) - r.get("connection total (client .. auth)"));
                r.put("OpenSSH client: ssh HOST true (whole process)", openSsh(sshd, kex, "true"));
                r.put("OpenSSH client: ssh HOST python3 -c pass", openSsh(sshd, kex, remotePython + " -c pass"));
                System.out.println((i < 0 ? "warm-up" : "round " + (i + 1)) + " phases (" + kex + "): " + format(r));
                if (i >= 0) {
                    kept.add(r);
                }
            }
            byKex.put(kex, kept);
        }
        System.out.println();
        System.out.println("=== where the first ssh gateway's time goes (execnet4j, MINA SSHD client; median of "
                + rounds + " rounds) ===");
        negotiated.forEach((kex, algorithms) -> System.out.println("client kex setting " + kex + ": negotiated "
                + algorithms));
        List<String> names = new ArrayList<>(byKex.get(KEX.get(0)).get(0).keySet());
        System.out.printf(Locale.ROOT, "%-52s %24s %24s%n", "phase", KEX.get(0), KEX.get(1));
        for (String name : names) {
            System.out.printf(Locale.ROOT, "%-52s %24s %24s%n", name, ms(median(byKex.get(KEX.get(0)), name)),
                    ms(median(byKex.get(KEX.get(1)), name)));
        }
        System.out.println("client-side KEM CPU in this JVM (keygen + decapsulation, median of 10 uses after the "
                + "rounds): sntrup761 (MINA SSHD's, Bouncy Castle) " + ms(kemClientCost(kem("sntrup761")))
                + ", mlkem768 " + ms(kemClientCost(kem("mlkem768"))));
    }

    /** The OpenSSH client ({@code ssh}, as execnet runs it) running one command, timed as a whole process. */
    private static double openSsh(OpenSshServer sshd, String kex, String command) throws Exception {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder("ssh", "-p", String.valueOf(sshd.port()), "-i", sshd.userKey.toString(),
                "-o", "UserKnownHostsFile=" + sshd.knownHosts, "-o", "StrictHostKeyChecking=yes",
                "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "KexAlgorithms=" + kex,
                OpenSshServer.USER + "@" + sshd.address(), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("ssh " + command + " failed: " + out);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static KeyEncapsulationMethod kem(String name) {
        return java.util.Arrays.stream(BuiltinKEM.values()).filter(k -> k.getName().startsWith(name)).findFirst().orElseThrow();
    }

    /** The client's share of a KEM (key pair generation + decapsulation), median of 10, in s. */
    private static double kemClientCost(KeyEncapsulationMethod kem) {
        double[] v = new double[10];
        for (int i = 0; i < v.length; i++) {
            KeyEncapsulationMethod.Server server = kem.getServer();
            long t0 = System.nanoTime();
            KeyEncapsulationMethod.Client client = kem.getClient();
            client.init();
            byte[] publicKey = client.getPublicKey();
            long t1 = System.nanoTime();
            server.init(publicKey);
            byte[] encapsulation = server.getEncapsulation();
            long t2 = System.nanoTime();
            client.extractSecret(encapsulation);
            v[i] = (t1 - t0 + System.nanoTime() - t2) / 1e9;
        }
        return GatewayWorkloads.median(v);
    }

    private static Map<String, Double> round(OpenSshServer sshd, String kex, String remotePython,
                                             Map<String, String> negotiated) throws Exception {
        Map<String, Double> r = new LinkedHashMap<>();
        CompletableFuture<Long> keysAt = new CompletableFuture<>();
        long t0 = System.nanoTime();
        SshClient client = SshClient.setUpDefaultClient();
        client.setKeyExchangeFactories(KeyExchanges.factories(List.of(kex)));     // as the transport does
        client.setSessionFactory(new QuickAckSessionFactory(client));
        client.setServerKeyVerifier(new KnownHostsServerKeyVerifier(RejectAllServerKeyVerifier.INSTANCE, sshd.knownHosts));
        client.setKexExtensionHandler(DefaultClientKexExtensionHandler.INSTANCE);
        CoreModuleProperties.TCP_NODELAY.set(client, true);
        client.addSessionListener(new SessionListener() {
            @Override
            public void sessionEvent(Session session, Event event) {
                if (event == Event.KeyEstablished) {
                    keysAt.complete(System.nanoTime());
                }
            }
        });
        client.start();
        try {
            long t1 = System.nanoTime();
            r.put("client start (SshClient, thread pool)", (t1 - t0) / 1e9);
            try (ClientSession session = client.connect(OpenSshServer.USER, new InetSocketAddress(sshd.address(), sshd.port()))
                    .verify(TIMEOUT).getSession()) {
                long t2 = System.nanoTime();
                r.put("TCP connect", (t2 - t1) / 1e9);
                for (KeyPair kp : loadKey(sshd.userKey)) {
                    session.addPublicKeyIdentity(kp);
                }
                long t3 = keysAt.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                negotiated.put(kex, session.getNegotiatedKexParameter(KexProposalOption.ALGORITHMS) + ", "
                        + session.getNegotiatedKexParameter(KexProposalOption.C2SENC));
                r.put("version + key exchange", (t3 - t2) / 1e9);
                session.auth().verify(TIMEOUT);
                long t4 = System.nanoTime();
                r.put("authentication (public key)", (t4 - t3) / 1e9);
                double shell = exec(session, "true");
                r.put("session channel + sshd set-up + shell: 'true'", shell);
                double python = exec(session, remotePython + " -c pass");
                r.put("session channel + sshd set-up + shell + 'python3 -c pass'", python);
                r.put("session channel + ... + python compiling the agent's source", exec(session,
                        remotePython + " -c \"import sys; compile(sys.stdin.read(), 'agent', 'exec')\"", agentSource()));
                r.put("connection total (client .. auth)", (t4 - t0) / 1e9);
            }
        } finally {
            client.stop();
        }
        return r;
    }

    private static double exec(ClientSession session, String command) throws IOException {
        return exec(session, command, "");
    }

    /** A session channel running {@code command} with {@code input} on its stdin, timed until it closed. */
    private static double exec(ClientSession session, String command, String input) throws IOException {
        long t0 = System.nanoTime();
        try (ChannelExec ch = session.createExecChannel(command)) {
            ch.open().verify(TIMEOUT);
            if (!input.isEmpty()) {
                ch.getInvertedIn().write(input.getBytes(StandardCharsets.UTF_8));
            }
            ch.getInvertedIn().close();
            ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), TIMEOUT);
            if (!Integer.valueOf(0).equals(ch.getExitStatus())) {
                throw new IOException("'" + command + "' exited with " + ch.getExitStatus());
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** The agent's source, as a fresh gateway's bootstrap line carries it when no compiled agent is known yet. */
    private static String agentSource() throws IOException {
        try (InputStream in = GatewayLauncher.class.getResourceAsStream("internal/agent.py")) {
            if (in == null) {
                throw new IOException("agent.py is not in the core bundle");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Iterable<KeyPair> loadKey(Path key) throws Exception {
        try (InputStream in = Files.newInputStream(key)) {
            return SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(key.toString()), in, null);
        }
    }

    private static double median(List<Map<String, Double>> rounds, String name) {
        double[] v = rounds.stream().mapToDouble(r -> r.getOrDefault(name, Double.NaN)).toArray();
        return GatewayWorkloads.median(v);
    }

    private static String ms(double s) {
        return String.format(Locale.ROOT, "%.1f ms", s * 1e3);
    }

    private static String format(Map<String, Double> r) {
        StringBuilder sb = new StringBuilder();
        r.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append('=').append(ms(v)));
        return sb.toString();
    }
}
