package org.execnet4j.core;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.execnet4j.api.Gateway;
import org.execnet4j.api.Spec;
import org.execnet4j.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a gateway forked from a warm interpreter starts ends with it when it exits by itself, as
 * with a fresh gateway: the warm interpreter kills the gateway's process group as it reaps it,
 * and once the warm interpreter is gone the gateway's agent does so itself.
 */
class WarmProcessGroupTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Starts a process in the gateway's group whose parent exits at once: an orphan no descendant walk finds. */
    private static final String ORPHAN = """
            import subprocess
            out = subprocess.check_output(['sh', '-c', 'sleep 777 >/dev/null 2>&1 & echo $!'])
            channel.send(int(out))
            """;

    private final GatewayLauncher launcher = new GatewayLauncher(TransportLocator.serviceLoader(getClass().getClassLoader()),
            EngineSettings.builder().warmStart(true).build());
    private final WarmPool pool = launcher.newWarmPool();

    @AfterEach
    void end() {
        pool.close();
        launcher.abortCompiles();
    }

    /** A gateway forked from the warm interpreter (the first ones start fresh while it starts). */
    private Gateway forked() {
        long jvm = ProcessHandle.current().pid();
        return Await.awaitValue("a gateway forked from a warm interpreter", () -> {
            Spec spec = Spec.parse("popen//python=" + Gateways.python());
            Gateway gw = launcher.launch(spec, "gw", launcher.transportFor(spec, "gw"), launcher.settings(), new PendingLaunch(), pool);
            if (((Number) gw.remoteExec("import os; channel.send(os.getppid())").receive(TIMEOUT)).longValue() != jvm) {
                return gw;
            }
            gw.exit(Duration.ofSeconds(5));
            return null;
        }, TIMEOUT);
    }

    private static void exitsAndTakesItsOrphanAlong(Gateway gw) throws Exception {
        long orphan = ((Number) gw.remoteExec(ORPHAN).receive(TIMEOUT)).longValue();
        try {
            assertTrue(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false), "the orphan runs");
            CompletableFuture<?> ended = gw.whenEnded().toCompletableFuture();
            gw.exit(Duration.ofSeconds(10));
            ended.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            Await.await("the orphan in the gateway's process group to end with it",
                    () -> ProcessHandle.of(orphan).map(p -> !p.isAlive()).orElse(true));
        } finally {
            ProcessHandle.of(orphan).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void theWarmInterpreterKillsTheGroupOfAGatewayThatExited() throws Exception {
        exitsAndTakesItsOrphanAlong(forked());
    }

    @Test
    void aGatewayWhoseWarmInterpreterIsGoneKillsItsGroupItself() throws Exception {
        Gateway gw = forked();
        long warm = ((Number) gw.remoteExec("import os; channel.send(os.getppid())").receive(TIMEOUT)).longValue();
        pool.close();       // stops the warm interpreter; its gateways run on
        Await.await("the warm interpreter to end", () -> ProcessHandle.of(warm).map(p -> !p.isAlive()).orElse(true));
        assertNotEquals(warm, ((Number) gw.remoteExec("import os; channel.send(os.getppid())").receive(TIMEOUT)).longValue(),
                "the gateway has another parent now");
        exitsAndTakesItsOrphanAlong(gw);
    }
}
