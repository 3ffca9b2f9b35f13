package org.execnet4j.itests.jakartaee;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.execnet4j.cdi.GatewayEnded;
import org.execnet4j.cdi.GatewayStarted;

/** Observes the gateway events, as "started group/id" and "ended group/id". */
@ApplicationScoped
public class GatewayLog {
    private final List<String> seen = new CopyOnWriteArrayList<>();

    void started(@Observes GatewayStarted event) {
        seen.add("started " + event.group() + "/" + event.gateway().id());
    }

    void ended(@Observes GatewayEnded event) {
        seen.add("ended " + event.group() + "/" + event.gateway().id());
    }

    /**
     * What was observed so far.
     *
     * @return the events, oldest first
     */
    public List<String> seen() {
        return List.copyOf(seen);
    }
}
