package org.execnet4j.transport.socket;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.execnet4j.Execnet;
import org.execnet4j.api.Group;
import org.execnet4j.core.EngineSettings;
import org.execnet4j.core.GatewayLauncher;
import org.execnet4j.core.TransportLocator;
import org.execnet4j.group.DefaultGatewayFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** Servers, groups and the leftover count every socket test shares. */
abstract class SocketTestBase {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final List<ServerProcess> servers = new ArrayList<>();
    private final List<Group> groups = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    /** A group that ends with the test. */
    Group group() {
        Group g = Execnet.newGroup("socket-test");
        groups.add(g);
        return g;
    }

    /** A group whose gateways give up on a silent remote after {@code bootstrap}. */
    Group group(Duration bootstrap) {
        DefaultGatewayFactory factory = new DefaultGatewayFactory(new GatewayLauncher(
                TransportLocator.serviceLoader(getClass().getClassLoader()),
                EngineSettings.builder().bootstrapTimeout(bootstrap).build()));
        closeables.add(factory);
        Group g = factory.newGroup("socket-test-short");
        groups.add(g);
        return g;
    }

    /** execnet4j's server on 127.0.0.1 and a free port, with more options. */
    ServerProcess ourServer(String... options) throws IOException {
        List<String> all = new ArrayList<>(List.of(options));
        if (!all.contains("--bind")) {
            all.addAll(List.of("--bind", "127.0.0.1:0"));
        }
        return track(ServerProcess.ours(dir, all.toArray(String[]::new)));
    }

    ServerProcess execnetServer() throws IOException {
        return track(ServerProcess.execnets());
    }

    ServerProcess track(ServerProcess server) {
        servers.add(server);
        return server;
    }

    @AfterEach
    void nothingOfOursIsLeft() throws Exception {
        Set<Long> pids = new HashSet<>();
        ProcessHandle.current().descendants().forEach(p -> pids.add(p.pid()));
        for (Group g : groups) {
            g.terminate(Duration.ofSeconds(10));
        }
        for (AutoCloseable c : closeables) {
            c.close();
        }
        ProcessHandle.current().descendants().forEach(p -> pids.add(p.pid()));
        for (ServerProcess s : servers) {
            s.close();
        }
        Leftovers.assertNothingLeft(pids);
    }
}
