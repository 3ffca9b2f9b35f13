package org.execnet4j.transport.ssh.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.execnet4j.transport.ssh.SshTransportException;
import org.execnet4j.transport.ssh.SshTransportException.Stage;
import org.execnet4j.transport.ssh.SshTransportOptions;

/**
 * Opens one ssh connection to an address (the server itself, or a jump host's local tunnel end),
 * checks the server's host key and logs in; each failure comes out typed by its stage.
 */
final class DirectConnector {
    private final SshTransportOptions options;
    private final OnDemandClient client;
    private final Authenticator authenticator;
    /** Whether sntrup761 is offered, so that a connection generates its key pair while it connects. */
    private final boolean offersSntrup761;
    /** Endpoints whose server chose another key exchange than sntrup761: no key pair ahead for them. */
    private final Set<String> otherKeyExchange = ConcurrentHashMap.newKeySet();

    DirectConnector(SshTransportOptions options, OnDemandClient client) {
        this.options = options;
        this.client = client;
        this.authenticator = new Authenticator(options);
        this.offersSntrup761 = options.keyExchanges().stream().anyMatch(KeyExchanges::isSntrup761);
    }

    ClientSession connect(Endpoint endpoint, InetSocketAddress address) throws SshTransportException {
        HostKeyCheck check = new HostKeyCheck(endpoint, options);
        Map<AttributeKey<?>, Object> attributes = new HashMap<>();
        attributes.put(OnDemandClient.HOST_KEY_CHECK, check);
        authenticator.agentSocket(endpoint).ifPresent(socket -> attributes.put(OnDemandClient.AGENT_SOCKET, socket));
        SntrupKeyAhead keyAhead = offersSntrup761 && !otherKeyExchange.contains(endpoint.key()) ? SntrupKeyAhead.start() : null;
        if (keyAhead != null) {
            attributes.put(OnDemandClient.SNTRUP_KEY_AHEAD, keyAhead);
        }
        ClientSession session;
        try {
            ConnectFuture future = client.get().connect(endpoint.user(), address,
                    AttributeRepository.ofAttributesMap(attributes), null);
            session = future.verify(options.connectTimeout()).getSession();
        } catch (IOException | RuntimeException e) {
            throw new SshTransportException(Stage.CONNECT, "ssh " + endpoint.describe() + ": cannot connect: "
                    + Failures.reason(e), e);
        }
        try {
            authenticator.authenticate(session, endpoint);
            if (keyAhead != null && !keyAhead.taken()) {
                otherKeyExchange.add(endpoint.key());
            }
            return session;
        } catch (SshTransportException e) {
            session.close(true);
            if (check.problem() != null) {
                throw new SshTransportException(Stage.HOST_KEY, check.problem(), e);
            }
            throw e;
        }
    }
}
