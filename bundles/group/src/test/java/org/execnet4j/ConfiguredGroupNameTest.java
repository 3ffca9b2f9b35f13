package org.execnet4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.execnet4j.group.internal.ConfiguredGroupComponent;
import org.junit.jupiter.api.Test;

/** The name a configured group gets when its configuration names none. */
class ConfiguredGroupNameTest {

    @Test
    void aFileInstallFileNamesItsGroup() {
        assertEquals("workers", ConfiguredGroupComponent.defaultName(Map.of("service.pid", "org.execnet4j.group~workers",
                "felix.fileinstall.filename", "file:/opt/karaf/etc/org.execnet4j.group-workers.cfg")));
    }

    @Test
    void anAliasOfKarafsConfigEditNamesItsGroupNotTheGeneratedPid() {
        assertEquals("shellgrp", ConfiguredGroupComponent.defaultName(Map.of(
                "service.pid", "org.execnet4j.group.0ac88ecc-9355-4a92-8499-c8dd15ebe5ab",
                "felix.fileinstall.filename", "file:/opt/karaf/etc/org.execnet4j.group-shellgrp.cfg")));
    }

    @Test
    void withoutAFileTheNamedFactoryPidGivesTheName() {
        assertEquals("api", ConfiguredGroupComponent.defaultName(Map.of("service.pid", "org.execnet4j.group~api")));
        assertEquals("org.execnet4j.group.1234", ConfiguredGroupComponent.defaultName(Map.of("service.pid", "org.execnet4j.group.1234")));
    }
}
