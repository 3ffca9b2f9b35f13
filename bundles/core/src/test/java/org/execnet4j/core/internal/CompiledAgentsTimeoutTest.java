package org.execnet4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.execnet4j.api.Spec;
import org.execnet4j.api.Transport;
import org.execnet4j.core.TransportLocator;
import org.junit.jupiter.api.Test;

/** The agent compiler is bounded: an interpreter wrapper that never reads its input is killed at the timeout. */
class CompiledAgentsTimeoutTest {
    @Test
    void aCompilerThatNeverReadsIsKilledAtTheTimeout() {
        Spec spec = Spec.parse("popen//python=sh -c 'exec sleep 1001'");
        Transport popen = TransportLocator.serviceLoader(getClass().getClassLoader()).find("popen").orElseThrow();
        CompiledAgents agents = new CompiledAgents(Duration.ofSeconds(1));
        Optional<CompiledAgents.Compiled> compiled = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> agents.compile("key", spec, popen));
        assertEquals(Optional.empty(), compiled);
        assertEquals(List.of(), ProcessHandle.current().descendants()
                .filter(p -> p.isAlive() && p.info().commandLine().orElse("").contains("sleep 1001")).map(ProcessHandle::pid).toList());
    }
}
