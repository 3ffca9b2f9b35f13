package org.execnet4j.core;

import static org.execnet4j.core.Gateways.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.execnet4j.api.Channel;
import org.execnet4j.api.Gateway;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The green-thread execution models on a remote that has the library (Debian's
 * /usr/bin/python3 with python3-eventlet and python3-gevent); skipped with the reason where not.
 */
class ExecModelTest {
    private static final String PYTHON = "/usr/bin/python3";

    @RegisterExtension
    final Gateways gateways = new Gateways();

    @ParameterizedTest
    @ValueSource(strings = {"eventlet", "gevent"})
    void greenModelsRunConcurrentTasks(String model) throws Exception {
        Assumptions.assumeTrue(importable(model), PYTHON + " cannot import " + model + ": install python3-" + model);
        Gateway gw = gateways.start("popen//python=" + PYTHON + "//execmodel=" + model);
        assertEquals(model, gw.remoteStatus(TIMEOUT).execmodel());
        List<Channel> channels = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            channels.add(gw.remoteExec("x = channel.receive(); channel.send(x + 1)"));
        }
        for (int i = 0; i < channels.size(); i++) {
            channels.get(i).send(i);
        }
        for (int i = 0; i < channels.size(); i++) {
            assertEquals(i + 1, channels.get(i).receive(TIMEOUT));
        }
    }

    private static boolean importable(String module) throws Exception {
        if (!java.nio.file.Files.isExecutable(java.nio.file.Path.of(PYTHON))) {
            return false;
        }
        Process p = new ProcessBuilder(PYTHON, "-c", "import " + module).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }
}
