package org.execnet4j.group.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;

import org.execnet4j.api.Channel;
import org.execnet4j.api.Connection;
import org.execnet4j.api.ExecnetException;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.PyTuple;
import org.execnet4j.api.PythonSource;
import org.execnet4j.api.Spec;
import org.execnet4j.api.Transport;

/**
 * Starts an interpreter next to an existing gateway's ({@code popen//via=gw0}) and tunnels its
 * stdin, stdout and stderr through channels of that gateway (protocol.md §4.10).
 */
final class ViaTransport implements Transport {
    private static final PythonSource FORWARDER = PythonSource.resource(ViaTransport.class, "via_forwarder.py");
    /** Extra time a control answer may take beyond the wait it reports on. */
    private static final Duration CONTROL_SLACK = Duration.ofSeconds(5);

    private final Gateway proxy;

    ViaTransport(Gateway proxy) {
        this.proxy = proxy;
    }

    @Override
    public String type() {
        return "popen";
    }

    @Override
    public Connection open(Spec spec, List<String> pythonArgs) throws IOException {
        if (!spec.type().equals("popen")) {
            throw new IOException("via= works with popen specs only, not '" + spec.type() + "'");
        }
        try {
            Channel control = proxy.remoteExec(FORWARDER, Map.of());
            Channel data = proxy.newChannel();
            Channel errors = proxy.newChannel();
            control.send(PyTuple.of(spec.python().orElse(null), pythonArgs, data, errors));
            return new ViaConnection(proxy, control, data, errors);
        } catch (ExecnetException e) {
            throw new IOException("cannot start an interpreter via " + proxy.id() + ": " + e.getMessage(), e);
        }
    }

    /** The tunnelled interpreter as a {@link Connection}. */
    private static final class ViaConnection implements Connection {
        private final Gateway proxy;
        private final Channel control;
        private final Channel data;
        private final InputStream input;
        private final OutputStream output;
        private final InputStream errors;

        ViaConnection(Gateway proxy, Channel control, Channel data, Channel errors) {
            this.proxy = proxy;
            this.control = control;
            this.data = data;
            this.input = data.inputStream(false);
            this.output = data.outputStream(false);
            this.errors = errors.inputStream(false);
        }

        @Override
        public InputStream input() {
            return input;
        }

        @Override
        public OutputStream output() {
            return output;
        }

        @Override
        public InputStream errors() {
            return errors;
        }

        @Override
        public synchronized void closeOutput() {
            request("close");
        }

        @Override
        public synchronized OptionalInt waitFor(Duration timeout) {
            if (!request(PyTuple.of("wait", timeout.toMillis() / 1000.0))) {
                return OptionalInt.empty();
            }
            try {
                Object status = control.receive(timeout.plus(CONTROL_SLACK));
                return status instanceof Integer code ? OptionalInt.of(code) : OptionalInt.empty();
            } catch (ExecnetException e) {
                return OptionalInt.empty();
            }
        }

        @Override
        public boolean isAlive() {
            return proxy.isAlive() && !control.isClosed() && waitFor(Duration.ZERO).isEmpty();
        }

        @Override
        public synchronized void kill() {
            if (request("kill")) {
                try {
                    control.receive(CONTROL_SLACK);
                } catch (ExecnetException e) {
                    // the forwarder is gone already
                }
            }
            control.close();
            data.close();
        }

        /** Sends a control request; false when the forwarder or the proxy gateway is gone. */
        private boolean request(Object request) {
            try {
                control.send(request);
                return true;
            } catch (ExecnetException e) {
                return false;
            }
        }

        @Override
        public OptionalLong pid() {
            return OptionalLong.empty();
        }

        @Override
        public String describe() {
            return "popen via " + proxy.id();
        }
    }
}
