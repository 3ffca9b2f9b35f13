package org.execnet4j.transport.ssh;

import static org.execnet4j.transport.ssh.SshServers.LOGIN_TIMEOUT;
import static org.execnet4j.transport.ssh.SshServers.USER;
import static org.execnet4j.transport.ssh.SshServers.keygen;
import static org.execnet4j.transport.ssh.SshServers.knownHostsLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

import org.execnet4j.api.Gateway;
import org.execnet4j.api.GatewayClosedException;
import org.execnet4j.api.Spec;
import org.execnet4j.core.EngineSettings;
import org.execnet4j.core.ForkedGatewayChecks;
import org.execnet4j.core.GatewayLauncher;
import org.execnet4j.core.PendingLaunch;
import org.execnet4j.core.WarmPool;
import org.execnet4j.testing.Await;
import org.execnet4j.testing.OpenSshd;
import org.execnet4j.testing.PythonProcesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Warm start over ssh (README "Fast start"), against Debian's OpenSSH sshd on a loopback port:
 * gateways forked from a warm interpreter on the ssh server, reached through
 * {@code direct-streamlocal} channels on the shared connection, show what fresh ones show, have
 * their own exit status, kill and output, and leave nothing behind on the server; a server that
 * refuses such channels gets fresh gateways.
 */
class WarmSshTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** What a gateway's remote sees of its interpreter, besides remoteInfo(). */
    private static final String FACTS = """
            import os, sys
            channel.send((sorted(os.environ.items()), list(sys.path), list(sys.argv), os.getcwd(),
                          os.getsid(0) == os.getpid(), channel.gateway.execmodel.backend))
            """;
    /** The name of the gateway's parent process on the server: python3 for a forked one. */
    private static final String PARENT = "import os; channel.send(open('/proc/%d/comm' % os.getppid()).read().strip())";

    @TempDir
    Path dir;

    private SshServers.Key userKey;
    private Path knownHosts;
    private SshServers.OpenSsh sshd;
    private SshServers.Mina mina;
    private SshTransport transport;
    private GatewayLauncher launcher;
    private WarmPool pool;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final List<Gateway> started = new CopyOnWriteArrayList<>();
    private final List<Long> remotePids = new CopyOnWriteArrayList<>();

    @BeforeEach
    void keys() throws Exception {
        Assumptions.assumeTrue(OpenSshd.isInstalled(), "OpenSSH's sshd is not installed");
        Assumptions.assumeTrue("root".equals(USER), "the test sshd needs root (it logs in as the JVM's user)");
        userKey = keygen(dir.resolve("id_user"), "");
        knownHosts = dir.resolve("known_hosts");
    }

    private void startSshd(String... extraConfig) throws Exception {
        sshd = new SshServers.OpenSsh(dir, List.of(extraConfig), userKey);
        Files.writeString(knownHosts, knownHostsLine(sshd.port, sshd.hostKey) + "\n");
        startTransport();
    }

    private void startTransport() {
        transport = new SshTransport(SshTransportOptions.builder().sshDirectory(dir.resolve("no-ssh-dir"))
                .knownHostsFile(knownHosts).noConfigFile().useAgent(false).identityFile(userKey.file())
                .authTimeout(LOGIN_TIMEOUT).build());
        launcher = new GatewayLauncher(type -> Optional.of(transport), EngineSettings.builder().warmStart(true)
                .remoteOutput((id, line) -> output.add(id + ": " + line)).build());
        pool = launcher.newWarmPool();
    }

    @AfterEach
    void stop() throws IOException {
        started.forEach(gw -> gw.exit(Duration.ofSeconds(5)));
        if (launcher != null) {
            pool.close();
            launcher.abortCompiles();
        }
        if (transport != null) {
            transport.close();
        }
        if (sshd != null) {
            sshd.close();
        }
        if (mina != null) {
            mina.close();
        }
    }

    private String spec(String items) {
        return "ssh=-p " + (sshd != null ? sshd.port : mina.port()) + " " + USER + "@127.0.0.1" + items;
    }

    private Gateway start(String items, String id) {
        Spec parsed = Spec.parse(spec(items));
        Gateway gw = launcher.launch(parsed, id, transport, launcher.settings(), new PendingLaunch(), pool);
        started.add(gw);
        remotePids.add(gw.remoteInfo(TIMEOUT).pid());
        return gw;
    }

    /** A gateway forked from its kind's warm interpreter: those started while it starts are fresh ones. */
    private Gateway forked(String items, String id) {
        return Await.awaitValue("a gateway forked from a warm interpreter on the ssh server", () -> {
            Gateway gw = start(items, id);
            if (isForked(gw)) {
                return gw;
            }
            gw.exit(Duration.ofSeconds(5));
            return null;
        }, TIMEOUT);
    }

    private static boolean isForked(Gateway gw) {
        return String.valueOf(gw.remoteExec(PARENT).receive(TIMEOUT)).startsWith("python");
    }

    private static long parentPid(Gateway gw) {
        return ((Number) gw.remoteExec("import os; channel.send(os.getppid())").receive(TIMEOUT)).longValue();
    }

    /** Every gateway process seen and every warm interpreter has ended, and sshd runs no Python any more. */
    private void awaitNothingLeft(List<Long> warm) {
        List<Long> all = new ArrayList<>(remotePids);
        all.addAll(warm);
        Await.await("no gateway or warm interpreter left on the server: " + all,
                () -> all.stream().noneMatch(PythonProcesses::isRunning) && PythonProcesses.below(sshd.process.toHandle()).isEmpty());
    }

    private String sshdLog() {
        try {
            return sshd.log();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aForkedGatewayShowsWhatAFreshOneShows() throws Exception {
        startSshd();
        for (String items : List.of("", "//execmodel=main_thread_only", "//chdir=/tmp//env:WARM_TEST=1")) {
            Gateway first = forked(items, "first");
            Gateway forked = start(items, "forked");
            Gateway fresh = start(items + "//fresh", "fresh");
            assertFalse(isForked(fresh), "the //fresh gateway is sshd's");
            assertEquals(parentPid(first), parentPid(forked), "a later gateway is forked from the same warm interpreter");

            ForkedGatewayChecks.showWhatAFreshOneShows(fresh, List.of(first, forked), FACTS, UnaryOperator.identity(), items);
            List.of(fresh, first, forked).forEach(gw -> gw.exit(Duration.ofSeconds(5)));
        }
        assertEquals(1, transport.openConnections(), "the warm interpreters and their gateways share one connection");
    }

    @Test
    void everyGatewayToAHostIsForkedFromAWarmInterpreterStartedWithTheFirst() throws Exception {
        startSshd();
        Gateway first = start("", "first");
        Gateway second = start("", "second");
        Gateway third = start("", "third");
        assertTrue(isForked(first), "the first gateway is forked: its warm interpreter started with it");
        long warm = parentPid(first);
        assertEquals(warm, parentPid(second), "the second is forked from the same warm interpreter");
        assertEquals(warm, parentPid(third), "the third too");
        assertEquals(1, sshdLog().split("Starting session: command", -1).length - 1,
                "one session (the warm interpreter; no fresh gateway, no agent compiler): " + sshdLog());
        List.of(first, second, third).forEach(gw -> gw.exit(Duration.ofSeconds(5)));
        pool.close();
        awaitNothingLeft(List.of(warm));
        Await.await("the connection closes with the warm interpreter", () -> transport.openConnections() == 0);
    }

    @Test
    void outputExitStatusAndKillAreTheGatewaysOwn() throws Exception {
        startSshd();
        ForkedGatewayChecks.outputAndKillAreTheGatewaysOwn(id -> forked("", id), output);
        ForkedGatewayChecks.reportsItsOwnExitCode(forked("", "ends"), "forked");
    }

    @Test
    void aBurstOfGatewaysWaitsForTheWarmInterpreterAndIsForked() throws Exception {
        startSshd();
        List<java.util.concurrent.CompletableFuture<Gateway>> burst = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String id = "burst" + i;
            burst.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> start("", id)));
        }
        long forked = burst.stream().map(java.util.concurrent.CompletableFuture::join).filter(WarmSshTest::isForked).count();
        assertEquals(6, forked, "a burst is forked from the warm interpreter it waits for");
    }

    @Test
    void theWarmInterpreterEndsWithItsOwnerAndLeavesNothing() throws Exception {
        startSshd();
        Gateway gw = forked("", "w1");
        List<Long> warm = List.of(parentPid(gw));
        gw.exit(Duration.ofSeconds(5));
        assertTrue(PythonProcesses.isRunning(warm.get(0)), "the warm interpreter outlives its gateways");
        assertEquals(1, transport.openConnections(), "the warm interpreter holds the connection");
        pool.close();   // as its group does at terminate
        awaitNothingLeft(warm);
        Await.await("the connection closes with the warm interpreter", () -> transport.openConnections() == 0);
    }

    @Test
    void theWarmInterpreterAndItsGatewaysEndWithTheTransport() throws Exception {
        startSshd();
        Gateway gw = forked("", "t1");
        List<Long> warm = List.of(parentPid(gw));
        transport.close();
        assertThrows(GatewayClosedException.class, () -> gw.remoteExec("pass").waitClose(TIMEOUT));
        awaitNothingLeft(warm);
    }

    @Test
    void aServerThatRefusesUnixSocketsGetsFreshGateways() throws Exception {
        startSshd("AllowStreamLocalForwarding no");
        Await.await("a gateway that tried to fork and was refused", () -> {
            assertFalse(isForked(start("", "r0")), "a fresh gateway");
            return sshdLog().contains("refused streamlocal");
        }, TIMEOUT);
        for (int i = 1; i <= 3; i++) {
            Gateway gw = start("", "r" + i);
            assertFalse(isForked(gw), "a fresh gateway");
            SshServers.assertEcho(gw);
        }
        started.forEach(gw -> gw.exit(Duration.ofSeconds(5)));
        awaitNothingLeft(List.of());
        assertEquals(1, sshdLog().split("refused streamlocal", -1).length - 1, "asked once: " + sshdLog());
    }

    @Test
    void minaSshdsServerDoesNotKnowTheChannelAndGetsFreshGateways() throws Exception {
        mina = new SshServers.Mina(dir).authorize(userKey);
        Files.writeString(knownHosts, knownHostsLine(mina.port(), mina.hostKey) + "\n");
        startTransport();
        for (int i = 0; i < 4; i++) {
            Gateway gw = start("", "m" + i);   // the 1st waits for the warm interpreter, is refused, starts fresh
            assertFalse(isForked(gw), "a fresh gateway");
            SshServers.assertEcho(gw);
        }
        assertTrue(mina.commands.size() <= 4 + 2, "4 gateways, 1 warm interpreter (not started again after the"
                + " refusal), at most 1 agent compiler: " + mina.commands.size() + " commands");
    }
}
