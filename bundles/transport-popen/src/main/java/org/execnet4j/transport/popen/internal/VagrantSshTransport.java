package org.execnet4j.transport.popen.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.execnet4j.api.Connection;
import org.execnet4j.api.ServiceProperties;
import org.execnet4j.api.Spec;
import org.execnet4j.api.Transport;
import org.execnet4j.api.spi.ShellWords;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code vagrant_ssh} transport: runs {@code vagrant ssh NAME -- -C [-F cfg] '<python> ...'}
 * as a local process, as execnet does, and speaks over its stdin and stdout. The vagrant
 * executable is {@value #DEFAULT_VAGRANT} on PATH unless the system property
 * {@value #VAGRANT_PROPERTY} or the constructor names another.
 */
@Component(service = Transport.class, property = ServiceProperties.TRANSPORT_TYPE + "=" + VagrantSshTransport.TYPE)
public final class VagrantSshTransport implements Transport {
    /** The spec type served. */
    public static final String TYPE = "vagrant_ssh";
    /** The executable run when nothing else is configured. */
    public static final String DEFAULT_VAGRANT = "vagrant";
    /** The system property naming the vagrant executable. */
    public static final String VAGRANT_PROPERTY = "execnet4j.vagrant";

    /** The executable, or null for the system property's at start time. */
    private final String vagrant;
    private final String defaultPython;

    /**
     * The transport running the vagrant the system property {@value #VAGRANT_PROPERTY} names when
     * a gateway starts, else {@code vagrant} on PATH.
     */
    public VagrantSshTransport() {
        this.vagrant = null;
        this.defaultPython = Spec.DEFAULT_PYTHON;
    }

    /** The transport running the given vagrant executable, and this interpreter when the spec names none. */
    public VagrantSshTransport(String vagrantExecutable, String defaultPython) {
        this.vagrant = Objects.requireNonNull(vagrantExecutable, "vagrantExecutable");
        this.defaultPython = Objects.requireNonNull(defaultPython, "defaultPython");
    }

    private String vagrant() {
        return vagrant != null ? vagrant : System.getProperty(VAGRANT_PROPERTY, DEFAULT_VAGRANT);
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** The command line run for a spec: {@code vagrant ssh NAME -- -C [-F cfg] '<python> <args>'}. */
    public List<String> commandLine(Spec spec, List<String> pythonArgs) throws IOException {
        String machine = spec.target().filter(s -> !s.isBlank())
                .orElseThrow(() -> new IOException("vagrant_ssh needs a machine name, as in vagrant_ssh=default"));
        List<String> cmd = new ArrayList<>(List.of(vagrant(), "ssh", machine.strip(), "--", "-C"));
        if (spec.get("ssh_config").isPresent()) {
            cmd.add("-F");
            cmd.add(spec.get("ssh_config").get());
        }
        cmd.add(ShellWords.commandLine(spec.python().orElse(defaultPython), pythonArgs));
        return cmd;
    }

    @Override
    public Connection open(Spec spec, List<String> pythonArgs) throws IOException {
        List<String> cmd = commandLine(spec, pythonArgs);
        Process process;
        try {
            process = new ProcessBuilder(cmd).start();
        } catch (IOException e) {
            throw new IOException("cannot run '" + cmd.get(0) + "' for vagrant_ssh=" + spec.target().orElse("")
                    + ": " + e.getMessage() + " (is Vagrant installed? the system property " + VAGRANT_PROPERTY
                    + " names another executable)", e);
        }
        return new PopenConnection(process, "vagrant_ssh " + spec.target().orElse("").strip());
    }
}
