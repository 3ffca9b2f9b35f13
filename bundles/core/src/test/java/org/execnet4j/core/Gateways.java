package org.execnet4j.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.execnet4j.api.Gateway;
import org.execnet4j.api.Spec;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts real gateways for tests and exits every one of them after each test. The interpreter
 * comes from the system property {@code execnet4j.python} (set by the build), default python3.
 */
final class Gateways implements AfterEachCallback {
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final AtomicInteger IDS = new AtomicInteger();

    private final GatewayLauncher launcher;
    private final List<Gateway> started = new ArrayList<>();

    Gateways() {
        this(EngineSettings.DEFAULTS);
    }

    Gateways(EngineSettings settings) {
        Assumptions.assumeTrue(onPath(python()), "the test interpreter " + python() + " is not installed");
        this.launcher = new GatewayLauncher(TransportLocator.serviceLoader(Gateways.class.getClassLoader()), settings);
    }

    private static boolean onPath(String program) {
        if (program.contains("/")) {
            return java.nio.file.Files.isExecutable(java.nio.file.Path.of(program));
        }
        return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(dir -> java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, program)));
    }

    static String python() {
        return System.getProperty("execnet4j.python", "python3");
    }

    /** A popen gateway to the test interpreter, with extra spec items appended. */
    Gateway popen(String... extraItems) {
        StringBuilder spec = new StringBuilder("popen//python=").append(python());
        for (String item : extraItems) {
            spec.append("//").append(item);
        }
        return start(spec.toString());
    }

    Gateway start(String spec) {
        Gateway gw = launcher.launch(Spec.parse(spec), "gw" + IDS.getAndIncrement());
        synchronized (started) {
            started.add(gw);
        }
        return gw;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        synchronized (started) {
            started.forEach(gw -> gw.exit(Duration.ofSeconds(5)));
            started.clear();
        }
    }
}
