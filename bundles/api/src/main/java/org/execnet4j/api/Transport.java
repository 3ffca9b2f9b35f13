package org.execnet4j.api;

import java.io.IOException;
import java.util.List;

/**
 * The SPI of one way to reach an interpreter ({@code popen}, {@code ssh}, ...): given a spec and
 * the interpreter arguments the engine wants run, it starts the interpreter and returns the byte
 * connection. It knows nothing about frames or channels. Implementations are found through
 * {@link java.util.ServiceLoader} in plain Java and as OSGi services with the property
 * {@code execnet.transport=<type>}.
 */
public interface Transport {

    /** {@return the spec type this transport serves, one of {@link Spec#TYPES}} */
    String type();

    /**
     * Starts the interpreter.
     *
     * @param spec the gateway spec ({@code python=}, the ssh target, ...)
     * @param pythonArgs what follows the interpreter on its command line, e.g.
     *     {@code -u -c "import sys;exec(eval(sys.stdin.readline()))"}
     * @return the connection to the started interpreter's stdin and stdout
     * @throws IOException when the interpreter cannot be started; the message says why
     */
    Connection open(Spec spec, List<String> pythonArgs) throws IOException;
}
