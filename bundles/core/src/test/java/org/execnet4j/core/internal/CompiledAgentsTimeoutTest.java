package org.execnet4j.core.internal;

import java.time.Duration;
import java.util.List;

import org.execnet4j.api.Spec;
import org.execnet4j.api.Transport;
import org.execnet4j.core.TransportLocator;
import org.execnet4j.testing.Await;
import org.junit.jupiter.api.Test;

/** The agent compiler is bounded: an interpreter wrapper that never reads its input is killed at the timeout. */
class CompiledAgentsTimeoutTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aCompilerThatNeverReadsIsKilledAtTheTimeout() {
        Spec spec = Spec.parse("popen//python=sh -c 'exec sleep 1001'");
        Transport popen = TransportLocator.serviceLoader(getClass().getClassLoader()).find("popen").orElseThrow();
        CompiledAgents agents = new CompiledAgents(Duration.ofSeconds(1));
        agents.learn(spec, popen);
        Await.await("the compiling process to start", () -> !compilers().isEmpty(), WAIT);
        Await.await("the compiling process, which never reads the agent, to be killed at the timeout",
                () -> compilers().isEmpty(), WAIT);
    }

    private static List<Long> compilers() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.isAlive() && p.info().commandLine().orElse("").contains("sleep 1001"))
                .map(ProcessHandle::pid).toList();
    }
}
