package org.execnet4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.execnet4j.api.Gateway;
import org.execnet4j.core.EngineSettings;
import org.execnet4j.core.GatewayLauncher;
import org.execnet4j.core.TransportLocator;
import org.execnet4j.group.DefaultGatewayFactory;
import org.execnet4j.trace.Tracing;
import org.execnet4j.trace.internal.FileTracer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** EXECNET_DEBUG=1: the host traces frames to its file, and the remote agent writes a trace file of its own. */
class TracingEndToEndTest {

    @Test
    void hostAndRemoteBothTrace(@TempDir Path dir) throws Exception {
        FileTracer tracer = (FileTracer) Tracing.forSetting("1", dir);
        GatewayLauncher launcher = new GatewayLauncher(TransportLocator.serviceLoader(getClass().getClassLoader()),
                EngineSettings.builder().tracer(tracer).build());
        long remotePid;
        try (DefaultGatewayFactory factory = new DefaultGatewayFactory(launcher)) {
            Gateway gw = factory.makeGateway(GroupTest.POPEN);
            remotePid = gw.remoteInfo(Duration.ofSeconds(20)).pid();
            gw.remoteExec("channel.send(1)").receive(Duration.ofSeconds(20));
        }
        List<String> lines = Files.readAllLines(tracer.file());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("gw0 sent <Message CHANNEL_EXEC channel=")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("gw0 [receiver-thread] received <Message CHANNEL_DATA")),
                lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("GATEWAY_TERMINATE")), lines.toString());
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> files = Files.list(tmp)) {
            List<Path> remoteTraces = files.filter(p -> p.getFileName().toString().startsWith("execnet-debug-" + remotePid + "-"))
                    .toList();
            assertTrue(!remoteTraces.isEmpty(), "the remote wrote a trace file");
            for (Path p : remoteTraces) {
                assertTrue(Files.readString(p).contains("gw0-worker"), Files.readString(p));
                Files.delete(p);
            }
        }
    }
}
