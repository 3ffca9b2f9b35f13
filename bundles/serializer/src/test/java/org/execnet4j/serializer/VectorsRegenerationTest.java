package org.execnet4j.serializer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * vectors/generate.py, run against Debian's python3-execnet, reproduces the committed golden
 * files (as JSON values: key order and layout aside), so the script cannot rot.
 */
class VectorsRegenerationTest {
    private static final String PYTHON = "/usr/bin/python3";

    @Test
    void theScriptRegeneratesTheCommittedVectors(@TempDir Path out) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(Path.of(PYTHON)) && run(List.of(PYTHON, "-c", "import execnet"), out) == 0,
                PYTHON + " with execnet (Debian's python3-execnet) is not installed");
        Path vectors = Path.of(System.getProperty("execnet4j.vectors.dir", "../../vectors"));
        assertEquals(0, run(List.of(PYTHON, vectors.resolve("generate.py").toString(), out.toString()), out),
                "generate.py failed: " + Files.readString(out.resolve("log")));
        ObjectMapper json = new ObjectMapper();
        for (String name : List.of("serializer.json", "serializer_invalid.json")) {
            JsonNode committed = json.readTree(vectors.resolve(name).toFile());
            JsonNode regenerated = json.readTree(out.resolve(name).toFile());
            String difference = firstDifference(committed, regenerated, "$");
            assertTrue(difference == null, name + " differs from what generate.py produces at " + difference);
        }
    }

    private static int run(List<String> command, Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("log").toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish within 120 s");
        }
        return p.exitValue();
    }

    /** The path of the first place where two JSON trees differ, or null when they are equal. */
    private static String firstDifference(JsonNode a, JsonNode b, String path) {
        if (a.equals(b)) {
            return null;
        }
        if (a.isObject() && b.isObject() && a.size() == b.size()) {
            for (Iterator<String> names = a.fieldNames(); names.hasNext();) {
                String name = names.next();
                String inner = b.has(name) ? firstDifference(a.get(name), b.get(name), path + "." + name) : path + "." + name;
                if (inner != null) {
                    return inner;
                }
            }
        }
        if (a.isArray() && b.isArray() && a.size() == b.size()) {
            for (int i = 0; i < a.size(); i++) {
                String inner = firstDifference(a.get(i), b.get(i), path + "[" + i + "]");
                if (inner != null) {
                    return inner;
                }
            }
        }
        String shownA = a.toString();
        String shownB = b.toString();
        return path + ": " + shownA.substring(0, Math.min(200, shownA.length())) + " vs "
                + shownB.substring(0, Math.min(200, shownB.length()));
    }
}
