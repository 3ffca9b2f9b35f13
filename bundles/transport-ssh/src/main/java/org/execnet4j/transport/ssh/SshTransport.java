package org.execnet4j.transport.ssh;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.execnet4j.api.Connection;
import org.execnet4j.api.ServiceProperties;
import org.execnet4j.api.Spec;
import org.execnet4j.api.Transport;
import org.execnet4j.api.spi.ByteStream;
import org.execnet4j.api.spi.ShellWords;
import org.execnet4j.api.spi.UnixSocketReach;
import org.execnet4j.transport.ssh.internal.SshConnection;
import org.execnet4j.transport.ssh.internal.SshEngine;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The {@code ssh} transport: runs the interpreter on a remote host over SSH with Apache MINA SSHD
 * (no ssh binary needed). {@code ssh=} takes OpenSSH-style arguments ({@code [user@]host},
 * {@code -p}, {@code -l}, {@code -i}, {@code -o Name=value}, {@code -F}, {@code -J}); the ssh
 * config is honoured; host keys are checked against known_hosts; gateways to the same
 * {@code user@host:port} share one connection. Closing the transport closes every connection.
 * Unix domain sockets on a gateway's server are reached over its connection (OpenSSH's
 * {@code direct-streamlocal@openssh.com}), which lets gateways be forked there from a warm
 * interpreter ({@link UnixSocketReach}); a server that refuses such streams gets fresh gateways.
 * Found through {@code META-INF/services} in plain Java (with {@link SshTransportOptions#DEFAULTS})
 * and registered as an OSGi service with {@code execnet.transport=ssh} by Declarative Services.
 */
@Component(service = Transport.class, property = ServiceProperties.TRANSPORT_TYPE + "=" + SshTransport.TYPE)
public final class SshTransport implements Transport, UnixSocketReach, AutoCloseable {
    /** The spec type served. */
    public static final String TYPE = "ssh";

    private final SshEngine engine;

    /** The transport with {@link SshTransportOptions#DEFAULTS}. */
    public SshTransport() {
        this(SshTransportOptions.DEFAULTS);
    }

    /** @param options what the transport may use and how strict it is; it gets connections of its own */
    public SshTransport(SshTransportOptions options) {
        this.engine = new SshEngine(Objects.requireNonNull(options, "options"));
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** {@return the options in use} */
    public SshTransportOptions options() {
        return engine.options();
    }

    /** {@return how many ssh connections this transport holds open right now} */
    public int openConnections() {
        return engine.openSessions();
    }

    @Override
    public Connection open(Spec spec, List<String> pythonArgs) throws IOException {
        String target = spec.target().orElseThrow(() -> new IOException("ssh needs a target, as in ssh=user@host"));
        String command = ShellWords.commandLine(spec.python().orElse(engine.options().defaultPython()), pythonArgs);
        return engine.exec(target, spec.get("ssh_config").orElse(null), command);
    }

    @Override
    public Optional<ByteStream> openUnixSocket(Connection interpreter, String path, boolean polled, Duration timeout)
            throws IOException {
        if (!(interpreter instanceof SshConnection near)) {
            throw new IOException("not a connection of the ssh transport: " + interpreter.describe());
        }
        return engine.openUnixSocket(near, path, timeout);
    }

    /**
     * True: a fresh gateway costs a session, the login shell and Python on the server, a fork a few
     * roundtrips; so even the first gateway to a host is forked, from the warm interpreter started for it.
     */
    @Override
    public boolean startsWarmWithFirst() {
        return true;
    }

    /** Closes every connection of this transport. */
    @Override
    @Deactivate
    public void close() {
        engine.close();
    }

    @Override
    public String toString() {
        return "SshTransport[" + engine.options() + "]";
    }
}
