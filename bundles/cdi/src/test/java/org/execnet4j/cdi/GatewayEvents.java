package org.execnet4j.cdi;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Records the gateway events as "started group/id" and "ended group/id", across container restarts. */
@ApplicationScoped
public class GatewayEvents {
    static final List<String> SEEN = new CopyOnWriteArrayList<>();

    void started(@Observes GatewayStarted event) {
        SEEN.add("started " + event.group() + "/" + event.gateway().id());
    }

    void ended(@Observes GatewayEnded event) {
        SEEN.add("ended " + event.group() + "/" + event.gateway().id());
    }
}
