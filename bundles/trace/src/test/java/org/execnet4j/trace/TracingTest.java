package org.execnet4j.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.execnet4j.api.Tracer;
import org.execnet4j.trace.internal.FileTracer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TracingTest {

    @Test
    void emptyOrAbsentMeansOff() {
        assertSame(Tracer.OFF, Tracing.forSetting(null));
        assertSame(Tracer.OFF, Tracing.forSetting(""));
        assertSame(Tracer.OFF, Tracing.forSetting("  "));
        assertFalse(Tracer.OFF.enabled());
        assertEquals("", Tracer.OFF.remoteSetting());
    }

    @Test
    void oneWritesAPrivateFileWithAnUnpredictableName(@TempDir Path dir) throws Exception {
        FileTracer first = (FileTracer) Tracing.forSetting("1", dir);
        FileTracer second = (FileTracer) Tracing.forSetting("1", dir);
        assertNotEquals(first.file(), second.file());
        String name = first.file().getFileName().toString();
        assertTrue(name.startsWith("execnet-debug-" + ProcessHandle.current().pid() + "-"), name);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first.file())));
        assertTrue(first.enabled());
        assertEquals("1", first.remoteSetting());
        first.trace("gw0", "sent <Message CHANNEL_EXEC channel=1 lendata=29>");
        first.trace("gw0", "second line");
        assertEquals(List.of("gw0 sent <Message CHANNEL_EXEC channel=1 lendata=29>", "gw0 second line"),
                Files.readAllLines(first.file()));
    }

    @Test
    void twoWritesToStderrWithThePid() {
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Tracer tracer = Tracing.forSetting("2");
            assertEquals("2", tracer.remoteSetting());
            tracer.trace("gw3", "hello");
        } finally {
            System.setErr(saved);
        }
        assertEquals("[" + ProcessHandle.current().pid() + "] gw3 hello" + System.lineSeparator(),
                captured.toString(StandardCharsets.UTF_8));
    }

    @Test
    void thePropertyWinsOverTheEnvironment() {
        System.setProperty(Tracing.SYSTEM_PROPERTY, "");
        try {
            assertSame(Tracer.OFF, Tracing.fromEnvironment());
        } finally {
            System.clearProperty(Tracing.SYSTEM_PROPERTY);
        }
    }
}
