package org.execnet4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** A plain {@code popen} spec on a machine without python3 on PATH fails with an error that says so. */
class NoPythonOnPathTest {

    /** Runs in a JVM whose PATH has no python3 and prints what makeGateway says. */
    public static final class Probe {
        public static void main(String[] args) {
            try {
                Execnet.makeGateway("popen").exit();
                System.out.println("started?!");
            } catch (RuntimeException e) {
                System.out.println(e.getMessage());
            }
        }
    }

    @Test
    void theErrorNamesTheMissingInterpreterAndTheWayOut() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Probe.class.getName());
        builder.environment().put("PATH", "/nonexistent");
        Process probe = builder.redirectErrorStream(true).start();
        String out = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(probe.waitFor(30, TimeUnit.SECONDS));
        assertTrue(out.contains("no python3 on PATH; name an interpreter with python=... in the spec"), out);
    }
}
