package org.execnet4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.execnet4j.api.Connection;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.Spec;
import org.execnet4j.api.Transport;
import org.execnet4j.core.EngineSettings;
import org.execnet4j.core.TransportLocator;
import org.execnet4j.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's bytecode in a file of the agent cache: a fresh interpreter runs it from there, and a
 * file that is stale (another interpreter version) or corrupt is not run but asked past, and
 * written anew.
 */
class AgentCacheTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PYTHON = System.getProperty("execnet4j.python", "python3");

    @TempDir
    Path dir;

    private final Transport popen = TransportLocator.serviceLoader(getClass().getClassLoader()).find("popen").orElseThrow();
    private final Spec spec = Spec.parse("popen//python=" + PYTHON);

    /** A background compile writes its file, then its note: the cache directory is deleted after both. */
    @AfterEach
    void awaitBackgroundCompiles() {
        Await.await("the background compiles to end", () -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.isAlive() && t.getName().equals("execnet4j-agent-compiler")), WAIT);
    }

    @Test
    void aFreshInterpreterRunsTheAgentFromItsFile() throws Exception {
        CompiledAgents.Compiled compiled = compile(new CompiledAgents(WAIT, new AgentCache(Optional.of(dir))));
        AgentCache.Entry file = compiled.file().orElseThrow();
        assertTrue(file.file().startsWith(dir) && Files.size(file.file()) == file.length(), "the bytecode is in the cache");
        assertEquals(List.of('1'), answers(AgentProgram.cachedAgentLine(config(), compiled, file), compiled),
                "the handshake comes at once: the agent ran from the file");
    }

    @Test
    void aCorruptFileIsNotRunAndIsWrittenAnew() throws Exception {
        CompiledAgents agents = new CompiledAgents(WAIT, new AgentCache(Optional.of(dir)));
        CompiledAgents.Compiled compiled = compile(agents);
        Path file = compiled.file().orElseThrow().file();
        byte[] good = Files.readAllBytes(file);
        // still valid bytecode (a changed string constant), which only the checksum tells from the compiled one
        String text = new String(good, StandardCharsets.ISO_8859_1);
        assertTrue(text.contains("gw-worker"));
        Files.write(file, text.replace("gw-worker", "gw-wOrker").getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(List.of((char) AgentProgram.AGENT_WANTED, '1'),
                answers(AgentProgram.cachedAgentLine(config(), compiled, compiled.file().get()), compiled),
                "the interpreter asks for the agent instead of running the corrupt file, then starts");

        Connection connection = popen.open(spec, AgentProgram.pythonArgs(false));
        Gateway gw = GatewayStart.start("gw-corrupt", spec, popen, connection, EngineSettings.DEFAULTS, config(), agents, true);
        try {
            assertEquals(42, gw.remoteExec("channel.send(6 * 7)").receive(WAIT), "the gateway works all the same");
        } finally {
            gw.exit(Duration.ofSeconds(5));
        }
        Await.await("the file to be written anew", () -> Arrays.equals(good, readQuietly(file)), WAIT);
        assertArrayEquals(good, Files.readAllBytes(file));
    }

    @Test
    void aFileForAnotherInterpreterVersionIsNotRead() throws Exception {
        CompiledAgents.Compiled compiled = compile(new CompiledAgents(WAIT, new AgentCache(Optional.of(dir))));
        CompiledAgents.Compiled stale = new CompiledAgents.Compiled(compiled.cacheTag(), compiled.hexVersion() - 1,
                compiled.compressedBase64(), compiled.file());
        assertEquals(List.of((char) AgentProgram.AGENT_WANTED, '1'),
                answers(AgentProgram.cachedAgentLine(config(), stale, stale.file().get()), compiled),
                "an interpreter of another version asks for the agent");
    }

    @Test
    void theFirstGatewayOfANewLauncherRunsTheAgentFromTheFileAFormerOneWrote() throws Exception {
        CompiledAgents.Compiled compiled = compile(new CompiledAgents(WAIT, new AgentCache(Optional.of(dir))));
        CompiledAgents next = new CompiledAgents(WAIT, new AgentCache(Optional.of(dir)));
        CompiledAgents.Compiled recalled = next.get(spec).orElseThrow(() -> new AssertionError("no file noted for " + spec));
        assertEquals(compiled.file(), recalled.file(), "the file the former launcher wrote");
        assertEquals(List.of('1'), answers(AgentProgram.cachedAgentLine(config(), recalled, recalled.file().get()), compiled),
                "the handshake comes at once: the agent ran from the file");
        assertEquals(42, startAndAsk(next, "gw-recalled"), "a gateway of the new launcher");
        assertEquals(Optional.of(recalled), next.get(spec), "nothing to compile: the file is used as it is");
    }

    @Test
    void aNoteOfAnInterpreterThatChangedIsForgottenAndTheGatewayStartsAllTheSame() throws Exception {
        CompiledAgents.Compiled compiled = compile(new CompiledAgents(WAIT, new AgentCache(Optional.of(dir))));
        Path note = onlyFile("interpreter-");
        // the interpreter at that path was another version when the note was written
        Path file = compiled.file().orElseThrow().file();
        String older = Long.toHexString(compiled.hexVersion() - 1);
        Files.copy(file, file.resolveSibling(file.getFileName().toString().replace(Long.toHexString(compiled.hexVersion()), older)));
        Files.writeString(note, compiled.cacheTag() + " " + (compiled.hexVersion() - 1) + "\n");

        CompiledAgents next = new CompiledAgents(WAIT, new AgentCache(Optional.of(dir)));
        assertEquals(compiled.hexVersion() - 1, next.get(spec).orElseThrow().hexVersion(), "the stale note is believed at first");
        assertEquals(42, startAndAsk(next, "gw-stale"), "the interpreter asks for the agent and starts");
        String current = compiled.cacheTag() + " " + compiled.hexVersion();
        Await.await("the agent to be compiled anew and noted", () -> next.get(spec).filter(c -> c.hexVersion() == compiled.hexVersion())
                .isPresent() && current.equals(new String(readQuietly(note), StandardCharsets.US_ASCII).strip()), WAIT);
    }

    private int startAndAsk(CompiledAgents agents, String id) throws IOException {
        Connection connection = popen.open(spec, AgentProgram.pythonArgs(false));
        Gateway gw = GatewayStart.start(id, spec, popen, connection, EngineSettings.DEFAULTS, config(), agents, true);
        try {
            return ((Number) gw.remoteExec("channel.send(6 * 7)").receive(WAIT)).intValue();
        } finally {
            gw.exit(Duration.ofSeconds(5));
        }
    }

    private Path onlyFile(String prefix) throws IOException {
        try (var files = Files.list(dir)) {
            List<Path> found = files.filter(f -> f.getFileName().toString().startsWith(prefix)).toList();
            assertEquals(1, found.size(), "files " + prefix + "*: " + found);
            return found.get(0);
        }
    }

    @Test
    void anInterpreterThatRefusesTheFileTwiceGetsItsBytecodeOnItsStdinAgain() {
        CompiledAgents agents = new CompiledAgents(WAIT, new AgentCache(Optional.of(dir)));
        assertTrue(compile(agents).file().isPresent());
        agents.fileRefused(spec);
        assertEquals(Optional.empty(), agents.get(spec), "the refused bytecode is forgotten");
        assertTrue(compile(agents).file().isPresent(), "compiled anew, the file is named again after one refusal");
        agents.fileRefused(spec);
        CompiledAgents.Compiled inline = compile(agents);
        assertEquals(Optional.empty(), inline.file(), "after the second refusal the file is no longer named");
        assertTrue(new String(AgentProgram.bootstrapLine(config(), Optional.of(inline)), StandardCharsets.US_ASCII)
                .contains("marshal.loads"), "the bytecode comes on stdin");
    }

    @Test
    void onlyLocalInterpretersAreNamedAFile() {
        CompiledAgents agents = new CompiledAgents(WAIT, new AgentCache(Optional.of(dir)));
        Transport other = new Transport() {
            @Override
            public String type() {
                return "ssh";
            }

            @Override
            public Connection open(Spec s, List<String> pythonArgs) throws IOException {
                return popen.open(spec, pythonArgs);
            }
        };
        Spec elsewhere = Spec.parse("ssh=elsewhere.invalid//python=" + PYTHON);   // started here all the same
        assumeFalse(PYTHON.contains("pypy"), "bytecode is cached for CPython");
        agents.learn(elsewhere, other);
        Await.await("the agent to be compiled", () -> agents.get(elsewhere).isPresent(), WAIT);
        assertEquals(Optional.empty(), agents.get(elsewhere).orElseThrow().file(),
                "an interpreter of another transport (here: ssh) may run on another machine");
    }

    @Test
    void aDirectoryOthersMayWriteToIsNotUsed() throws Exception {
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertEquals(Optional.empty(), new AgentCache(Optional.of(shared)).store("cpython-311", 1, new byte[] {1, 2, 3}));
        try (var files = Files.list(shared)) {
            assertEquals(0, files.count(), "nothing was left in it");
        }
        assertTrue(new AgentCache(Optional.of(dir.resolve("private"))).store("cpython-311", 1, new byte[] {1, 2, 3}).isPresent(),
                "a directory the cache makes itself is private");
    }

    @Test
    void theCacheKeepsTheFilesWrittenLastAndDropsAbandonedTemporaryFiles() throws Exception {
        AgentCache cache = new AgentCache(Optional.of(dir));
        Path abandoned = Files.writeString(dir.resolve(".agent-123.tmp"), "half");
        Files.setLastModifiedTime(abandoned, FileTime.from(Instant.now().minus(AgentCache.ABANDONED_AFTER.multipliedBy(2))));
        Path writing = Files.writeString(dir.resolve(".agent-456.tmp"), "being written by another JVM");
        Path unrelated = Files.writeString(dir.resolve("notes.txt"), "not the cache's");
        List<Path> written = new ArrayList<>();
        for (int i = 0; i < AgentCache.KEPT_FILES + 4; i++) {
            Path file = cache.store("cpython-3" + i, i, new byte[] {(byte) i}).orElseThrow().file();
            Files.setLastModifiedTime(file, FileTime.fromMillis(1_000_000L * (i + 1)));   // written in this order
            written.add(file);
        }
        for (int i = 0; i < written.size(); i++) {
            assertEquals(i >= 4, Files.exists(written.get(i)), "file " + i + " of " + written.size() + ": " + written.get(i));
        }
        assertFalse(Files.exists(abandoned), "a temporary file older than " + AgentCache.ABANDONED_AFTER);
        assertTrue(Files.exists(writing), "a temporary file another JVM may still write");
        assertTrue(Files.exists(unrelated), "a file that is not the cache's");
    }

    /** Compiles the agent for the test's interpreter through the cache (CPython only). */
    private CompiledAgents.Compiled compile(CompiledAgents agents) {
        assumeFalse(PYTHON.contains("pypy"), "bytecode is cached for CPython");
        agents.learn(spec, popen);
        Await.await("the agent to be compiled", () -> agents.get(spec).isPresent(), WAIT);
        return agents.get(spec).orElseThrow();
    }

    /** The bytes a fresh interpreter answers to the line: the handshake, or AGENT_WANTED, then (given the agent) the handshake. */
    private static List<Character> answers(byte[] line, CompiledAgents.Compiled compiled) throws Exception {
        Process p = new ProcessBuilder(PYTHON, "-u", "-c", AgentProgram.READ_LINE_PROGRAM)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (OutputStream in = p.getOutputStream(); InputStream out = p.getInputStream()) {
            in.write(line);
            in.flush();
            char first = (char) out.read();
            if (first != AgentProgram.AGENT_WANTED) {
                return List.of(first);
            }
            in.write(AgentProgram.serverAgentLine(Optional.of(compiled)));
            in.flush();
            return List.of(first, (char) out.read());
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("id", "gw-cache-worker");
        return config;
    }

    private static byte[] readQuietly(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
