package org.execnet4j.shell.internal;

import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.karaf.shell.support.CommandException;
import org.execnet4j.Execnet;
import org.execnet4j.api.Group;
import org.execnet4j.api.ServiceProperties;
import org.junit.jupiter.api.Test;

/** The directory keeps a group findable while Declarative Services updates its service properties. */
class GroupDirectoryTest {
    @Test
    void aGroupIsFoundWhileItsServicePropertiesChange() throws Exception {
        GroupDirectory directory = new GroupDirectory();
        try (Group group = Execnet.newGroup("pair")) {
            directory.addGroup(group, Map.of(ServiceProperties.GROUP_NAME, "pair"));
            AtomicBoolean done = new AtomicBoolean();
            Thread updater = new Thread(() -> {
                for (int i = 0; i < 200_000; i++) {
                    directory.updatedGroup(group, Map.of(ServiceProperties.GROUP_NAME, "pair", "round", i));
                }
                done.set(true);
            }, "updater");
            updater.start();
            try {
                while (!done.get()) {
                    assertSame(group, directory.group("pair"));
                }
            } catch (CommandException e) {
                throw new AssertionError("the group was missing during an update: " + e.getMessage(), e);
            } finally {
                updater.join();
            }
            assertSame(group, directory.group("pair"));
        }
    }
}
