/**
 * The socket transport ({@code socket=HOST:PORT} and {@code socket//installvia=ID} gateways),
 * its options ({@link org.execnet4j.transport.socket.SocketTransportOptions}) and the Python
 * socket server shipped with it ({@link org.execnet4j.transport.socket.SocketServerScript}).
 */
@Export
@Version("0.1.0")
package org.execnet4j.transport.socket;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
