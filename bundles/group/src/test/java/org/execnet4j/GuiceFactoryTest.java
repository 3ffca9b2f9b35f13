package org.execnet4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Duration;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;

import org.execnet4j.api.Gateway;
import org.execnet4j.api.GatewayFactory;
import org.execnet4j.api.Group;
import org.execnet4j.group.DefaultGatewayFactory;
import org.junit.jupiter.api.Test;

/** A real JSR-330 container (Guice, jakarta.inject) builds the plain GatewayFactory. */
class GuiceFactoryTest {

    /** A class of the user's that gets the factory injected. */
    static final class Worker {
        final GatewayFactory factory;

        @jakarta.inject.Inject
        Worker(GatewayFactory factory) {
            this.factory = factory;
        }
    }

    @Test
    void guiceInjectsAWorkingFactory() {
        Injector injector = Guice.createInjector(new AbstractModule() {
            @Override
            protected void configure() {
                bind(GatewayFactory.class).to(DefaultGatewayFactory.class);
            }
        });
        Worker worker = injector.getInstance(Worker.class);
        assertSame(worker.factory, injector.getInstance(GatewayFactory.class), "the factory is a singleton");
        Group group = worker.factory.newGroup("guice");
        Gateway gw = group.makeGateway(GroupTest.POPEN);
        assertEquals(6, gw.remoteExec("channel.send(2 * 3)").receive(Duration.ofSeconds(20)));
        Gateway single = worker.factory.makeGateway(GroupTest.POPEN);
        DefaultGatewayFactory factory = (DefaultGatewayFactory) worker.factory;
        assertEquals(2, factory.occupiedGroups());
        Group unused = factory.newGroup("unused");
        assertEquals(2, factory.occupiedGroups(), "an empty group is not held");
        Group shortLived = factory.newGroup("short");
        shortLived.makeGateway(GroupTest.POPEN);
        assertEquals(3, factory.occupiedGroups());
        shortLived.close();
        assertEquals(2, factory.occupiedGroups(), "a terminated group is let go");
        assertEquals(0, unused.size());
        factory.close();
        assertFalse(gw.isAlive());
        assertFalse(single.isAlive());
    }
}
