package org.execnet4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.execnet4j.api.Connection;
import org.execnet4j.api.Spec;
import org.execnet4j.api.Transport;
import org.execnet4j.testing.Await;
import org.junit.jupiter.api.Test;

/**
 * Killing a popen connection whose process leads its own process group (as our agent does) kills
 * the whole group: also a member that was orphaned before anybody looked, which no descendant
 * walk finds.
 */
class ProcessGroupKillTest {
    /** Unique to this run, so the processes are told apart from those of other builds on the machine. */
    private static final long SECONDS = 2_000_000 + new java.util.Random().nextInt(1_000_000);

    @Test
    void killReachesAnOrphanInTheLeadersGroup() throws Exception {
        Transport popen = TransportLocator.serviceLoader(getClass().getClassLoader()).find("popen").orElseThrow();
        Connection connection = popen.open(Spec.parse("popen//python=setsid sh -c '(sleep " + SECONDS + " &); exec sleep " + (SECONDS + 1) + "'"), List.of());
        try {
            long orphan = Await.awaitValue("the orphan to run", () -> ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine().orElse("").endsWith("sleep " + SECONDS)).map(ProcessHandle::pid)
                    .findFirst().orElse(null), Duration.ofSeconds(30));
            Await.await("the leader to run", () -> !LocalProcesses.descendantsRunning("sleep " + (SECONDS + 1)).isEmpty());
            Await.await("the orphan to be nobody's descendant", () -> ProcessHandle.current().descendants().noneMatch(p -> p.pid() == orphan));

            connection.kill();

            assertTrue(LocalProcesses.gone(orphan, Duration.ofSeconds(10)), "the orphan in the killed leader's group is gone");
            // kill() signals and does not wait: the SIGKILLed leader may not have been scheduled to die yet
            Await.await("the killed leader to end", () -> LocalProcesses.descendantsRunning("sleep " + (SECONDS + 1)).isEmpty(),
                    Duration.ofSeconds(10));
            assertEquals(List.of(), LocalProcesses.descendantsRunning("sleep " + (SECONDS + 1)));
        } finally {
            connection.kill();
        }
    }
}
