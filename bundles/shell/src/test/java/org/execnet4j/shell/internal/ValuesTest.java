package org.execnet4j.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.execnet4j.api.PyTuple;
import org.execnet4j.api.RemoteError;
import org.junit.jupiter.api.Test;

/** How the commands print Python values and errors. */
class ValuesTest {

    @Test
    void versionsPrintAsPythonWritesThem() {
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
