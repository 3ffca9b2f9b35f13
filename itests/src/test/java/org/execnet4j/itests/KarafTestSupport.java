package org.execnet4j.itests;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.when;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import javax.inject.Inject;
import javax.security.auth.Subject;

import org.apache.karaf.features.BootFinished;
import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.execnet4j.api.Group;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.ops4j.pax.exam.util.Filter;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * What the Karaf tests share: the container (the execnet4j distribution, hermetic and on free
 * ports), shell commands run as a user with given roles, configuration files dropped into
 * {@code etc/}, polling with a timeout, and counting the Python processes Karaf started.
 */
public abstract class KarafTestSupport {
    /** How long a test waits for something that should happen. */
    protected static final Duration WAIT = Duration.ofSeconds(60);
    /** The user shell commands run as. */
    protected static final String USER = "itest";
    /** The key of the Web Console's (Pax Web's) port in {@code etc/org.ops4j.pax.web.cfg}. */
    protected static final String HTTP_PORT = "org.osgi.service.http.port";
    /** The roles of Karaf's admin group. */
    protected static final String[] ADMIN = {"admin", "manager", "viewer"};

    @Inject
    protected BundleContext bundleContext;

    /** Waits for the boot features, so no test races the boot. */
    @Inject
    @Filter(timeout = 120_000)
    protected BootFinished bootFinished;

    @Inject
    protected FeaturesService featuresService;

    @Inject
    protected SessionFactory sessionFactory;

    @Configuration
    public Option[] config() throws IOException {
        String repository = System.getProperty("maven.local.repository");
        String mvnCfg = "etc/org.ops4j.pax.url.mvn.cfg";
        return new Option[] {
            karafDistributionConfiguration()
                    .frameworkUrl(new File(System.getProperty("execnet4j.distribution")).toURI().toString())
                    .karafVersion(System.getProperty("karaf.version"))
                    .unpackDirectory(new File("target/exam"))
                    .useDeployFolder(false),
            configureConsole().ignoreLocalConsole(),
            when(Boolean.getBoolean("execnet4j.keepKaraf")).useOptions(keepRuntimeFolder()),
            logLevel(LogLevel.INFO),
            // Karaf installs Pax Exam's own feature from the build's local repository, offline
            editConfigurationFilePut(mvnCfg, "org.ops4j.pax.url.mvn.localRepository", repository),
            editConfigurationFilePut(mvnCfg, "org.ops4j.pax.url.mvn.repositories", ""),
            editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", freePort()),
            // boot features on their own thread: a first-boot refresh of the features bundle then
            // cannot wait on the start-level thread that is still inside that bundle's activator
            editConfigurationFilePut("etc/org.apache.karaf.features.cfg", "featuresBootAsynchronous", "true"),
            editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", HTTP_PORT, freePort()),
            editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", freePort()),
            editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerPort", freePort()),
            bundle(new File(System.getProperty("execnet4j.examples.bundle")).toURI().toString()).start(),
        };
    }

    private static String freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return Integer.toString(socket.getLocalPort());
        }
    }

    /** Runs a shell command as a user with these roles; its output, or what it failed with. */
    protected String execute(String command, String... roles) {
        return session("", roles, command);
    }

    /**
     * Runs shell commands one after the other in one session of an admin, with this standard
     * input; their output, up to and with the first failure ({@code ERROR: message}).
     */
    protected String session(String stdin, String[] roles, String... commands) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Session session = sessionFactory.create(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), out, out);
        Subject subject = subject(roles);
        try {
            for (String command : commands) {
                Subject.doAs(subject, (PrivilegedExceptionAction<Object>) () -> session.execute(command));
            }
        } catch (PrivilegedActionException e) {
            out.println("ERROR: " + e.getCause().getMessage());
        } catch (RuntimeException e) {
            out.println("ERROR: " + e.getMessage());
        } finally {
            session.close();
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /**
     * Runs a shell command as an admin and returns the value it returned, as text (Gogo commands
     * such as {@code hc:exec} return their report instead of printing it).
     */
    protected String returned(String command) throws Exception {
        Session session = sessionFactory.create(new ByteArrayInputStream(new byte[0]), System.out, System.err);
        try {
            return String.valueOf(Subject.doAs(subject(ADMIN), (PrivilegedExceptionAction<Object>) () -> session.execute(command)));
        } finally {
            session.close();
        }
    }

    private static Subject subject(String... roles) {
        Subject subject = new Subject();
        subject.getPrincipals().add(new UserPrincipal(USER));
        for (String role : roles.length == 0 ? ADMIN : roles) {
            subject.getPrincipals().add(new RolePrincipal(role));
        }
        return subject;
    }

    /** The text Karaf's log got since {@code offset} (a value of {@link #logLength()}). */
    protected static String logSince(long offset) throws IOException {
        byte[] all = Files.readAllBytes(karafLog());
        return new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset), StandardCharsets.UTF_8);
    }

    /** How long Karaf's log is now. */
    protected static long logLength() throws IOException {
        return Files.size(karafLog());
    }

    private static Path karafLog() {
        return Path.of(System.getProperty("karaf.data"), "log", "karaf.log");
    }

    /** Writes {@code etc/<file>} as a new file appears, so FileInstall never reads half of it. */
    protected static void writeEtc(String file, String text) throws IOException {
        Path etc = Path.of(System.getProperty("karaf.etc"));
        Path temporary = Files.createTempFile(Path.of(System.getProperty("karaf.data")), "itest", ".tmp");
        Files.writeString(temporary, text);
        Files.move(temporary, etc.resolve(file), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Deletes {@code etc/<file>}. */
    protected static void deleteEtc(String file) throws IOException {
        Files.delete(Path.of(System.getProperty("karaf.etc"), file));
    }

    /**
     * Removes a group's configuration through ConfigAdmin (Karaf's {@code config:delete}) and its
     * {@code etc/} file, then waits until the group is gone. Unlike deleting the file alone this
     * does not depend on FileInstall having noticed the file first.
     */
    protected void deleteGroupConfiguration(String name) throws IOException {
        String file = "org.execnet4j.group-" + name + ".cfg";
        execute("config:list '(felix.fileinstall.filename=*" + file + ")'").lines()
                .filter(l -> l.startsWith("Pid:")).map(l -> l.substring("Pid:".length()).strip())
                .forEach(pid -> execute("config:delete " + pid));
        Files.deleteIfExists(Path.of(System.getProperty("karaf.etc"), file));
        await("group " + name + " gone", () -> group(name).isEmpty());
    }

    /** The group service of this name, if there is one now. */
    protected Optional<Group> group(String name) {
        try {
            Collection<ServiceReference<Group>> refs = bundleContext.getServiceReferences(Group.class, "(name=" + name + ")");
            return refs.stream().findFirst().map(bundleContext::getService);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The pids of the Python processes this Karaf started, directly or not. */
    protected static Set<Long> pythonProcesses() {
        return ProcessHandle.current().descendants()
                .filter(p -> isRunning(p.pid()))
                .filter(p -> p.info().command().map(c -> c.contains("python")).orElse(false))
                .map(ProcessHandle::pid)
                .collect(Collectors.toSet());
    }

    /** Polls until {@code probe} gives a value (non-null, and not {@code false} or empty); fails after {@link #WAIT}. */
    protected static <T> T await(String what, Supplier<T> probe) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        T value = null;
        while (System.nanoTime() < deadline) {
            try {
                value = probe.get();
            } catch (RuntimeException e) {
                value = null;
            }
            if (value != null && !Boolean.FALSE.equals(value) && !(value instanceof Optional<?> o && o.isEmpty())) {
                return value;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("timed out after " + WAIT.toSeconds() + " s waiting for " + what + " (last: " + value + ")");
    }

    /** Whether the process runs (an exited child not yet reaped counts as gone). */
    protected static boolean isRunning(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }
}
