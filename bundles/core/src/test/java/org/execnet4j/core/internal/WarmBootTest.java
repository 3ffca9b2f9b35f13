package org.execnet4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.execnet4j.api.Gateway;
import org.execnet4j.api.Spec;
import org.execnet4j.api.Transport;
import org.execnet4j.api.spi.UnixSocketReach;
import org.execnet4j.core.EngineSettings;
import org.execnet4j.core.TransportLocator;
import org.execnet4j.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A warm interpreter's boot ({@link BootLines}): the first one of a Python version compiles the
 * socket server and the agent from the source it asks for and stores the code in the cache
 * directory on its machine; the next one loads that code instead, and serves all the same; a file
 * that is damaged or that others may write to is not loaded (the interpreter asks for the source
 * again), and with the agent cache off nothing is stored. An interpreter that answers anything
 * else fails at once, naming what it answered, instead of keeping its gateways waiting.
 */
class WarmBootTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final Transport popen = TransportLocator.serviceLoader(getClass().getClassLoader()).find("popen").orElseThrow();
    private final Spec spec = Spec.parse("popen//python=" + System.getProperty("execnet4j.python", "python3"));
    private String previous;

    @BeforeEach
    void useTheTestsCache() {
        previous = System.getProperty(AgentCache.PROPERTY);
        System.setProperty(AgentCache.PROPERTY, dir.resolve("cache").toString());
    }

    @AfterEach
    void restore() {
        if (previous == null) {
            System.clearProperty(AgentCache.PROPERTY);
        } else {
            System.setProperty(AgentCache.PROPERTY, previous);
        }
    }

    private WarmInterpreter start() throws IOException {
        return WarmInterpreter.start(spec, popen, (UnixSocketReach) popen, TIMEOUT, process -> { });
    }

    private List<Path> cacheFiles() {
        Path cache = dir.resolve("cache");
        if (!Files.isDirectory(cache)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(cache)) {
            return files.filter(f -> f.getFileName().toString().startsWith("warm-")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The warm interpreter forks a gateway that runs code, then stops. */
    private void assertServesAndClose(WarmInterpreter warm) throws IOException {
        try {
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("id", "booted-worker");
            config.put("execmodel", "thread");
            config.put("io", "stdio");
            WarmChild child = warm.fork("booted", TIMEOUT, AgentProgram.warmBootstrapLine(config, false));
            Gateway gw = GatewayStart.start("booted", spec, popen, child, EngineSettings.DEFAULTS, config, null, false);
            assertEquals(42L, ((Number) gw.remoteExec("channel.send(6 * 7)").receive(TIMEOUT)).longValue());
            gw.exit(Duration.ofSeconds(5));
        } finally {
            warm.close();
        }
    }

    @Test
    void theFirstWarmInterpreterStoresItsCodeAndTheNextLoadsIt() throws Exception {
        WarmInterpreter first = start();
        assertFalse(first.bootedFromCache(), "nothing cached yet: it asked for the source");
        Await.await("the compiled code stored in the cache directory", () -> cacheFiles().size() == 1, TIMEOUT);
        assertServesAndClose(first);

        WarmInterpreter second = start();
        assertTrue(second.bootedFromCache(), "the next one loads the code");
        assertServesAndClose(second);
        assertEquals(1, cacheFiles().size());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("cache"))));
    }

    @Test
    void aDamagedFileIsNotLoadedAndIsStoredAnew() throws Exception {
        start().close();
        Await.await("the compiled code stored", () -> cacheFiles().size() == 1, TIMEOUT);
        Path file = cacheFiles().get(0);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 5] ^= 0x5a;
        Files.write(file, bytes);

        WarmInterpreter damaged = start();
        assertFalse(damaged.bootedFromCache(), "a damaged file is not loaded: it asked for the source");
        assertServesAndClose(damaged);
        Await.await("the file stored anew", () -> !java.util.Arrays.equals(bytes, readQuietly(file)), TIMEOUT);
        WarmInterpreter again = start();
        assertTrue(again.bootedFromCache());
        again.close();
    }

    @Test
    void aFileOthersMayWriteToIsNotLoaded() throws Exception {
        start().close();
        Await.await("the compiled code stored", () -> cacheFiles().size() == 1, TIMEOUT);
        Files.setPosixFilePermissions(cacheFiles().get(0), PosixFilePermissions.fromString("rw--w--w-"));
        WarmInterpreter warm = start();
        assertFalse(warm.bootedFromCache(), "not loaded: others may write to it");
        assertServesAndClose(warm);
    }

    @Test
    void withTheAgentCacheOffNothingIsStored() throws Exception {
        System.setProperty(AgentCache.PROPERTY, AgentCache.OFF);
        WarmInterpreter first = start();
        assertFalse(first.bootedFromCache());
        assertServesAndClose(first);
        WarmInterpreter second = start();
        assertFalse(second.bootedFromCache(), "compiled again: no cache");
        second.close();
        assertFalse(Files.exists(dir.resolve("cache")));
    }

    @Test
    void anInterpreterThatAnswersSomethingElseFailsAtOnceNamingTheAnswer() {
        Spec notPython = Spec.parse("popen//python=sh -c 'read line; printf 1XXXXXXXXXXXXXXX; cat > /dev/null' sh");
        List<Long> before = ProcessHandle.current().children().map(ProcessHandle::pid).toList();
        IOException e = assertThrows(IOException.class,
                () -> WarmInterpreter.start(notPython, popen, (UnixSocketReach) popen, Duration.ofMinutes(2), process -> { }));
        assertTrue(e.getMessage().contains("answered '1XXXXXXXXXXXXXXX' instead of its ready line"), e.getMessage());
        Await.await("its process to end", () -> before.containsAll(
                ProcessHandle.current().children().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList()));
    }

    private static byte[] readQuietly(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
