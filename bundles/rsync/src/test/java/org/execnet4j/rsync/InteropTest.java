package org.execnet4j.rsync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.execnet4j.Execnet;
import org.execnet4j.api.Group;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tree Python execnet's RSync (1.9, host {@code /usr/bin/python3}) makes from a source and
 * the tree ours makes from the same source are the same: contents, modes, file mtimes, links.
 * (execnet keeps no directory mtimes, so those are not compared.)
 */
class InteropTest {
    @TempDir
    Path dir;

    @Test
    void execnetAndExecnet4jMakeTheSameTree() throws Exception {
        Path python = Path.of(RemoteFailuresTest.SYSTEM_PYTHON);
        Assumptions.assumeTrue(Files.isExecutable(python), "needs Debian's python3 with python3-execnet");
        Path src = dir.resolve("src");
        Trees.sample(src);
        Path theirs = dir.resolve("execnet");
        Path ours = dir.resolve("execnet4j");
        Process p = new ProcessBuilder(python.toString(), script().toString(), src.toString(), theirs.toString(), python.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Assumptions.assumeFalse(out.contains("No module named 'execnet'"), "python3-execnet is not installed");
        assertEquals(0, p.waitFor(), out);

        try (Group group = Execnet.newGroup("rsync-interop")) {
            new RSync(src).addTarget(group.makeGateway("popen//python=" + python), ours.toString()).send();
        }
        assertEquals(Trees.describe(theirs, true, false, TimeUnit.MILLISECONDS),
                Trees.describe(ours, true, false, TimeUnit.MILLISECONDS));
        assertEquals(Trees.describe(src, true, false, TimeUnit.MILLISECONDS),
                Trees.describe(ours, true, false, TimeUnit.MILLISECONDS));
    }

    private Path script() throws IOException, URISyntaxException {
        return Path.of(InteropTest.class.getResource("execnet_rsync.py").toURI());
    }
}
