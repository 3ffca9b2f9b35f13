package org.execnet4j.core.internal;

import org.execnet4j.api.ExecnetException;
import org.execnet4j.api.PyTuple;
import org.execnet4j.api.RemoteError;
import org.execnet4j.serializer.LoadOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the host does with each frame the remote sends (protocol.md §1.4), on the receiver
 * thread under the receive lock: data to its channel, closes and errors to channels, string
 * configuration, and refusals of what only a worker may do.
 */
final class FrameDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(FrameDispatcher.class);

    private final EngineGateway gateway;

    FrameDispatcher(EngineGateway gateway) {
        this.gateway = gateway;
    }

    /** Handles one frame; false when the gateway must stop. */
    boolean dispatch(Frame frame) {
        int channelId = frame.channelId();
        switch (frame.type()) {
            case CHANNEL_DATA -> {
                EngineChannel channel = gateway.channel(channelId);
                if (channel != null && frame.isSkipped()) {
                    channel.refuseOversized(frame.skippedLength());
                } else if (channel != null) {
                    channel.deliver(frame.payload());
                }
            }
            case CHANNEL_CLOSE -> endChannel(channelId, null, false);
            case CHANNEL_LAST_MESSAGE -> endChannel(channelId, null, true);
            case CHANNEL_CLOSE_ERROR -> {
                String text = errorText(frame.payload());
                if (gateway.channel(channelId) == null) {
                    if (!"keyboard-interrupted".equals(text)) {
                        LOG.warn("gateway {}: unhandled remote error on closed channel {}: {}", gateway.id(), channelId, text);
                    }
                } else {
                    endChannel(channelId, new RemoteError(text), false);
                }
            }
            case RECONFIGURE -> reconfigured(channelId, frame.payload());
            case CHANNEL_CREDIT -> credited(channelId, frame.payload());
            case CHANNEL_EXEC -> gateway.sendQuietly(MessageType.CHANNEL_CLOSE_ERROR, channelId, "execution disallowed");
            case STATUS -> LOG.debug("gateway {}: ignoring STATUS from the remote (a host runs no tasks)", gateway.id());
            case GATEWAY_TERMINATE -> {
                return false;
            }
        }
        return true;
    }

    private void endChannel(int channelId, RuntimeException error, boolean sendOnly) {
        EngineChannel channel = gateway.channel(channelId);
        if (channel != null) {
            channel.end(error, sendOnly, null);
        }
    }

    private String errorText(byte[] payload) {
        try {
            return String.valueOf(gateway.decode(payload, LoadOptions.CHANNEL_DEFAULTS));
        } catch (ExecnetException e) {
            return "(undecodable error text: " + e.getMessage() + ")";
        }
    }

    /** Flow control: the remote consumed bytes of a channel; ignored for unknown or closed channels. */
    private void credited(int channelId, byte[] payload) {
        EngineChannel channel = gateway.channel(channelId);
        if (channel == null) {
            return;
        }
        Object bytes;
        try {
            bytes = gateway.decode(payload, LoadOptions.CHANNEL_DEFAULTS);
        } catch (ExecnetException e) {
            LOG.warn("gateway {}: ignoring undecodable CHANNEL_CREDIT on channel {}: {}", gateway.id(), channelId, e.getMessage());
            return;
        }
        if (bytes instanceof Integer || bytes instanceof Long) {
            channel.credited(((Number) bytes).longValue());
        } else {
            LOG.warn("gateway {}: ignoring CHANNEL_CREDIT on channel {} without an int: {}", gateway.id(), channelId, bytes);
        }
    }

    private void reconfigured(int channelId, byte[] payload) {
        LoadOptions options;
        try {
            if (!(gateway.decode(payload, LoadOptions.CHANNEL_DEFAULTS) instanceof PyTuple t) || t.size() != 2
                    || !(t.get(0) instanceof Boolean a) || !(t.get(1) instanceof Boolean b)) {
                LOG.warn("gateway {}: ignoring RECONFIGURE without a (bool, bool) tuple", gateway.id());
                return;
            }
            options = LoadOptions.CHANNEL_DEFAULTS.withStringCoercion(a, b);
        } catch (ExecnetException e) {
            LOG.warn("gateway {}: ignoring undecodable RECONFIGURE: {}", gateway.id(), e.getMessage());
            return;
        }
        if (channelId == 0) {
            gateway.setDefaultOptions(options);
        } else {
            EngineChannel channel = gateway.channel(channelId);
            if (channel != null) {
                channel.reconfigureLocally(options);
            }
        }
    }
}
