package org.execnet4j.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.execnet4j.api.GatewayFactory;
import org.execnet4j.api.Group;

/** An application bean that gets the factory and two configured groups injected (read them through its methods: it is proxied). */
@ApplicationScoped
public class Worker {
    @Inject
    GatewayFactory factory;

    @Inject
    @ExecnetGroup("workers")
    Group workers;

    @Inject
    @ExecnetGroup("eager")
    Group eager;

    GatewayFactory factory() {
        return factory;
    }

    Group workers() {
        return workers;
    }

    Group eager() {
        return eager;
    }
}
