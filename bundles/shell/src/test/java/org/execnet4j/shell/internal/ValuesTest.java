package org.execnet4j.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.execnet4j.api.PyTuple;
import org.execnet4j.api.RemoteError;
import org.junit.jupiter.api.Test;

/** How the commands print Python values and errors. */
class ValuesTest {

    @Test
    void valuesPrintAsPythonPrintsThem() {
        assertEquals("text", Values.show("text"));
        assertEquals("None", Values.show(null));
        assertEquals("True", Values.show(true));
        assertEquals("b'a\\'\\x00'", Values.show(new byte[] {'a', '\'', 0}));
        assertEquals("[1, 2]", Values.show(List.of(1, 2)));
        assertEquals("3.11.2", Values.version(PyTuple.of(3, 11, 2, "final", 0)));
    }

    @Test
    void remoteErrorsShrinkToTheirLastLine() {
        RemoteError error = new RemoteError("Traceback (most recent call last):\n  File \"<string>\", line 1\n"
                + "ZeroDivisionError: division by zero\n");
        assertEquals("ZeroDivisionError: division by zero", Values.oneLine(error));
        assertEquals("IllegalStateException", Values.oneLine(new IllegalStateException()));
    }
}
