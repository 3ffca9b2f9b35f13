package org.execnet4j.group.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import javax.management.NotCompliantMBeanException;
import javax.management.StandardMBean;

import org.execnet4j.api.ExitOutcome;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.Group;
import org.execnet4j.api.RemoteStatus;
import org.execnet4j.group.management.GatewayMBean;

/** The MBean of one gateway; asks the remote (with a short timeout) for what only it knows. */
final class GatewayBean extends StandardMBean implements GatewayMBean {
    /** How long an attribute read waits for the remote. */
    static final Duration QUERY_TIMEOUT = Duration.ofSeconds(3);

    private final String groupName;
    private final Group group;
    private final Gateway gateway;
    private final Instant seen = Instant.now();

    GatewayBean(String groupName, Group group, Gateway gateway) throws NotCompliantMBeanException {
        super(GatewayMBean.class);
        this.groupName = groupName;
        this.group = group;
        this.gateway = gateway;
    }

    Gateway gateway() {
        return gateway;
    }

    @Override
    public String getId() {
        return gateway.id();
    }

    @Override
    public String getGroup() {
        return groupName;
    }

    @Override
    public String getSpec() {
        return gateway.spec().toString();
    }

    @Override
    public boolean isAlive() {
        return gateway.isAlive();
    }

    @Override
    public long getPid() {
        try {
            return gateway.isAlive() ? gateway.remoteInfo(QUERY_TIMEOUT).pid() : -1;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    @Override
    public int getChannels() {
        RemoteStatus status = status();
        return status == null ? -1 : status.numChannels();
    }

    @Override
    public int getExecuting() {
        RemoteStatus status = status();
        return status == null ? -1 : status.numExecuting();
    }

    @Override
    public long getBytesSent() {
        return gateway.metrics().bytesSent();
    }

    @Override
    public long getBytesReceived() {
        return gateway.metrics().bytesReceived();
    }

    @Override
    public long getMessagesSent() {
        return gateway.metrics().messagesSent();
    }

    @Override
    public long getMessagesReceived() {
        return gateway.metrics().messagesReceived();
    }

    @Override
    public int getOpenChannels() {
        return gateway.metrics().openChannels();
    }

    @Override
    public long getChannelsOpened() {
        return gateway.metrics().channelsOpened();
    }

    @Override
    public long getUptimeSeconds() {
        return Duration.between(seen, Instant.now()).toSeconds();
    }

    @Override
    public String restart() {
        String outcome = terminate();
        if (group instanceof ConfiguredGroup configured) {
            configured.reconcile();
        } else {
            group.makeGateway(gateway.spec().toString());
        }
        return outcome;
    }

    @Override
    public String terminate() {
        return describe(gateway.exit());
    }

    static String describe(ExitOutcome outcome) {
        return outcome.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private RemoteStatus status() {
        try {
            return gateway.isAlive() ? gateway.remoteStatus(QUERY_TIMEOUT) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
