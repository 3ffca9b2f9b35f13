package org.execnet4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.execnet4j.group.GroupConfiguration;
import org.execnet4j.group.GroupConfiguration.Problem;
import org.execnet4j.group.GroupConfiguration.Start;
import org.execnet4j.group.GroupConfiguration.UnknownKeys;
import org.execnet4j.group.InvalidGroupConfigurationException;
import org.junit.jupiter.api.Test;

/** The one parser of group configuration keys: what it accepts, its defaults, and how it names bad keys. */
class GroupConfigurationTest {

    private static List<Problem> problems(Map<String, ?> values, UnknownKeys unknownKeys) {
        return assertThrows(InvalidGroupConfigurationException.class,
                () -> GroupConfiguration.parse("workers", values, unknownKeys)).problems();
    }

    @Test
    void onlySpecsGivenTakesTheDocumentedDefaults() {
        GroupConfiguration config = GroupConfiguration.parse("workers", Map.of("specs", "popen//id=w1, popen//id=w2"),
                UnknownKeys.REJECT);
        assertEquals("workers", config.name());
        assertEquals(List.of("popen//id=w1", "popen//id=w2"), config.specs());
        assertEquals(Duration.ofSeconds(5), config.terminateTimeout());
        assertEquals("popen", config.defaultSpec());
        assertEquals(Start.EAGER, config.start());
        assertEquals(Optional.empty(), config.warmStart(), "the warm start is the launcher's");
    }

    @Test
    void warmStartIsTrueFalseOrLeftToTheLauncher() {
        for (Object value : List.of("false", " FALSE ", Boolean.FALSE, new String[] {"false"})) {
            assertEquals(Optional.of(false), GroupConfiguration.parse("w", Map.of("specs", "popen", "warmStart", value),
                    UnknownKeys.REJECT).warmStart(), String.valueOf(value));
        }
        assertEquals(Optional.of(true), GroupConfiguration.parse("w", Map.of("specs", "popen", "warmStart", "true"),
                UnknownKeys.REJECT).warmStart());
        assertEquals(Optional.empty(), GroupConfiguration.parse("w", Map.of("specs", "popen", "warmStart", " "),
                UnknownKeys.REJECT).warmStart());
        assertEquals(List.of(new Problem("warmStart", "sometimes", "must be true or false")),
                problems(Map.of("specs", "popen", "warmStart", "sometimes"), UnknownKeys.REJECT));
    }

    @Test
    void acceptsWhatConfigAdminAndPropertyFilesDeliver() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("name", " builders ");
        values.put("specs", new String[] {"popen//id=a", "popen//id=b, popen//id=c"});
        values.put("terminate.timeout", 2.5);
        values.put("defaultSpec", "popen//python=python3");
        values.put("start", " LAZY ");
        values.put("service.pid", "org.execnet4j.group~workers");
        GroupConfiguration config = GroupConfiguration.parse("workers", values, UnknownKeys.IGNORE);
        assertEquals("builders", config.name());
        assertEquals(List.of("popen//id=a", "popen//id=b", "popen//id=c"), config.specs());
        assertEquals(Duration.ofMillis(2500), config.terminateTimeout());
        assertEquals("popen//python=python3", config.defaultSpec());
        assertTrue(config.isLazy());

        assertEquals(Duration.ofSeconds(3), GroupConfiguration.parse("w", Map.of("specs", List.of("popen"),
                "terminate.timeout", " 3 "), UnknownKeys.REJECT).terminateTimeout());
        assertEquals(Duration.ZERO, GroupConfiguration.parse("w", Map.of("specs", "popen", "terminate.timeout", 0),
                UnknownKeys.REJECT).terminateTimeout());
    }

    @Test
    void badValuesAreErrorsNamingKeyAndValueNotDefaults() {
        List<Problem> problems = problems(Map.of("specs", "popen", "start", "sometimes", "terminate.timeout", "abc"),
                UnknownKeys.IGNORE);
        assertEquals(List.of(new Problem("terminate.timeout", "abc", "not a number of seconds"),
                new Problem("start", "sometimes", "must be eager or lazy")), problems);
        assertEquals("execnet4j.group.workers.start = sometimes: must be eager or lazy",
                problems.get(1).describe("execnet4j.group.workers."));

        assertEquals("terminate.timeout", problems(Map.of("specs", "popen", "terminate.timeout", "-1"), UnknownKeys.IGNORE)
                .get(0).key());
        assertEquals("terminate.timeout", problems(Map.of("specs", "popen", "terminate.timeout", Double.NaN),
                UnknownKeys.IGNORE).get(0).key());
        assertEquals("defaultSpec", problems(Map.of("specs", "popen", "defaultSpec", " "), UnknownKeys.IGNORE).get(0).key());
    }

    @Test
    void specsAreRequiredAndEachMustParse() {
        Problem missing = problems(Map.of("start", "lazy"), UnknownKeys.IGNORE).get(0);
        assertEquals("specs", missing.key());
        assertEquals(null, missing.value());
        assertTrue(missing.describe("execnet4j.group.workers.").startsWith("execnet4j.group.workers.specs: missing"),
                missing.describe("execnet4j.group.workers."));

        assertEquals(new Problem("specs", " , ", "names no gateway"), problems(Map.of("specs", " , "), UnknownKeys.IGNORE).get(0));

        List<Problem> bad = problems(Map.of("specs", "popen, popn//id=x", "defaultSpec", "ssh"), UnknownKeys.IGNORE);
        assertEquals(2, bad.size(), bad.toString());
        assertEquals("specs", bad.get(0).key());
        assertEquals("popn//id=x", bad.get(0).value());
        assertTrue(bad.get(0).reason().contains("popn"), bad.get(0).reason());
        assertEquals("defaultSpec", bad.get(1).key());
    }

    @Test
    void unknownKeysAreRejectedOnlyWhenAsked() {
        Map<String, String> typo = Map.of("specs", "popen", "terminate.timout", "3");
        assertEquals(Duration.ofSeconds(5), GroupConfiguration.parse("w", typo, UnknownKeys.IGNORE).terminateTimeout());
        Problem unknown = problems(typo, UnknownKeys.REJECT).get(0);
        assertEquals("terminate.timout", unknown.key());
        assertTrue(unknown.reason().startsWith("unknown key"), unknown.reason());
    }

    @Test
    void theExceptionMessageListsEveryProblem() {
        InvalidGroupConfigurationException e = assertThrows(InvalidGroupConfigurationException.class,
                () -> GroupConfiguration.parse("workers", Map.of("start", "sometimes"), UnknownKeys.IGNORE));
        assertEquals("workers", e.groupName());
        assertTrue(e.getMessage().startsWith("invalid configuration of group workers: specs: missing"), e.getMessage());
        assertTrue(e.getMessage().contains("start = sometimes: must be eager or lazy"), e.getMessage());
    }
}
