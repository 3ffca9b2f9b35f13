package org.execnet4j.core;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

import org.execnet4j.api.Connection;
import org.execnet4j.api.Spec;
import org.execnet4j.api.Transport;

/**
 * The installed transport for a type, with everything the host writes to gateways (not to the
 * throw-away processes that compile the agent) copied aside for tests to inspect.
 */
final class TeeingTransport {
    private TeeingTransport() {
    }

    /** The installed transport for a type, with everything the host writes copied to {@code copy}. */
    static Transport of(String type, ByteArrayOutputStream copy) {
        Transport real = TransportLocator.serviceLoader(TeeingTransport.class.getClassLoader()).find(type).orElseThrow();
        return new Transport() {
            @Override
            public String type() {
                return type;
            }

            @Override
            public Connection open(Spec spec, List<String> pythonArgs) throws IOException {
                Connection c = real.open(spec, pythonArgs);
                if (!pythonArgs.contains("-u")) {
                    return c;
                }
                OutputStream tee = new FilterOutputStream(c.output()) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        synchronized (copy) {
                            copy.write(b, off, len);
                        }
                        out.write(b, off, len);
                    }
                };
                return new Connection() {
                    public InputStream input() {
                        return c.input();
                    }

                    public OutputStream output() {
                        return tee;
                    }

                    public InputStream errors() {
                        return c.errors();
                    }

                    public void closeOutput() {
                        c.closeOutput();
                    }

                    public OptionalInt waitFor(Duration timeout) {
                        return c.waitFor(timeout);
                    }

                    public boolean isAlive() {
                        return c.isAlive();
                    }

                    public void kill() {
                        c.kill();
                    }

                    public OptionalLong pid() {
                        return c.pid();
                    }

                    public String describe() {
                        return c.describe();
                    }
                };
            }
        };
    }
}
