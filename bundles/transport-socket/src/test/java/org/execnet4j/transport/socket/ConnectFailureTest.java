package org.execnet4j.transport.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.execnet4j.api.GatewayClosedException;
import org.execnet4j.api.InvalidSpecException;
import org.execnet4j.api.Spec;
import org.junit.jupiter.api.Test;

/** Addresses that cannot serve a gateway: each gives one clear error naming the address, in time. */
class ConnectFailureTest extends SocketTestBase {

    private GatewayClosedException failure(String spec) {
        long t0 = System.nanoTime();
        GatewayClosedException e = assertThrows(GatewayClosedException.class, () -> group(Duration.ofSeconds(3)).makeGateway(spec));
        assertTrue(Duration.ofNanos(System.nanoTime() - t0).compareTo(Duration.ofSeconds(20)) < 0, "took too long: " + e);
        return e;
    }

    @Test
    void aRefusedPortIsNamed() throws IOException {
        // bound but not listening: connections are refused, and no other process can listen there meanwhile
        try (Socket holder = new Socket()) {
            holder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = holder.getLocalPort();
            GatewayClosedException e = failure("socket=127.0.0.1:" + port);
            assertTrue(e.getMessage().contains("cannot connect to 127.0.0.1:" + port), e.getMessage());
        }
    }

    @Test
    void aHostThatDoesNotResolveIsNamed() {
        GatewayClosedException e = failure("socket=no-such-host.invalid:8888");
        assertTrue(e.getMessage().contains("host 'no-such-host.invalid' of no-such-host.invalid:8888 does not resolve"), e.getMessage());
    }

    @Test
    void malformedAddressesAreNamed() {
        assertTrue(failure("socket=127.0.0.1").getMessage().contains("socket=127.0.0.1 is not HOST:PORT"));
        assertTrue(failure("socket=::1:8888").getMessage().contains("write an IPv6 address in brackets"));
        assertTrue(failure("socket=localhost:70000").getMessage().contains("port from 1 to 65535"));
        InvalidSpecException python = assertThrows(InvalidSpecException.class,
                () -> group().makeGateway("socket=127.0.0.1:1//python=python3"));
        assertTrue(python.getMessage().contains("'python' cannot be chosen for a socket gateway"), python.getMessage());
    }

    @Test
    void aServerThatClosesAtOnce() throws Exception {
        serve(Socket::close, spec -> {
            GatewayClosedException e = failure(spec);
            assertTrue(e.getMessage().contains("the interpreter ended before the handshake; socket " + spec.substring(7)), e.getMessage());
        });
    }

    @Test
    void aServerThatSendsJunk() throws Exception {
        serve(s -> s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes()), spec -> {
            GatewayClosedException e = failure(spec);
            assertTrue(e.getMessage().contains("the handshake byte was 0x48 instead of '1'"), e.getMessage());
            assertTrue(e.getMessage().contains("socket " + spec.substring(7)), e.getMessage());
        });
    }

    @Test
    void aServerThatStaysSilentTimesOut() throws Exception {
        serve(s -> { }, spec -> {
            GatewayClosedException e = failure(spec);
            assertTrue(e.getMessage().contains("no handshake within PT3S"), e.getMessage());
        });
    }

    @Test
    void theUnconnectedTransportReportsItsType() {
        SocketTransport transport = new SocketTransport();
        assertEquals("socket", transport.type());
        assertTrue(transport.connectsToServer());
        IOException e = assertThrows(IOException.class, () -> transport.open(Spec.parse("socket//installvia=gw0"), List.of()));
        assertTrue(e.getMessage().contains("names no server"), e.getMessage());
    }

    @FunctionalInterface
    interface SocketAction {
        void accept(Socket s) throws IOException;
    }

    /** A one-connection server in this JVM that does {@code action} and then holds the connection until the check ran. */
    private static void serve(SocketAction action, Consumer<String> check) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    Socket s = server.accept();
                    action.accept(s);
                    return s;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            try {
                check.accept("socket=127.0.0.1:" + server.getLocalPort());
            } finally {
                accepted.get().close();
            }
        }
    }
}
