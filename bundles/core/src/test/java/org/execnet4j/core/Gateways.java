package org.execnet4j.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.execnet4j.api.Gateway;
import org.execnet4j.api.Spec;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts real gateways for tests and exits every one of them after each test. The interpreter
 * comes from the system property {@code execnet4j.python} (set by the build), default python3.
 * With the system property {@code execnet4j.test.forked=true} (the build's run "forked") every
 * gateway is forked from a warm interpreter, so the same tests check that a forked gateway
 * behaves as a fresh one does.
 */
final class Gateways implements AfterEachCallback {
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final boolean FORKED = Boolean.getBoolean("execnet4j.test.forked");
    /** The warm interpreters of the forked run: one pool for the JVM, so each kind's starts once. */
    private static final WarmPool POOL = new WarmPool(Duration.ofSeconds(30));
    /** The specs whose warm interpreter is known to be ready (or known not to start). */
    private static final Set<String> WARMED = ConcurrentHashMap.newKeySet();

    private final GatewayLauncher launcher;
    private final List<Gateway> started = new ArrayList<>();

    Gateways() {
        this(EngineSettings.DEFAULTS);
    }

    Gateways(EngineSettings settings) {
        Assumptions.assumeTrue(onPath(python()), "the test interpreter " + python() + " is not installed");
        this.launcher = new GatewayLauncher(TransportLocator.serviceLoader(Gateways.class.getClassLoader()),
                FORKED ? settings.toBuilder().warmStart(true).build() : settings);
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
        Gateway gw = FORKED ? forked(Spec.parse(spec), "gw" + IDS.getAndIncrement())
                : launcher.launch(Spec.parse(spec), "gw" + IDS.getAndIncrement());
        synchronized (started) {
            started.add(gw);
        }
        return gw;
    }

    private Gateway forked(Spec spec, String id) {
        if (WARMED.add(spec.toString())) {
            warmUp(spec);
        }
        return launcher.launch(spec, id, launcher.transportFor(spec, id), launcher.settings(), new PendingLaunch(), POOL);
    }

    /**
     * Starts gateways of the spec until one is forked (the first of a kind starts fresh and has its
     * warm interpreter started), so the test's own gateways are forked; gives up after three seconds
     * or a start that fails (a spec no interpreter starts with, which the test expects).
     */
    private void warmUp(Spec spec) {
        long jvm = ProcessHandle.current().pid();
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (System.nanoTime() < deadline) {
            try (Gateway gw = launcher.launch(spec, "warm-up", launcher.transportFor(spec, "warm-up"), launcher.settings(),
                    new PendingLaunch(), POOL)) {
                if (((Number) gw.remoteExec("import os; channel.send(os.getppid())").receive(TIMEOUT)).longValue() != jvm) {
                    return;
                }
            } catch (RuntimeException e) {
                return;
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        synchronized (started) {
            started.forEach(gw -> gw.exit(Duration.ofSeconds(5)));
            started.clear();
        }
    }
}
