package org.execnet4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpecTest {

    @Test
    void popenWithPythonAndEnvironment() {
        Spec spec = Spec.parse("popen//python=python3//env:A=b//env:PATHS=x=y=z//chdir=/tmp//nice=5//dont_write_bytecode");
        assertEquals("popen", spec.type());
        assertEquals(Optional.empty(), spec.target());
        assertEquals(Optional.of("python3"), spec.python());
        assertEquals(Map.of("A", "b", "PATHS", "x=y=z"), spec.env());
        assertEquals(List.of("A", "PATHS"), List.copyOf(spec.env().keySet()));
        assertEquals(Optional.of("/tmp"), spec.chdir());
        assertEquals(OptionalInt.of(5), spec.nice());
        assertTrue(spec.dontWriteBytecode());
        assertTrue(spec.needsRemoteSetup());
        assertEquals(Optional.empty(), spec.id());
    }

    @Test
    void sshKeepsItsArgumentsVerbatim() {
        Spec spec = Spec.parse("ssh=-p 2222 user@host//chdir=x//python=/opt/py/bin/python3");
        assertEquals("ssh", spec.type());
        assertEquals(Optional.of("-p 2222 user@host"), spec.target());
        assertEquals(Optional.of("x"), spec.chdir());
        assertFalse(spec.dontWriteBytecode());
    }

    @Test
    void socketWithId() {
        Spec spec = Spec.parse("socket=127.0.0.1:8888//id=s1");
        assertEquals("socket", spec.type());
        assertEquals(Optional.of("127.0.0.1:8888"), spec.target());
        assertEquals(Optional.of("s1"), spec.id());
        assertFalse(spec.needsRemoteSetup());
        assertEquals(Optional.of("gw1"), Spec.parse("popen//via=gw0//id=gw1").id());
        assertEquals(Optional.of("gw0"), Spec.parse("socket//installvia=gw0").get("installvia"));
        assertEquals(Optional.of("/etc/tok"), Spec.parse("socket=[::1]:8888//token-file=/etc/tok").get("token-file"));
        assertTrue(Spec.parse("popen//fresh").has("fresh"));
    }

    @Test
    void equalityIsThatOfTheText() {
        assertEquals(Spec.parse("popen//id=a"), Spec.parse("popen//id=a"));
        assertNotEquals(Spec.parse("popen//id=a"), Spec.parse("popen//id=b"));
        assertEquals("popen//id=a", Spec.parse("popen//id=a").toString());
        assertEquals(Spec.parse("popen//python=x//id=gw3"), Spec.parse("popen//python=x").withId("gw3"));
        assertThrows(IllegalStateException.class, () -> Spec.parse("popen//id=a").withId("b"));
    }

    @Test
    void everyExecmodelIsAccepted() {
        for (String model : Spec.EXECMODELS) {
            assertEquals(Optional.of(model), Spec.parse("popen//execmodel=" + model).execmodel());
        }
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', value = {
        "''                          | the spec is empty",
        "'   '                       | the spec is empty",
        "popen//                     | item 2 is empty",
        "//popen                     | item 1 is empty",
        "docker=x                    | unknown key 'docker'",
        "popen//pyhton=python3       | unknown key 'pyhton'",
        "id=x                        | no gateway type",
        "popen//ssh=host             | more than one gateway type",
        "popen//env:=x               | 'env:' needs a variable name",
        "popen//env:A                | 'env:A' needs a value",
        "popen//env:A=1//env:A=2     | duplicate key 'env:A'",
        "popen//id=a//id=b           | duplicate key 'id'",
        "popen//dont_write_bytecode//dont_write_bytecode | duplicate key 'dont_write_bytecode'",
        "popen=yes                   | 'popen' takes no value",
        "popen//fresh=no             | 'fresh' takes no value",
        "ssh                         | 'ssh' needs a value",
        "ssh=                        | 'ssh' needs a value",
        "popen//nice=high            | nice=high is not an integer",
        "popen//execmodel=asyncio    | unknown execmodel 'asyncio'",
        "popen//id=a b               | gateway id 'a b' contains whitespace",
        "socket                      | 'socket' needs HOST:PORT",
        "socket=h:1//via=gw0         | cannot be proxied with 'via'",
        "popen//installvia=gw0       | 'installvia' only goes with a socket gateway",
        "socket=h:1//python=python3  | 'python' cannot be chosen for a socket gateway",
        "popen//token-file=/t        | 'token-file' only goes with a socket gateway",
        "socket=h:1//token-file      | 'token-file' needs a value",
        "popen//=x                   | has no key",
    })
    void invalidSpecsNameTheOffendingPart(String text, String expected) {
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> Spec.parse(text));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
    }

    @Test
    void nullIsRefused() {
        assertThrows(InvalidSpecException.class, () -> Spec.parse(null));
    }
}
