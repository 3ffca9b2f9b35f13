package org.execnet4j.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.execnet4j.core.EngineSettings;
import org.execnet4j.transport.ssh.SshTransportOptions;

/**
 * Main class comparing execnet4j's ssh transport with Python execnet's {@code ssh=} gateway (which runs the
 * {@code ssh} binary), in three parts ({@code -Dexecnet4j.bench.parts=pair,phases,scale}, default all): "pair", the
 * first and the second gateway to the same host ready (spawn + first remote_exec roundtrip), against one OpenSSH
 * sshd the benchmark starts on a free 127.0.0.1 port (issue 5); "phases", where the first gateway's time goes
 * ({@link SshStartPhases}); "scale", 100 gateways on 10 sshd instances on 127.0.0.2-11,
 * each with its own host key, start + one roundtrip each + terminate, with host CPU, remote CPU per gateway and
 * peak host memory (issue 13). Argument 1 or -Dexecnet4j.python names the host Python for execnet (default
 * /usr/bin/python3).
 */
public final class SshVsExecnet {
    private static final String REMOTE_PYTHON = System.getProperty("execnet4j.bench.remotePython", "/usr/bin/python3");

    private SshVsExecnet() {
    }

    /** Starts the sshd servers, runs warm-up rounds, then alternating Java / Python rounds, prints the tables. */
    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        String python = args.length > 0 ? args[0] : System.getProperty("execnet4j.python", "/usr/bin/python3");
        Path script = ExecnetRun.locateScript(GatewayVsExecnet.SCRIPT, "execnet4j.bench.gatewayScript");
        List<String> parts = List.of(System.getProperty("execnet4j.bench.parts", "pair,phases,scale").split(","));
        if (parts.contains("pair")) {
            pair(python, script);
        }
        if (parts.contains("phases")) {
            try (OpenSshServer sshd = OpenSshServer.start()) {
                SshStartPhases.run(sshd, options(sshd, sshd.knownHosts), javaSpec(sshd), REMOTE_PYTHON,
                        Integer.getInteger("execnet4j.bench.warmups", 2), Integer.getInteger("execnet4j.bench.rounds", 9));
            }
        }
        if (parts.contains("scale")) {
            scale(python, script);
        }
        System.out.printf(Locale.ROOT, "total wall time: %.0f s%n", (System.nanoTime() - start) / 1e9);
    }

    private static void pair(String python, Path script) throws Exception {
        int rounds = Integer.getInteger("execnet4j.bench.rounds", 9);
        int warmups = Integer.getInteger("execnet4j.bench.warmups", 2);
        int pyWarmups = Integer.getInteger("execnet4j.bench.sshPyWarmups", 1);
        try (OpenSshServer sshd = OpenSshServer.start()) {
            String javaSpec = javaSpec(sshd);
            String pySpec = pySpec(sshd, sshd.knownHosts);
            SshTransportOptions options = options(sshd, sshd.knownHosts);
            int[] connections = {-1};
            AlternatingRounds.Result r = AlternatingRounds.run(warmups, rounds,
                    () -> SshWorkload.runRound(options, javaSpec, connections), python, script,
                    List.of("--ssh-ready", "--spec", pySpec, "--ssh-warmups", String.valueOf(pyWarmups)),
                    GatewayMetric.SSH);

            System.out.println();
            System.out.println("=== execnet4j vs Python execnet: ssh gateway ready (median of " + r.java().size()
                    + " alternating rounds each) ===");
            System.out.printf(Locale.ROOT, "sshd: %s, started by the benchmark on 127.0.0.1:%d (temp dir %s)%n",
                    OpenSshServer.version(), sshd.port(), sshd.dir());
            System.out.println("execnet4j: SshTransport (Apache MINA SSHD), spec " + javaSpec + ", a fresh transport "
                    + "per round; ssh connections held with the gateways open: " + connections[0] + "; " + warmStart());
            System.out.println("execnet:   " + r.pyDescription() + ", spec " + pySpec + ", " + pyWarmups
                    + " untimed warm-up pair per process; one ssh process per gateway");
            System.out.println("per round: 1st gateway ready (launch + remote_exec(\"channel.send(1)\") + receive), "
                    + "2nd gateway to the same host ready while the 1st is open, 3rd likewise, then exit all three");
            GatewayTable.printRows(System.out, GatewayMetric.SSH, r.java(), r.py());
            System.out.println("ratio = execnet4j / execnet, lower is better");
        }
    }

    private static void scale(String python, Path script) throws Exception {
        int rounds = Integer.getInteger("execnet4j.bench.scaleRounds", 3);
        int warmups = Integer.getInteger("execnet4j.bench.scaleWarmups", 1);
        int hosts = Integer.getInteger("execnet4j.bench.scaleHosts", 10);
        int perHost = Integer.getInteger("execnet4j.bench.scalePerHost", 10);
        Path keyDir = Files.createTempDirectory("execnet4j-ssh-bench-client-");
        List<OpenSshServer> servers = new ArrayList<>();
        try {
            Path key = OpenSshServer.keygen(keyDir.resolve("id_ecdsa"));
            Path knownHosts = keyDir.resolve("known_hosts");
            Files.writeString(knownHosts, "");
            for (int i = 0; i < hosts; i++) {
                OpenSshServer sshd = OpenSshServer.start("127.0.0." + (i + 2), key);
                servers.add(sshd);
                Files.writeString(knownHosts, Files.readString(sshd.knownHosts), StandardOpenOption.APPEND);
            }
            SshTransportOptions options = options(servers.get(0), knownHosts);
            List<String> javaSpecs = servers.stream().map(SshVsExecnet::javaSpec).toList();
            List<String> scriptArgs = new ArrayList<>(List.of("--ssh-scale", "--per-host", String.valueOf(perHost),
                    "--sshd-pids", servers.stream().map(s -> String.valueOf(s.pid())).collect(Collectors.joining(","))));
            for (OpenSshServer s : servers) {
                scriptArgs.add("--host-spec");
                scriptArgs.add(pySpec(s, knownHosts));
            }
            AlternatingRounds.Result r = AlternatingRounds.run(warmups, rounds,
                    () -> SshScaleWorkload.runRound(options, javaSpecs, perHost, servers), python, script, scriptArgs,
                    GatewayMetric.SSH_SCALE);

            System.out.println();
            System.out.printf(Locale.ROOT, "=== execnet4j vs Python execnet: %d ssh gateways on %d hosts (median of %d "
                    + "alternating rounds each) ===%n", hosts * perHost, hosts, r.java().size());
            System.out.printf(Locale.ROOT, "sshd: %s, %d instances started by the benchmark on 127.0.0.2-%d, each with "
                    + "its own host key and a free port%n", OpenSshServer.version(), hosts, hosts + 1);
            System.out.println("execnet4j: one SshTransport and one group per round, makeGateways of all "
                    + hosts * perHost + " specs (started in parallel, one ssh connection per host), spec e.g. "
                    + javaSpecs.get(0) + "; " + warmStart());
            System.out.println("execnet:   " + r.pyDescription() + ", " + hosts + " threads (one per host) each "
                    + "starting its host's " + perHost + " gateways in one group; one ssh process per gateway");
            System.out.println("per round: start + remote_exec(\"channel.send(1)\") + receive on each, then terminate; "
                    + "host CPU: /proc/self/stat (execnet4j), getrusage self + children (execnet); remote CPU: the "
                    + "sshd listeners' children (sshd, shell, python) / gateways; peak RSS sampled every 5 ms "
                    + "(execnet4j: the JVM; execnet: python + its ssh processes)");
            GatewayTable.printRows(System.out, GatewayMetric.SSH_SCALE, r.java(), r.py());
            System.out.println("ratio = execnet4j / execnet, lower is better");
        } finally {
            for (OpenSshServer s : servers) {
                s.close();
            }
            Files.deleteIfExists(keyDir.resolve("known_hosts"));
            Files.deleteIfExists(keyDir.resolve("id_ecdsa"));
            Files.deleteIfExists(keyDir.resolve("id_ecdsa.pub"));
            Files.deleteIfExists(keyDir);
        }
    }

    /** Whether execnet4j's gateways are forked from warm interpreters on the ssh servers ({@code -Dexecnet4j.warmStart}). */
    private static String warmStart() {
        return EngineSettings.DEFAULTS.warmStart()
                ? "warm start on (-Dexecnet4j.warmStart=true: a warm interpreter per host, reached by direct-streamlocal)"
                : "warm start off (turn it on with -Dexecnet4j.warmStart=true)";
    }

    private static String javaSpec(OpenSshServer sshd) {
        return "ssh=-p " + sshd.port() + " " + OpenSshServer.USER + "@" + sshd.address() + "//python=" + REMOTE_PYTHON;
    }

    private static String pySpec(OpenSshServer sshd, Path knownHosts) {
        return "ssh=-p " + sshd.port() + " -i " + sshd.userKey + " -o UserKnownHostsFile=" + knownHosts
                + " -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes " + OpenSshServer.USER + "@" + sshd.address()
                + "//python=" + REMOTE_PYTHON;
    }

    private static SshTransportOptions options(OpenSshServer sshd, Path knownHosts) {
        return SshTransportOptions.builder()
                .sshDirectory(sshd.dir().resolve("no-ssh-dir"))       // no ~/.ssh keys, config or known_hosts
                .knownHostsFile(knownHosts)
                .noConfigFile()
                .useAgent(false)
                .useDefaultIdentities(false)
                .identityFile(sshd.userKey)
                // 10 logins at once on a loaded 2-core machine, each with a cold (interpreted) sntrup761 key
                // generation of ~1 s CPU in the first round, can take longer than the default 15 s
                .authTimeout(Duration.ofSeconds(90))
                .build();
    }
}
