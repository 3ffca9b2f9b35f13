package org.execnet4j.group.internal;

import java.io.IOException;
import java.util.List;

import org.execnet4j.api.Connection;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.Spec;
import org.execnet4j.api.Transport;

/**
 * A spec's transport bound to the gateway its {@code installvia=} names: opening asks the
 * transport to start its server inside that gateway (protocol.md §4.9).
 */
final class InstalledViaTransport implements Transport {
    private final Transport transport;
    private final Gateway host;

    InstalledViaTransport(Transport transport, Gateway host) {
        this.transport = transport;
        this.host = host;
    }

    @Override
    public String type() {
        return transport.type();
    }

    @Override
    public boolean connectsToServer() {
        return transport.connectsToServer();
    }

    @Override
    public Connection open(Spec spec, List<String> pythonArgs) throws IOException {
        return transport.openInstalledVia(spec, host);
    }
}
