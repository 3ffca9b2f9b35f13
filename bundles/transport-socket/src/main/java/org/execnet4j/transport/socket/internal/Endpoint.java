package org.execnet4j.transport.socket.internal;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * The {@code HOST:PORT} of a {@code socket=} spec: an IPv4 address, a host name, or an IPv6
 * address in brackets ({@code [::1]:8888}).
 *
 * @param host the host name or address, without brackets
 * @param port the TCP port
 */
public record Endpoint(String host, int port) {

    /**
     * Parses {@code HOST:PORT}.
     *
     * @param target the value of {@code socket=}
     * @return the endpoint
     * @throws IOException naming the problem when the text is not {@code HOST:PORT}
     */
    public static Endpoint parse(String target) throws IOException {
        int colon = target.lastIndexOf(':');
        String host = colon < 0 ? "" : target.substring(0, colon);
        String port = colon < 0 ? "" : target.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IOException("socket=" + target + ": write an IPv6 address in brackets, as in socket=[::1]:8888");
        }
        if (host.isBlank() || !port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw new IOException("socket=" + target + " is not HOST:PORT with a port from 1 to 65535 (e.g. socket=127.0.0.1:8888)");
        }
        return new Endpoint(host, Integer.parseInt(port));
    }

    /**
     * Connects to the first of the host's addresses that accepts, with TCP_NODELAY and the
     * low-delay traffic class execnet asks for.
     *
     * @param timeout how long each connect attempt may take
     * @return the connected socket
     * @throws IOException naming the address when the host does not resolve or no address accepts
     */
    public Socket connect(Duration timeout) throws IOException {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new IOException("host '" + host + "' of " + this + " does not resolve", e);
        }
        IOException failure = null;
        for (InetAddress address : addresses) {
            Socket socket = new Socket();
            try {
                socket.setTcpNoDelay(true);
                trySetLowDelay(socket);
                socket.connect(new InetSocketAddress(address, port), (int) Math.max(1, timeout.toMillis()));
                return socket;
            } catch (SocketTimeoutException e) {
                socket.close();
                failure = new IOException("no connection to " + describe(address) + " within " + timeout, e);
            } catch (IOException e) {
                socket.close();
                failure = new IOException("cannot connect to " + describe(address) + ": " + e.getMessage(), e);
            }
        }
        throw failure;
    }

    private static void trySetLowDelay(Socket socket) {
        try {
            socket.setTrafficClass(0x10);
        } catch (IOException e) {
            // only a hint, as in execnet
        }
    }

    private String describe(InetAddress address) {
        String literal = address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
        String numeric = literal + ":" + port;
        return numeric.equals(toString()) ? numeric : this + " (" + numeric + ")";
    }

    /** {@code HOST:PORT}, IPv6 addresses in brackets. */
    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
