package org.execnet4j.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import javax.inject.Inject;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.ResultLog;
import org.apache.felix.hc.api.execution.HealthCheckExecutionOptions;
import org.apache.felix.hc.api.execution.HealthCheckExecutionResult;
import org.apache.felix.hc.api.execution.HealthCheckExecutor;
import org.apache.felix.hc.api.execution.HealthCheckSelector;
import org.apache.felix.inventory.Format;
import org.apache.felix.inventory.InventoryPrinter;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.GatewayFactory;
import org.execnet4j.api.GatewayMetrics;
import org.execnet4j.api.Group;
import org.execnet4j.api.Tracer;
import org.execnet4j.api.Transport;
import org.execnet4j.examples.workers.WorkersReport;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * execnet4j in its Karaf distribution, booted once for all tests. Each test checks one behaviour,
 * in any order: a test that changes the container (a .cfg file, a stopped bundle) puts it back,
 * and every test waits for the group {@code local} it may rely on.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ExecnetKarafIT extends KarafTestSupport {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String SEND_PID = "import os; channel.send(os.getpid())";
    private static final String[] NO_ROLES = {};

    @Inject
    private GatewayFactory factory;

    @Test
    public void theFeaturesInstallAndEveryBundleIsActive() throws Exception {
        assertTrue(featuresService.isInstalled(featuresService.getFeature("execnet4j")));
        assertTrue(featuresService.isInstalled(featuresService.getFeature("execnet4j-shell")));
        assertTrue(featuresService.isInstalled(featuresService.getFeature("execnet4j-healthcheck")));
        try {
            await("every bundle active", () -> notActive().isEmpty());
        } catch (AssertionError e) {
            throw new AssertionError("not active: " + notActive(), e);
        }
        Set<String> ours = Arrays.stream(bundleContext.getBundles()).map(Bundle::getSymbolicName)
                .filter(n -> n.startsWith("org.execnet4j.")).collect(Collectors.toSet());
        assertTrue(ours.toString(), ours.containsAll(Set.of("org.execnet4j.api", "org.execnet4j.serializer",
                "org.execnet4j.trace", "org.execnet4j.core", "org.execnet4j.transport-popen",
                "org.execnet4j.transport-ssh", "org.execnet4j.transport-socket", "org.execnet4j.group", "org.execnet4j.shell",
                "org.execnet4j.examples", "org.execnet4j.healthcheck", "org.execnet4j.inventory")));
        assertEquals(1, bundleContext.getServiceReferences(Transport.class, "(execnet.transport=popen)").size());
        assertEquals(1, bundleContext.getServiceReferences(Transport.class, "(execnet.transport=ssh)").size());
        assertEquals(1, bundleContext.getServiceReferences(Transport.class, "(execnet.transport=socket)").size());
        assertTrue(bundleContext.getServiceReference(Tracer.class) != null);
    }

    @Test
    public void everyConfigurationHasAMetatypeForm() {
        MetaTypeService metatype = bundleContext.getService(bundleContext.getServiceReference(MetaTypeService.class));
        MetaTypeInformation group = metatype.getMetaTypeInformation(bundle("org.execnet4j.group"));
        assertEquals(List.of("org.execnet4j.group"), List.of(group.getFactoryPids()));
        List<String> keys = Arrays.stream(group.getObjectClassDefinition("org.execnet4j.group", null)
                .getAttributeDefinitions(ObjectClassDefinition.ALL)).map(AttributeDefinition::getID).toList();
        assertTrue(keys.toString(), keys.containsAll(List.of("name", "specs", "terminate.timeout", "defaultSpec", "start",
                "webconsole.configurationFactory.nameHint")));
        assertEquals("the audit switch", List.of("org.execnet4j.audit"), List.of(group.getPids()));
        MetaTypeInformation trace = metatype.getMetaTypeInformation(bundle("org.execnet4j.trace"));
        assertEquals(List.of("org.execnet4j.trace"), List.of(trace.getPids()));
    }

    @Test
    public void theFeatureShipsTheCommandAndJmxAcls() {
        String command = execute("config:list '(service.pid=org.apache.karaf.command.acl.execnet)'");
        for (String line : List.of("exec = admin", "gateway-create = admin", "gateway-terminate = admin",
                "group-terminate = admin", "group-list = viewer")) {
            assertTrue(command, command.contains(line));
        }
        String jmx = execute("config:list '(service.pid=jmx.acl.org.execnet4j.Gateway)'");
        assertTrue(jmx, jmx.contains("terminate = admin") && jmx.contains("restart = admin") && jmx.contains("get* = viewer"));
    }

    @Test
    public void theDefaultGroupLocalAnswers() {
        Group local = local();
        assertEquals(1, local.size());
        assertEquals(List.of(42), local.remoteExec("channel.send(6 * 7)").receiveEach(TIMEOUT));
    }

    @Test
    public void aGroupFollowsItsCfgFile() throws Exception {
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
        assertFalse("the old a is gone", isRunning(a));

        deleteEtc("org.execnet4j.group-itest.cfg");
        await("group itest gone", () -> group("itest").isEmpty());
        await("its processes gone", () -> !isRunning(a2) && !isRunning(b));
    }

    @Test
    public void anInjectedFactoryMakesGroups() {
        Group group = factory.newGroup("itest-factory");
        Gateway gateway = group.makeGateway("popen");
        assertEquals(2, gateway.remoteExec("channel.send(1 + 1)").receive(TIMEOUT));
        long pid = gateway.remoteInfo().pid();
        assertTrue(pythonProcesses().contains(pid));
        group.close();
        assertFalse(isRunning(pid));
    }

    @Test
    public void theExampleBundleGetsTheFactoryAndTheWorkersGroup() throws Exception {
        writeEtc("org.execnet4j.group-workers.cfg", "specs = popen, popen\n");
        try {
            WorkersReport report = await("the example component",
                    () -> bundleContext.getService(bundleContext.getServiceReference(WorkersReport.class)));
            assertEquals(execute("execnet:gateway-list workers"), 2, report.workerPids().size());
            assertEquals(1024, report.evaluate("2 ** 10"));
        } finally {
            deleteGroupConfiguration("workers");
        }
        await("the example component gone", () -> bundleContext.getServiceReference(WorkersReport.class) == null);
    }

    @Test
    public void theListsShowEachGroupAndGatewayWithItsState() {
        String id = local().gateways().get(0).id();
        long pid = pid(local(), id);
        String groups = execute("execnet:group-list");
        assertTrue(groups, groups.matches("(?s).*\\nlocal +\\| eager +\\| 1 +\\| 1 +\\| ok +\\| popen//python=python3\\s.*"));
        Gateway gateway = local().get(id).orElseThrow();
        GatewayMetrics before = gateway.metrics();
        String gateways = execute("execnet:gateway-list local");
        GatewayMetrics after = gateway.metrics();
        Matcher row = Pattern.compile("\\n" + id + " +\\| local +\\| popen//python=python3 +\\| " + pid
                + " +\\| 3\\.\\d+\\.\\d+ +\\| true +\\| 0 +\\| (\\d+) +\\| (\\d+) +\\| (\\d+) +\\| (\\d+) +\\| (\\d+)\\s").matcher(gateways);
        assertTrue(gateways, row.find());
        // the list's own queries (pid, status) count too: each figure lies between the counts before and after it
        assertBetween(gateways, before.messagesReceived(), Long.parseLong(row.group(1)), after.messagesReceived());
        assertBetween(gateways, before.messagesSent(), Long.parseLong(row.group(2)), after.messagesSent());
        assertBetween(gateways, before.bytesReceived(), Long.parseLong(row.group(3)), after.bytesReceived());
        assertBetween(gateways, before.bytesSent(), Long.parseLong(row.group(4)), after.bytesSent());
        assertBetween(gateways, before.channelsOpened(), Long.parseLong(row.group(5)), after.channelsOpened());
        assertTrue(gateways, before.messagesSent() > 0 && before.bytesSent() > before.messagesSent());
        String status = execute("execnet:status local");
        assertTrue(status, status.contains("Transports: popen, socket, ssh") && status.contains("Tracing: off")
                && status.matches("(?s).*\\nlocal +\\| " + id + " +\\| true +\\| 0 +\\| 0 +\\| \\w+\\s.*"));
    }

    @Test
    public void execPrintsNestedValuesAsPythonReprs() {
        local();
        String printed = execute("execnet:exec local 'channel.send([None, \"a\", b\"x\", {\"k\": None}, (1,), True]); "
                + "channel.send(frozenset({3})); channel.send((1+2j, float(\"nan\"), [[[{1: (2.5, -0.0)}]]]))'");
        assertEquals("[None, 'a', b'x', {'k': None}, (1,), True]\nfrozenset({3})\n((1+2j), nan, [[[{1: (2.5, -0.0)}]]])\n",
                printed);
    }

    @Test
    public void execShowsTheWholeRemoteTracebackAndFailsWithItsLastLine() throws Exception {
        local();
        long logged = logLength();
        String failed = execute("execnet:exec local 'def divide(x):\n    return 1 / x\ndivide(0)'");
        System.out.println("execnet:exec with a remote error:\n" + failed);
        List<String> lines = failed.lines().toList();
        assertTrue(failed, lines.contains("Traceback (most recent call last):"));
        assertTrue(failed, failed.matches("(?s).*line 3, in <module>.*line 2, in divide.*"));
        assertEquals(failed, "ZeroDivisionError: division by zero", lines.get(lines.size() - 2));
        assertEquals(failed, "ERROR: ZeroDivisionError: division by zero", lines.get(lines.size() - 1));
        assertNoErrorLogged(logged);
    }

    @Test
    public void execOnSeveralGatewaysPrefixesEachGatewaysValuesAndErrors() throws Exception {
        writeEtc("org.execnet4j.group-pair.cfg", "specs = popen//id=p1//env:WHO=p1, popen//id=p2//env:WHO=p2\n");
        try {
            await("group pair", () -> group("pair").filter(g -> g.size() == 2));
            String printed = execute("execnet:exec pair 'import os\nchannel.send(os.environ[\"WHO\"])\n"
                    + "assert os.environ[\"WHO\"] == \"p1\", \"not p1\"'");
            List<String> lines = printed.lines().toList();
            assertTrue(printed, lines.contains("[pair/p1] 'p1'") && lines.contains("[pair/p2] 'p2'"));
            assertTrue(printed, lines.contains("[pair/p2] Traceback (most recent call last):"));
            assertTrue(printed, lines.contains("[pair/p2] AssertionError: not p1"));
            assertTrue(printed, lines.stream().noneMatch(l -> l.startsWith("[pair/p1] Traceback")));
            assertEquals(printed, "ERROR: 1 of 2 gateways failed: pair/p2", lines.get(lines.size() - 1));
        } finally {
            deleteGroupConfiguration("pair");
        }
    }

    @Test
    public void execReadsItsSourceFromAFileOrStandardInput() throws Exception {
        local();
        Path script = Files.createTempFile(Path.of(System.getProperty("karaf.data")), "job", ".py");
        Files.writeString(script, "data = {'a': [1, 2]}\nchannel.send(data)\n");
        assertEquals("{'a': [1, 2]}\n", execute("execnet:exec --file " + script + " local"));
        assertEquals("{'a': [1, 2]}\n", session("channel.send({'a': [1, 2]})\n", NO_ROLES, "execnet:exec --file - local"));
        assertEquals("{'a': [1, 2]}\n", session("channel.send({'a': [1, 2]})\n", NO_ROLES, "execnet:exec local"));
        assertEquals("5\n", execute("echo 'channel.send(5)' | execnet:exec local"));
        assertEquals("[1, 2]\n", execute("cat " + script + " | execnet:exec local 'channel.send([1, 2])'"));
        assertEquals("ERROR: file /nonexistent.py does not exist\n", execute("execnet:exec -f /nonexistent.py local"));
        String help = execute("execnet:exec --help");
        assertTrue(help, help.contains("single quotes") && help.contains("--file -"));
    }

    @Test
    public void userErrorsAreOneLineAndLogNoStackTrace() throws Exception {
        local();
        long logged = logLength();
        assertEquals("ERROR: no group or gateway 'nosuch'; see execnet:group-list and execnet:gateway-list\n",
                execute("execnet:exec nosuch 'channel.send(1)'"));
        String badSpec = execute("execnet:gateway-create scratch2 nonsense");
        assertTrue(badSpec, badSpec.startsWith("ERROR: bad spec 'nonsense': ") && badSpec.strip().lines().count() == 1);
        String noPython = execute("execnet:gateway-create scratch2 popen//python=/nonexistent/python");
        assertTrue(noPython, noPython.startsWith("ERROR: cannot start 'popen//python=/nonexistent/python': ")
                && noPython.strip().lines().count() == 1);
        assertFalse("a group made for a gateway that failed is gone", execute("execnet:group-list").contains("scratch2"));
        String noGroup = execute("execnet:group-terminate nosuch");
        assertTrue(noGroup, noGroup.startsWith("ERROR: no group 'nosuch'; groups: ") && noGroup.contains("local")
                && noGroup.strip().lines().count() == 1);
        assertNoErrorLogged(logged);
    }

    @Test
    public void aGroupMadeInTheShellLivesUntilTerminated() {
        String created = execute("execnet:gateway-create scratch popen");
        assertTrue(created, created.matches("scratch/gw0 started: popen \\(pid \\d+, python 3\\.\\d+\\.\\d+\\)\\n"));
        long pid = Long.parseLong(created.replaceAll("(?s).*pid (\\d+).*", "$1"));
        assertEquals("42\n", execute("execnet:exec scratch 'channel.send(6 * 7)'"));
        assertTrue(execute("execnet:group-list"), execute("execnet:group-list").matches("(?s).*\\nscratch +\\| shell +\\| 1 +\\| 1 .*"));
        assertEquals("scratch/gw0: exited\ngroup scratch removed\n", execute("execnet:group-terminate scratch"));
        assertFalse(isRunning(pid));
        assertFalse(execute("execnet:group-list").contains("scratch"));
    }

    @Test
    public void aViewerMayListButNotRunCode() {
        local();
        String denied = execute("execnet:exec local 'channel.send(\"ran\")'", "viewer");
        assertTrue("the ACL hides the command from a viewer: " + denied, denied.startsWith("ERROR: Command not found: execnet:exec"));
        assertTrue(execute("execnet:gateway-create viewers popen", "viewer").startsWith("ERROR"));
        assertTrue(execute("execnet:group-list", "viewer").contains("local"));
    }

    @Test
    public void aSocketGatewayReachesTheDistributionsServer() throws Exception {
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
    public void rsyncSendsATreeToAGroupAndIsAdminOnly() throws Exception {
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
    public void everyExecFromTheShellIsAudited() throws Exception {
        String id = local().gateways().get(0).id();
        long logged = logLength();
        String source = "channel.send('audited')\nchannel.send(2)";
        assertEquals("'audited'\n2\n", session(source, NO_ROLES, "execnet:exec local"));
        String sha256 = sha256(source);
        String line = await("the audit line", () -> {
            try {
                return logSince(logged).lines().filter(l -> l.contains("remoteExec user=" + USER)).findFirst().orElse(null);
            } catch (IOException e) {
                return null;
            }
        });
        assertTrue(line, line.contains("| audit ") && line.contains("target=local gateways=local/" + id)
                && line.contains("sha256=" + sha256) && line.contains("first-line=\"channel.send('audited')\""));
    }

    @Test
    public void theTraceConfigurationSwitchesTracing() throws Exception {
        String id = local().gateways().get(0).id();
        Path directory = Files.createTempDirectory(Path.of(System.getProperty("karaf.data")), "trace");
        writeEtc("org.execnet4j.trace.cfg", "debug = 1\ndirectory = " + directory + "\n");
        try {
            await("tracing on", () -> execute("execnet:status").contains("Tracing: on (EXECNET_DEBUG=1)"));
            execute("execnet:exec local 'channel.send(1)'");
            Path trace = await("a trace file", () -> {
                try (Stream<Path> files = Files.list(directory)) {
                    return files.findFirst().orElse(null);
                } catch (IOException e) {
                    return null;
                }
            });
            await("trace lines", () -> {
                try {
                    return Files.readString(trace).contains(id);
                } catch (IOException e) {
                    return false;
                }
            });
        } finally {
            deleteEtc("org.execnet4j.trace.cfg");
        }
        await("tracing off", () -> execute("execnet:status").contains("Tracing: off"));
    }

    @Test
    public void aConfigurationThatCannotBeUsedIsReportedAndTheOtherGroupsKeepWorking() throws Exception {
        writeEtc("org.execnet4j.group-broken.cfg", "specs = popen\nterminate.timeout = abc\nstart = sometimes\n");
        try {
            String listed = await("group broken listed", () -> {
                String list = execute("execnet:group-list");
                return list.contains("broken") ? list : null;
            });
            System.out.println("execnet:group-list with a bad configuration:\n" + listed);
            assertTrue(listed, listed.matches("(?s).*\\nbroken +\\| eager +\\| 0 +\\| 0 +\\| config error .*"));
            assertTrue(listed, listed.contains("broken: configuration error: terminate.timeout = abc: not a number of seconds"));
            assertTrue(listed, listed.contains("start = sometimes: must be eager or lazy"));
            assertEquals(List.of(42), local().remoteExec("channel.send(6 * 7)").receiveEach(TIMEOUT));
            assertTrue(execute("execnet:exec broken 'channel.send(1)'").startsWith("ERROR: group 'broken' has no gateways (configuration error: "));

            writeEtc("org.execnet4j.group-broken.cfg", "specs = popen//id=b1\n");
            Group fixed = await("fixed", () -> group("broken").filter(g -> g.get("b1").isPresent()).orElse(null));
            long pid = pid(fixed, "b1");
            writeEtc("org.execnet4j.group-broken.cfg", "specs = popen//id=b1, popen//id=b2\nstart = sometimes\n");
            await("the bad update reported", () -> execute("execnet:group-list").contains("broken: configuration error: start = sometimes"));
            assertEquals("the group keeps its last good configuration", pid, pid(group("broken").orElseThrow(), "b1"));
            assertFalse(group("broken").orElseThrow().get("b2").isPresent());
        } finally {
            deleteGroupConfiguration("broken");
        }
    }

    @Test
    public void aGatewayThatCannotStartIsListedWithWhy() throws Exception {
        writeEtc("org.execnet4j.group-nopython.cfg", "specs = popen//id=n1//python=/nonexistent/python, popen//id=n2\n");
        try {
            String listed = await("group nopython with its failure", () -> {
                String list = execute("execnet:group-list");
                return list.contains("1 not started") ? list : null;
            });
            System.out.println("execnet:group-list with a gateway that did not start:\n" + listed);
            assertTrue(listed, listed.matches("(?s).*\\nnopython +\\| eager +\\| 1 +\\| 1 +\\| 1 not started .*"));
            assertTrue(listed, listed.contains("  nopython: popen//id=n1//python=/nonexistent/python: "));
            String status = execute("execnet:status nopython");
            assertTrue(status, status.contains("nopython: popen//id=n1//python=/nonexistent/python: "));
        } finally {
            deleteGroupConfiguration("nopython");
        }
    }

    @Test
    public void aConfigurationMadeWithConfigEditIsNamedAfterItsAlias() throws Exception {
        String made = session("", NO_ROLES, "config:edit --factory --alias shellgrp org.execnet4j.group",
                "config:property-set specs popen//id=s1", "config:update");
        assertFalse(made, made.contains("ERROR"));
        try {
            Group group = await("group shellgrp", () -> group("shellgrp").filter(g -> g.get("s1").isPresent()).orElse(null));
            assertEquals("shellgrp", group.name());
            assertEquals(List.of(3), group.remoteExec("channel.send(1 + 2)").receiveEach(TIMEOUT));
        } finally {
            deleteGroupConfiguration("shellgrp");
        }
    }

    @Test
    public void stoppingATransportEndsItsGatewaysAndTheyComeBackWithIt() throws Exception {
        long pid = pid(local(), local().gateways().get(0).id());
        Group own = factory.newGroup("own");
        long ownPid = own.makeGateway("popen").remoteInfo(TIMEOUT).pid();
        Bundle popen = bundle("org.execnet4j.transport-popen");
        popen.stop();
        try {
            assertFalse("the gateway ended with its transport", isRunning(pid));
            assertFalse("so did the one made through the factory", isRunning(ownPid));
            assertEquals(0, group("local").orElseThrow().size());
            assertTrue(execute("execnet:group-list").contains("local: popen//python=python3: waiting for a transport for 'popen'"));
        } finally {
            popen.start();
        }
        assertNotEquals(pid, pid(local(), local().gateways().get(0).id()));
        own.close();
    }

    @Test
    public void aGroupStartedBeforeItsTransportWaitsForItWithoutWarning() throws Exception {
        local();
        Bundle group = bundle("org.execnet4j.group");
        Bundle popen = bundle("org.execnet4j.transport-popen");
        long logged = logLength();
        group.stop();
        popen.stop();
        try {
            group.start();
            await("local waits", () -> execute("execnet:group-list").contains("local: popen//python=python3: waiting for a transport"));
        } finally {
            popen.start();
        }
        assertEquals("the first start is the one that counts", List.of("gw0"),
                local().gateways().stream().map(Gateway::id).toList());
        assertFalse(logSince(logged), logSince(logged).contains("did not start"));
    }

    @Test
    public void jmxShowsEachGroupAndGatewayAndRestartsThem() throws Exception {
        String id = local().gateways().get(0).id();
        long pid = pid(local(), id);
        MBeanServer server = bundleContext.getService(bundleContext.getServiceReference(MBeanServer.class));
        ObjectName groupName = new ObjectName("org.execnet4j:type=Group,name=\"local\"");
        ObjectName gatewayName = new ObjectName("org.execnet4j:type=Gateway,group=\"local\",id=\"" + id + "\"");
        await("the gateway's MBean", () -> server.isRegistered(gatewayName));
        assertEquals(1, server.getAttribute(groupName, "Alive"));
        assertEquals("eager", server.getAttribute(groupName, "Start"));
        assertEquals(List.of("popen//python=python3"), List.of((String[]) server.getAttribute(groupName, "Specs")));
        assertEquals(0, ((String[]) server.getAttribute(groupName, "Problems")).length);
        assertEquals(pid, server.getAttribute(gatewayName, "Pid"));
        assertEquals(true, server.getAttribute(gatewayName, "Alive"));
        assertEquals(0, server.getAttribute(gatewayName, "Executing"));
        Gateway gateway = local().get(id).orElseThrow();
        long sent = gateway.metrics().messagesSent();
        long mbeanSent = (Long) server.getAttribute(gatewayName, "MessagesSent");
        assertBetween("MessagesSent", sent, mbeanSent, gateway.metrics().messagesSent());
        assertTrue((Long) server.getAttribute(gatewayName, "BytesReceived") > (Long) server.getAttribute(gatewayName, "MessagesReceived"));
        assertTrue((Long) server.getAttribute(gatewayName, "ChannelsOpened") > 0);
        assertEquals(gateway.metrics().openChannels(), server.getAttribute(gatewayName, "OpenChannels"));
        System.out.println("JMX " + gatewayName + ": Pid=" + server.getAttribute(gatewayName, "Pid") + " Alive="
                + server.getAttribute(gatewayName, "Alive") + " Channels=" + server.getAttribute(gatewayName, "Channels")
                + " Spec=" + server.getAttribute(gatewayName, "Spec") + " MessagesSent=" + mbeanSent + " BytesSent="
                + server.getAttribute(gatewayName, "BytesSent") + " MessagesReceived=" + server.getAttribute(gatewayName, "MessagesReceived")
                + " BytesReceived=" + server.getAttribute(gatewayName, "BytesReceived"));

        assertEquals("exited", server.invoke(gatewayName, "restart", new Object[0], new String[0]));
        assertFalse(isRunning(pid));
        Gateway restarted = local().gateways().get(0);
        long newPid = pid(local(), restarted.id());
        assertNotEquals(pid, newPid);
        ObjectName restartedName = new ObjectName("org.execnet4j:type=Gateway,group=\"local\",id=\"" + restarted.id() + "\"");
        await("the restarted gateway's MBean, registered as it started", () -> {
            try {
                return server.isRegistered(restartedName) && newPid == (Long) server.getAttribute(restartedName, "Pid");
            } catch (JMException e) {
                return false;
            }
        });
    }

    @Test
    public void everyRemoteExecIsAuditedWhileTheAuditConfigurationSaysSo() throws Exception {
        Group group = factory.newGroup("audited");
        try {
            Gateway gateway = group.makeGateway("popen");
            String caller = FrameworkUtil.getBundle(getClass()).getSymbolicName();
            writeEtc("org.execnet4j.audit.cfg", "enabled = true\n");
            String line = await("an audit line of this bundle's remoteExec", () -> auditLine(gateway, "channel.send('on')"));
            assertTrue(line, line.contains("| audit ") && line.contains("remoteExec caller=" + caller + " class=" + getClass().getName()
                    + " group=audited gateway=" + gateway.id() + " spec=popen sha256="));
            assertTrue(line, line.contains("first-line=\"channel.send('on')"));
            writeEtc("org.execnet4j.audit.cfg", "enabled = false\n");
            await("no audit line once switched off", () -> auditLine(gateway, "channel.send('off')") == null);
        } finally {
            group.close();
            execute("config:delete org.execnet4j.audit");
            Files.deleteIfExists(Path.of(System.getProperty("karaf.etc"), "org.execnet4j.audit.cfg"));
        }
    }

    @Test
    public void eachConfiguredGroupHasAHealthCheckForTheExecutorTheShellAndJmx() throws Exception {
        local();
        HealthCheckExecutor executor = bundleContext.getService(bundleContext.getServiceReference(HealthCheckExecutor.class));
        HealthCheckExecutionResult ok = await("local's health check", () -> healthCheck(executor, "execnet4j group local"));
        assertEquals(Result.Status.OK, ok.getHealthCheckResult().getStatus());
        assertEquals(List.of("execnet4j"), ok.getHealthCheckMetadata().getTags());

        writeEtc("org.execnet4j.group-hcbad.cfg", "specs = socket=127.0.0.1:1\n");
        try {
            HealthCheckExecutionResult bad = await("hcbad critical", () -> Optional.ofNullable(healthCheck(executor, "execnet4j group hcbad"))
                    .filter(r -> r.getHealthCheckResult().getStatus() == Result.Status.CRITICAL).orElse(null));
            String messages = StreamSupport.stream(bad.getHealthCheckResult().spliterator(), false).map(ResultLog.Entry::getMessage)
                    .collect(Collectors.joining("\n"));
            assertTrue(messages, messages.startsWith("group hcbad: socket=127.0.0.1:1: did not start: "));

            String shell = returned("hc:exec execnet4j");
            System.out.println("hc:exec execnet4j\n" + shell);
            assertTrue(shell, shell.contains("execnet4j group hcbad") && shell.contains("CRITICAL") && shell.contains("execnet4j group local"));

            MBeanServer server = bundleContext.getService(bundleContext.getServiceReference(MBeanServer.class));
            ObjectName hc = await("hcbad's health check MBean", () -> server.queryNames(null, null).stream()
                    .filter(n -> "HealthCheck".equals(n.getKeyProperty("type")) && "execnet4j-group-hcbad".equals(n.getKeyProperty("name")))
                    .findFirst().orElse(null));
            System.out.println("JMX " + hc + ": status=" + server.getAttribute(hc, "status") + " ok=" + server.getAttribute(hc, "ok"));
            assertEquals("CRITICAL", server.getAttribute(hc, "status"));
        } finally {
            deleteGroupConfiguration("hcbad");
        }
    }

    @Test
    public void theWebConsoleShowsAStatusPageOfTheGroupsToAdminsOnly() throws Exception {
        assertTrue(featuresService.isInstalled(featuresService.getFeature("webconsole")));
        String id = local().gateways().get(0).id();
        ServiceReference<InventoryPrinter> ref = await("the execnet4j inventory printer", () -> {
            try {
                return bundleContext.getServiceReferences(InventoryPrinter.class, "(" + InventoryPrinter.NAME + "=execnet4j)").stream()
                        .findFirst().orElse(null);
            } catch (InvalidSyntaxException e) {
                throw new IllegalArgumentException(e);
            }
        });
        StringWriter text = new StringWriter();
        bundleContext.getService(ref).print(new PrintWriter(text), Format.TEXT, false);
        assertTrue(text.toString(), text.toString().contains("group local (eager)\n  specs: popen//python=python3\n  gateway " + id
                + ": popen//python=python3 (alive)"));

        Properties web = new Properties();
        try (var in = Files.newBufferedReader(Path.of(System.getProperty("karaf.etc"), "org.ops4j.pax.web.cfg"))) {
            web.load(in);
        }
        URL page = new URL("http://127.0.0.1:" + web.getProperty(HTTP_PORT) + "/system/console/status-execnet4j.txt");
        String body = await("the status page", () -> get(page, "karaf:karaf", 200));
        System.out.println("GET " + page + "\n" + body);
        assertTrue(body, body.contains("group local (eager)"));
        assertEquals("unauthorized", get(page, null, 401));
    }

    /** Runs {@code source} on the gateway and returns its audit line in karaf.log, or null if there is none. */
    private String auditLine(Gateway gateway, String source) {
        String unique = source + "  # " + System.nanoTime();
        try {
            long offset = logLength();
            gateway.remoteExec(unique).receive(TIMEOUT);
            Thread.sleep(500);
            return logSince(offset).lines().filter(l -> l.contains("remoteExec caller=") && l.contains(sha256(unique))).findFirst()
                    .orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HealthCheckExecutionResult healthCheck(HealthCheckExecutor executor, String name) {
        return executor.execute(HealthCheckSelector.tags("execnet4j"), new HealthCheckExecutionOptions().setForceInstantExecution(true))
                .stream().filter(r -> r.getHealthCheckMetadata().getName().equals(name)).findFirst().orElse(null);
    }

    /** The body of a GET with basic authentication ({@code user:password} or none), if it answers with this status; "unauthorized" for a 401. */
    private static String get(URL url, String credentials, int status) {
        try {
            HttpURLConnection connection = (HttpURLConnection) url.openConnection();
            if (credentials != null) {
                connection.setRequestProperty("Authorization",
                        "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
            }
            int code = connection.getResponseCode();
            if (code != status) {
                return null;
            }
            if (code == 401) {
                return "unauthorized";
            }
            try (var in = connection.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            return null;
        }
    }

    private static String sha256(String source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    public void stoppingTheGroupBundleLeavesNoPythonProcess() throws Exception {
        writeEtc("org.execnet4j.group-itest2.cfg", "specs = popen, popen\n");
        try {
            Group group = await("group itest2", () -> group("itest2").filter(g -> g.size() == 2)).get();
            List<Long> pids = group.gateways().stream().map(g -> g.remoteInfo(TIMEOUT).pid()).toList();
            long held = factory.newGroup("held").makeGateway("popen").remoteInfo(TIMEOUT).pid();
            assertTrue(pythonProcesses().containsAll(pids) && pythonProcesses().contains(held));

            Bundle bundle = bundle("org.execnet4j.group");
            bundle.stop();
            try {
                assertTrue(pids.stream().noneMatch(KarafTestSupport::isRunning));
                assertFalse(isRunning(held));
                assertEquals("every python process of this Karaf ended with the bundle", Set.of(), pythonProcesses());
            } finally {
                bundle.start();
            }
        } finally {
            deleteGroupConfiguration("itest2");
        }
        local();
    }

    private static void assertBetween(String context, long low, long value, long high) {
        assertTrue(context + ": " + low + " <= " + value + " <= " + high, low <= value && value <= high);
    }

    /** The group {@code local} once its gateway is alive (after a test that stopped a bundle, it comes back). */
    private Group local() {
        return await("group local with a live gateway",
                () -> group("local").filter(g -> g.size() == 1 && g.gateways().get(0).isAlive()).orElse(null));
    }

    private static void assertNoErrorLogged(long offset) throws IOException {
        List<String> errors = logSince(offset).lines().filter(l -> l.contains("| ERROR |") || l.contains("Exception caught while executing"))
                .toList();
        assertEquals("no ERROR in karaf.log", List.of(), errors);
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
