package org.execnet4j.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.execnet4j.api.Gateway;
import org.execnet4j.api.Spec;
import org.execnet4j.core.EngineSettings;
import org.execnet4j.core.ExecAudit;
import org.execnet4j.core.GatewayLauncher;
import org.execnet4j.core.TransportLocator;
import org.junit.jupiter.api.Test;

/**
 * The audit of every remoteExec on the logger org.execnet4j.audit: off by default, on through
 * EngineSettings or the system property, naming the caller, the group, the gateway and the source
 * (this test lives outside the engine's packages, so it is the caller the audit names).
 */
class ExecAuditTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String SOURCE = "\n\nchannel.send(6 * 7)   \nchannel.send('second')\n";

    @Test
    void anEnabledAuditLogsOneLinePerRemoteExecWithCallerGroupGatewayAndSource() throws Exception {
        AtomicBoolean enabled = new AtomicBoolean(true);
        ExecAudit audit = ExecAudit.log(c -> "named:" + c.getSimpleName(), enabled::get).inGroup("workers");
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(SOURCE.getBytes(StandardCharsets.UTF_8)));

        String logged = stderrOf(EngineSettings.builder().execAudit(audit).build(), gateway -> {
            assertEquals(42, gateway.remoteExec(SOURCE).receive(TIMEOUT));
            gateway.remoteInfo(TIMEOUT);
            gateway.remoteStatus(TIMEOUT);
            enabled.set(false);
            gateway.remoteExec("channel.send(1)").receive(TIMEOUT);
        });

        List<String> lines = auditLines(logged);
        assertEquals(1, lines.size(), logged);
        String line = lines.get(0);
        assertTrue(line.contains("remoteExec caller=named:ExecAuditTest class=" + ExecAuditTest.class.getName()
                + " group=workers gateway=audited spec=popen"), line);
        assertTrue(line.endsWith("sha256=" + sha256 + " first-line='channel.send(6 * 7)'"), line);
    }

    @Test
    void theAuditIsOffByDefaultAndTheSystemPropertySwitchesItOnForPlainJava() throws Exception {
        assertSame(ExecAudit.OFF, EngineSettings.builder().build().execAudit());
        assertTrue(auditLines(stderrOf(EngineSettings.DEFAULTS, g -> g.remoteExec(SOURCE).receive(TIMEOUT))).isEmpty());

        System.setProperty(ExecAudit.PROPERTY, "true");
        EngineSettings settings;
        try {
            settings = EngineSettings.builder().build();
        } finally {
            System.clearProperty(ExecAudit.PROPERTY);
        }
        List<String> lines = auditLines(stderrOf(settings, g -> g.remoteExec(SOURCE).receive(TIMEOUT)));
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("caller=java class=" + ExecAuditTest.class.getName() + " group=- gateway=audited"),
                lines.get(0));
    }

    @Test
    void aLongFirstLineIsCutAndQuotedAsPythonWould() {
        String describe = ExecAudit.describe("x = \"it's\" + '" + "a".repeat(200) + "'\n");
        assertTrue(describe.startsWith("sha256="), describe);
        String first = describe.substring(describe.indexOf(" first-line=") + 12);
        assertEquals("'x = \"it\\'s\" + \\'" + "a".repeat(120 - 14) + "...'", first);
        assertFalse(ExecAudit.describe("").contains("\n"));
    }

    /** Runs with a real popen gateway (id {@code audited}) and returns what went to stderr meanwhile (slf4j-simple's output). */
    private static String stderrOf(EngineSettings settings, Consumer<Gateway> body) {
        GatewayLauncher launcher = new GatewayLauncher(TransportLocator.serviceLoader(ExecAuditTest.class.getClassLoader()), settings);
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        Gateway gateway = launcher.launch(Spec.parse("popen//python=" + System.getProperty("execnet4j.python", "python3")), "audited");
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            body.accept(gateway);
        } finally {
            System.setErr(stderr);
            gateway.exit(TIMEOUT);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    private static List<String> auditLines(String logged) {
        return logged.lines().filter(l -> l.contains(ExecAudit.LOGGER)).toList();
    }
}
