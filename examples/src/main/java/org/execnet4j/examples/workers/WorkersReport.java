package org.execnet4j.examples.workers;

import java.time.Duration;
import java.util.List;

import org.execnet4j.api.Channel;
import org.execnet4j.api.GatewayFactory;
import org.execnet4j.api.Group;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * A component of a user's bundle: runs code on every gateway of the configured group
 * {@code workers} (from {@code etc/org.execnet4j.group-workers.cfg}) and on a gateway of a group of
 * its own made through the {@link GatewayFactory}; that group ends when this bundle stops.
 */
@Component(service = WorkersReport.class)
public final class WorkersReport {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Group workers;
    private final Group own;

    /** Gets both services by constructor injection. */
    @Activate
    public WorkersReport(@Reference GatewayFactory factory, @Reference(target = "(name=workers)") Group workers) {
        this.workers = workers;
        this.own = factory.newGroup("example");
    }

    /** The process id of every worker. */
    public List<Object> workerPids() {
        return workers.remoteExec("import os; channel.send(os.getpid())").receiveEach(TIMEOUT);
    }

    /** Evaluates a Python expression on this bundle's own gateway, started on first use. */
    public Object evaluate(String expression) {
        synchronized (own) {
            if (own.size() == 0) {
                own.makeGateway("popen");
            }
        }
        Channel channel = own.gateways().get(0).remoteExec("channel.send(eval(channel.receive()))");
        channel.send(expression);
        return channel.receive(TIMEOUT);
    }

    @Deactivate
    void deactivate() {
        own.close();
    }
}
