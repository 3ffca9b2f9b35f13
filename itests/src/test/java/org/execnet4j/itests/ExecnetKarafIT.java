package org.execnet4j.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.execnet4j.api.Gateway;
import org.execnet4j.api.GatewayFactory;
import org.execnet4j.api.Group;
import org.execnet4j.api.Tracer;
import org.execnet4j.api.Transport;
import org.execnet4j.itests.sample.WorkersReport;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * execnet4j in its Karaf distribution, booted once for all tests (run in name order; the last
 * one stops and restarts the group bundle).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class ExecnetKarafIT extends KarafTestSupport {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String SEND_PID = "import os; channel.send(os.getpid())";

    @Inject
    private GatewayFactory factory;

    @Test
    public void t1FeaturesInstallAndEveryBundleIsActive() throws Exception {
        assertTrue(featuresService.isInstalled(featuresService.getFeature("execnet4j")));
        assertTrue(featuresService.isInstalled(featuresService.getFeature("execnet4j-shell")));
        try {
            await("every bundle active", () -> notActive().isEmpty());
        } catch (AssertionError e) {
            throw new AssertionError("not active: " + notActive(), e);
        }
        long ours = Arrays.stream(bundleContext.getBundles())
                .filter(b -> b.getSymbolicName().startsWith("org.execnet4j.")).count();
        assertEquals("api, serializer, trace, core, popen, ssh, socket, group, shell and the sample", 10, ours);
        assertEquals(1, bundleContext.getServiceReferences(Transport.class, "(execnet.transport=popen)").size());
        assertEquals(1, bundleContext.getServiceReferences(Transport.class, "(execnet.transport=ssh)").size());
        assertEquals(1, bundleContext.getServiceReferences(Transport.class, "(execnet.transport=socket)").size());
        assertNotNull(bundleContext.getServiceReference(Tracer.class));
    }

    @Test
    public void t1bEveryConfigurationHasAMetatypeForm() {
        MetaTypeService metatype = bundleContext.getService(bundleContext.getServiceReference(MetaTypeService.class));
        MetaTypeInformation group = metatype.getMetaTypeInformation(bundle("org.execnet4j.group"));
        assertEquals(List.of("org.execnet4j.group"), List.of(group.getFactoryPids()));
        List<String> keys = Arrays.stream(group.getObjectClassDefinition("org.execnet4j.group", null)
                .getAttributeDefinitions(ObjectClassDefinition.ALL)).map(AttributeDefinition::getID).toList();
        assertTrue(keys.toString(), keys.containsAll(List.of("name", "specs", "terminate.timeout", "defaultSpec", "start",
                "webconsole.configurationFactory.nameHint")));
        MetaTypeInformation trace = metatype.getMetaTypeInformation(bundle("org.execnet4j.trace"));
        assertEquals(List.of("org.execnet4j.trace"), List.of(trace.getPids()));
    }

    @Test
    public void t2TheDefaultGroupLocalAnswers() {
        Group local = await("group local", () -> group("local")).get();
        assertEquals(1, local.size());
        assertEquals(List.of(42), local.remoteExec("channel.send(6 * 7)").receiveEach(TIMEOUT));
    }

    @Test
    public void t3AGroupFollowsItsCfgFile() throws Exception {
        Set<Long> before = pythonProcesses();
        writeEtc("org.execnet4j.group-itest.cfg", "specs = popen//id=a\n");
        Group group = await("group itest", () -> group("itest")).get();
        await("gateway a", () -> group.get("a"));
        long a = pid(group, "a");
        assertEquals(a, ((Number) group.get("a").get().remoteExec(SEND_PID).receive(TIMEOUT)).longValue());

        writeEtc("org.execnet4j.group-itest.cfg", "specs = popen//id=a, popen//id=b\nstart = eager\n");
        await("gateway b", () -> group.get("b"));
        long b = pid(group, "b");
        assertEquals("a is kept", a, pid(group, "a"));

        writeEtc("org.execnet4j.group-itest.cfg", "specs = popen//id=a//env:MODE=changed, popen//id=b\n");
        await("a restarted", () -> group.get("a").filter(g -> g.isAlive() && pid(group, "a") != a));
        assertEquals("b is kept", b, pid(group, "b"));
        long a2 = pid(group, "a");
        assertEquals("changed", group.get("a").get().remoteExec("import os; channel.send(os.environ['MODE'])").receive(TIMEOUT));
        assertFalse("the old a is gone", ProcessHandle.of(a).map(ProcessHandle::isAlive).orElse(false));

        deleteEtc("org.execnet4j.group-itest.cfg");
        await("group itest gone", () -> group("itest").isEmpty());
        await("its processes gone", () -> !isRunning(a2) && !isRunning(b));
        await("as many python processes as before", () -> before.equals(pythonProcesses()));
    }

    @Test
    public void t4AnInjectedFactoryMakesGroups() {
        Set<Long> before = pythonProcesses();
        Group group = factory.newGroup("itest-factory");
        Gateway gateway = group.makeGateway("popen");
        assertEquals(2, gateway.remoteExec("channel.send(1 + 1)").receive(TIMEOUT));
        long pid = gateway.remoteInfo().pid();
        group.close();
        assertFalse(isRunning(pid));
        await("as many python processes as before", () -> before.equals(pythonProcesses()));
    }

    @Test
    public void t5ASampleBundleGetsTheFactoryAndTheWorkersGroup() throws Exception {
        writeEtc("org.execnet4j.group-workers.cfg", "specs = popen, popen\n");
        WorkersReport report = await("the sample component",
                () -> bundleContext.getService(bundleContext.getServiceReference(WorkersReport.class)));
        assertEquals(execute("execnet:gateway-list workers"), 2, report.workerPids().size());
        assertEquals(1024, report.evaluate("2 ** 10"));
        deleteEtc("org.execnet4j.group-workers.cfg");
        await("the sample component gone", () -> bundleContext.getServiceReference(WorkersReport.class) == null);
    }

    @Test
    public void t6ShellCommandsPrintWhatTheyShould() {
        assertTrue(execute("execnet:group-list"), execute("execnet:group-list").contains("local"));
        String version = execute("execnet:exec local \"import sys; channel.send(sys.version)\"");
        assertTrue(version, version.matches("(?s)3\\.\\d+.*"));
        String gateways = execute("execnet:gateway-list local");
        assertTrue(gateways, gateways.contains("popen") && gateways.contains("true") && gateways.contains("Python"));
        assertTrue(execute("execnet:status"), execute("execnet:status").contains("Transports: popen, socket, ssh"));

        String created = execute("execnet:gateway-create scratch popen");
        assertTrue(created, created.startsWith("scratch/gw0 started"));
        assertEquals("42", execute("execnet:exec scratch \"channel.send(6 * 7)\"").strip());
        assertTrue(execute("execnet:gateway-list scratch").contains("scratch"));
        String ended = execute("execnet:group-terminate scratch");
        assertTrue(ended, ended.contains("scratch/gw0: exited") && ended.contains("group scratch removed"));
        assertFalse(execute("execnet:group-list").contains("scratch"));

        String unknown = execute("execnet:exec nosuch \"channel.send(1)\"");
        assertTrue(unknown, unknown.contains("ERROR: no gateway 'nosuch'"));
        String remote = execute("execnet:exec local \"1 / 0\"");
        assertTrue(remote, remote.contains("ZeroDivisionError"));
        String badSpec = execute("execnet:gateway-create scratch2 nonsense");
        assertTrue(badSpec, badSpec.startsWith("ERROR: bad spec 'nonsense': ") && badSpec.strip().lines().count() == 1);
        String noPython = execute("execnet:gateway-create scratch2 popen//python=/nonexistent/python");
        assertTrue(noPython, noPython.startsWith("ERROR: cannot start 'popen//python=/nonexistent/python': "));
        assertFalse("a group made for a gateway that failed is gone", execute("execnet:group-list").contains("scratch2"));

        String denied = execute("execnet:exec local \"channel.send(1)\"", "viewer");
        assertTrue(denied, denied.startsWith("ERROR"));
        assertTrue(execute("execnet:group-list", "viewer").contains("local"));
    }

    @Test
    public void t6cASocketGatewayToTheDistributionsServer() throws Exception {
        Path script = Path.of(System.getProperty("karaf.home"), "bin", "execnet4j_socketserver.py");
        assertTrue(script + " is shipped", Files.isRegularFile(script));
        Process server = new ProcessBuilder("python3", script.toString(), "--bind", "127.0.0.1:0")
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
            Matcher ready = Pattern.compile("listening on (127\\.0\\.0\\.1:\\d+) ")
                    .matcher(out.readLine());
            assertTrue(ready.find());
            String created = execute("execnet:gateway-create sockets socket=" + ready.group(1));
            assertTrue(created, created.startsWith("sockets/gw0 started"));
            assertEquals("42", execute("execnet:exec sockets \"channel.send(6 * 7)\"").strip());
            String ended = execute("execnet:group-terminate sockets");
            assertTrue(ended, ended.contains("sockets/gw0: exited"));
        } finally {
            server.destroy();
            server.waitFor();
        }
    }

    @Test
    public void t6bRsyncSendsATreeToAGroupAndIsAdminOnly() throws Exception {
        Path data = Path.of(System.getProperty("karaf.data"));
        Path src = Files.createTempDirectory(data, "rsync-src");
        Files.writeString(src.resolve("a.txt"), "alpha");
        Files.createDirectories(src.resolve("sub"));
        Files.writeString(src.resolve("sub/skip.pyc"), "compiled");
        Path dst = data.resolve("rsync-dst");
        String out = execute("execnet:rsync --exclude *.pyc " + src + " local " + dst);
        assertTrue(out, out.contains("local/") && out.contains(" ok"));
        assertEquals("alpha", Files.readString(dst.resolve("a.txt")));
        assertTrue(Files.isDirectory(dst.resolve("sub")));
        assertFalse(Files.exists(dst.resolve("sub/skip.pyc")));
        String denied = execute("execnet:rsync " + src + " local " + dst, "viewer");
        assertTrue(denied, denied.startsWith("ERROR"));
    }

    @Test
    public void t7TheTraceConfigurationSwitchesTracing() throws Exception {
        assertTrue(execute("execnet:status"), execute("execnet:status").contains("Tracing: off"));
        Path directory = Files.createTempDirectory(Path.of(System.getProperty("karaf.data")), "trace");
        writeEtc("org.execnet4j.trace.cfg", "debug = 1\ndirectory = " + directory + "\n");
        await("tracing on", () -> execute("execnet:status").contains("Tracing: on (EXECNET_DEBUG=1)"));
        execute("execnet:exec local \"channel.send(1)\"");
        try (Stream<Path> files = Files.list(directory)) {
            Path trace = files.findFirst().orElseThrow();
            await("trace lines", () -> {
                try {
                    return Files.readString(trace).contains("gw0");
                } catch (IOException e) {
                    return false;
                }
            });
        }
        deleteEtc("org.execnet4j.trace.cfg");
        await("tracing off", () -> execute("execnet:status").contains("Tracing: off"));
    }

    @Test
    public void t9StoppingTheGroupBundleLeavesNoPythonProcess() throws Exception {
        writeEtc("org.execnet4j.group-itest.cfg", "specs = popen, popen\n");
        Group group = await("group itest", () -> group("itest").filter(g -> g.size() == 2)).get();
        Map<String, Long> pids = new HashMap<>();
        group.gateways().forEach(g -> pids.put(g.id(), g.remoteInfo().pid()));
        factory.newGroup("held").makeGateway("popen");
        assertNotEquals(Set.of(), pythonProcesses());

        Bundle bundle = bundle("org.execnet4j.group");
        bundle.stop();
        assertTrue(pids.values().stream().noneMatch(KarafTestSupport::isRunning));
        assertEquals("every python process ended with the bundle", Set.of(), pythonProcesses());

        bundle.start();
        await("group local back", () -> group("local").filter(g -> g.size() == 1));
        deleteEtc("org.execnet4j.group-itest.cfg");
    }

    /** Bundles that are neither active nor fragments (a refresh may leave some starting for a moment). */
    private List<String> notActive() {
        return Arrays.stream(bundleContext.getBundles())
                .filter(b -> b.getHeaders().get("Fragment-Host") == null && b.getState() != Bundle.ACTIVE)
                .map(b -> b.getSymbolicName() + " (state " + b.getState() + ")")
                .toList();
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle bundle : bundleContext.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }

    private static long pid(Group group, String id) {
        return group.get(id).orElseThrow().remoteInfo(TIMEOUT).pid();
    }
}
