package org.execnet4j.transport.socket.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.execnet4j.transport.socket.SocketTransportOptions;
import org.junit.jupiter.api.Test;

/** The OSGi configuration of the socket transport, and the address and token parsing behind it. */
class SocketTransportComponentTest {

    @Test
    void configurationKeysBecomeOptions() {
        assertEquals(SocketTransportOptions.DEFAULTS, SocketTransportComponent.options(Map.of()));
        SocketTransportOptions o = SocketTransportComponent.options(Map.of("token.file", " /etc/tok ",
                "connect.timeout", "2.5", "handshake.timeout", 3));
        assertEquals(Optional.of(Path.of("/etc/tok")), o.tokenFile());
        assertEquals(Duration.ofMillis(2500), o.connectTimeout());
        assertEquals(Duration.ofSeconds(3), o.handshakeTimeout());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SocketTransportComponent.options(Map.of("connect.timeout", "soon")));
        assertTrue(e.getMessage().contains("connect.timeout = soon is not a positive number of seconds"), e.getMessage());
    }

    @Test
    void endpointsParseIpv4NamesAndBracketedIpv6() throws Exception {
        assertEquals(new Endpoint("127.0.0.1", 8888), Endpoint.parse("127.0.0.1:8888"));
        assertEquals(new Endpoint("::1", 9), Endpoint.parse("[::1]:9"));
        assertEquals("[::1]:9", Endpoint.parse("[::1]:9").toString());
        assertEquals(new Endpoint("build.example", 1), Endpoint.parse("build.example:1"));
        for (String bad : new String[] {"host", ":8888", "host:", "host:0", "host:x1", "::1:8888"}) {
            assertThrows(IOException.class, () -> Endpoint.parse(bad), bad);
        }
    }

    @Test
    void theAnswerIsTheHmacOfTheChallengeLine() {
        // HMAC-SHA256 of "execnet4j-auth-1 00" keyed with "k", as Python's hmac module computes it
        assertEquals("ceb0d5c961013b6bf7615a558b660d30bd335186ae0fd9277435970af661f8fc",
                TokenHandshake.answer("k".getBytes(), "execnet4j-auth-1 00"));
    }
}
