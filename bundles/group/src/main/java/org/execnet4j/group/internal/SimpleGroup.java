package org.execnet4j.group.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.execnet4j.api.Gateway;
import org.execnet4j.api.Group;
import org.execnet4j.api.Spec;
import org.execnet4j.core.GatewayLauncher;

/** A {@link Group} over a {@link GatewayLauncher}: unique ids, parallel termination. */
public final class SimpleGroup implements Group {
    private final GatewayLauncher launcher;
    private final Map<String, Gateway> gateways = new LinkedHashMap<>();
    private final AtomicInteger counter = new AtomicInteger();

    public SimpleGroup(GatewayLauncher launcher) {
        this.launcher = launcher;
    }

    @Override
    public Gateway makeGateway(String specText) {
        Spec spec = Spec.parse(specText);
        String id = spec.id().orElseGet(() -> "gw" + counter.getAndIncrement());
        synchronized (gateways) {
            if (gateways.containsKey(id)) {
                throw new IllegalArgumentException("the group already has a gateway with id '" + id + "'");
            }
            gateways.put(id, null);
        }
        Gateway gateway;
        try {
            gateway = launcher.launch(spec, id);
        } catch (RuntimeException e) {
            synchronized (gateways) {
                gateways.remove(id);
            }
            throw e;
        }
        synchronized (gateways) {
            gateways.put(id, gateway);
        }
        return gateway;
    }

    @Override
    public Optional<Gateway> get(String id) {
        synchronized (gateways) {
            return Optional.ofNullable(gateways.get(id));
        }
    }

    @Override
    public List<Gateway> gateways() {
        synchronized (gateways) {
            return gateways.values().stream().filter(g -> g != null).toList();
        }
    }

    @Override
    public int size() {
        return gateways().size();
    }

    @Override
    public Iterator<Gateway> iterator() {
        return gateways().iterator();
    }

    @Override
    public void terminate(Duration timeout) {
        List<Gateway> ending;
        synchronized (gateways) {
            ending = new ArrayList<>(gateways());
            gateways.values().removeIf(g -> g != null);
        }
        CompletableFuture.allOf(ending.stream()
                .map(g -> CompletableFuture.runAsync(() -> g.exit(timeout), runnable -> {
                    Thread t = new Thread(runnable, "execnet4j-" + g.id() + "-exit");
                    t.setDaemon(true);
                    t.start();
                }))
                .toArray(CompletableFuture[]::new)).join();
    }

    @Override
    public void close() {
        terminate(launcher.settings().exitTimeout());
    }

    @Override
    public String toString() {
        return "<Group " + gateways().stream().map(Gateway::id).toList() + ">";
    }
}
