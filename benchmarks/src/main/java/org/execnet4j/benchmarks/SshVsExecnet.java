package org.execnet4j.benchmarks;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.execnet4j.transport.ssh.SshTransportOptions;

/**
 * Main class comparing the ssh gateway ready time (spawn + first remote_exec roundtrip) of execnet4j's ssh transport
 * with Python execnet's {@code ssh=} gateway (which runs the {@code ssh} binary), for the first and the second
 * gateway to the same host, against one OpenSSH sshd the benchmark starts on a free 127.0.0.1 port (issue 5).
 * Argument 1 or -Dexecnet4j.python names the host Python for execnet (default /usr/bin/python3).
 */
public final class SshVsExecnet {
    private SshVsExecnet() {
    }

    /** Starts sshd, runs warm-up rounds, then alternating Java / Python rounds, prints the medians table. */
    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        String python = args.length > 0 ? args[0] : System.getProperty("execnet4j.python", "/usr/bin/python3");
        String remotePython = System.getProperty("execnet4j.bench.remotePython", "/usr/bin/python3");
        int rounds = Integer.getInteger("execnet4j.bench.rounds", 9);
        int warmups = Integer.getInteger("execnet4j.bench.warmups", 2);
        int pyWarmups = Integer.getInteger("execnet4j.bench.sshPyWarmups", 1);
        Path script = ExecnetRun.locateScript(GatewayVsExecnet.SCRIPT, "execnet4j.bench.gatewayScript");

        try (OpenSshServer sshd = OpenSshServer.start()) {
            String target = "-p " + sshd.port + " " + OpenSshServer.USER + "@127.0.0.1";
            String javaSpec = "ssh=" + target + "//python=" + remotePython;
            String pySpec = "ssh=-p " + sshd.port + " -i " + sshd.userKey + " -o UserKnownHostsFile=" + sshd.knownHosts
                    + " -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes " + OpenSshServer.USER + "@127.0.0.1"
                    + "//python=" + remotePython;
            SshTransportOptions options = SshTransportOptions.builder()
                    .sshDirectory(sshd.dir.resolve("no-ssh-dir"))       // no ~/.ssh keys, config or known_hosts
                    .knownHostsFile(sshd.knownHosts)
                    .noConfigFile()
                    .useAgent(false)
                    .useDefaultIdentities(false)
                    .identityFile(sshd.userKey)
                    .build();
            int[] connections = {-1};
            AlternatingRounds.Result r = AlternatingRounds.run(warmups, rounds,
                    () -> SshWorkload.runRound(options, javaSpec, connections), python, script,
                    List.of("--ssh-ready", "--spec", pySpec, "--ssh-warmups", String.valueOf(pyWarmups)),
                    GatewayMetric.SSH);

            System.out.println();
            System.out.println("=== execnet4j vs Python execnet: ssh gateway ready (median of " + r.java().size()
                    + " alternating rounds each) ===");
            System.out.printf(Locale.ROOT, "sshd: %s, started by the benchmark on 127.0.0.1:%d (temp dir %s)%n",
                    OpenSshServer.version(), sshd.port, sshd.dir);
            System.out.println("execnet4j: SshTransport (Apache MINA SSHD), spec " + javaSpec + ", a fresh transport "
                    + "per round; ssh connections held with both gateways open: " + connections[0]);
            System.out.println("execnet:   " + r.pyDescription() + ", spec " + pySpec + ", " + pyWarmups
                    + " untimed warm-up pair per process; one ssh process per gateway");
            System.out.println("per round: 1st gateway ready (launch + remote_exec(\"channel.send(1)\") + receive), "
                    + "2nd gateway to the same host ready while the 1st is open, then exit both");
            GatewayTable.printRows(System.out, GatewayMetric.SSH, r.java(), r.py());
            System.out.println("ratio = execnet4j / execnet, lower is better");
        }
        System.out.printf(Locale.ROOT, "total wall time: %.0f s%n", (System.nanoTime() - start) / 1e9);
    }
}
