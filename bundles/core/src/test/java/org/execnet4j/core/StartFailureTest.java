package org.execnet4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.execnet4j.api.GatewayClosedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A start that fails does so within the bootstrap timeout, leaves no process and says why in a bounded message. */
class StartFailureTest {
    private static final Duration BOOTSTRAP = Duration.ofSeconds(2);
    /** The interpreter command of a remote that never reads its input (the bootstrap line fills the pipe). */
    private static final String NEVER_READS = "sh -c 'exec sleep 1000'";

    @RegisterExtension
    final Gateways quickToGiveUp = new Gateways(EngineSettings.builder().bootstrapTimeout(BOOTSTRAP).build());

    @RegisterExtension
    final Gateways gateways = new Gateways();

    @Test
    void anInterpreterThatNeverReadsFailsWithinTheBootstrapTimeout() {
        GatewayClosedException e = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> assertThrows(GatewayClosedException.class, () -> quickToGiveUp.start("popen//python=" + NEVER_READS)));
        assertTrue(e.getMessage().contains("no handshake within"), e.getMessage());
        assertEquals(List.of(), LocalProcesses.descendantsRunning("sleep 1000"), "the interpreter was killed");
    }

    @Test
    void aHugePythonValueIsQuotedAbbreviatedOnce() {
        String python = "p".repeat(200_000);
        GatewayClosedException e = assertThrows(GatewayClosedException.class, () -> gateways.start("popen//python=" + python));
        assertTrue(e.getMessage().length() < 1000, "message of " + e.getMessage().length() + " characters");
        assertTrue(e.getMessage().contains("200014 characters"), e.getMessage());
    }

    @Test
    void theLastOutputInAStartFailureIsBounded() {
        String python = Gateways.python() + " -c \"import sys; sys.stderr.write('y' * 300000 + '\\n' + 'z' * 100); sys.exit(3)\"";
        GatewayClosedException e = assertThrows(GatewayClosedException.class, () -> gateways.start("popen//python=" + python));
        assertTrue(e.getMessage().length() < EngineSettings.DEFAULT_OUTPUT_TAIL + 2000,
                "message of " + e.getMessage().length() + " characters");
        assertTrue(e.getMessage().endsWith("z".repeat(100)), "the last output is kept: " + e.getMessage());
    }
}
