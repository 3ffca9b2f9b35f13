package org.execnet4j.group;

import org.execnet4j.api.Gateway;

/**
 * Told when a gateway of a group has started and when it has ended (asked to exit, or its remote
 * died), so an owner such as the CDI extension can publish events. Methods run on execnet4j's
 * threads, {@link #ended} possibly while a gateway's receive lock is held: hand the work to
 * another thread and return.
 */
public interface GatewayListener {
    /** A listener that does nothing. */
    GatewayListener NONE = new GatewayListener() {
        @Override
        public void started(String group, Gateway gateway) {
        }

        @Override
        public void ended(String group, Gateway gateway) {
        }
    };

    /**
     * A gateway finished starting and belongs to the group now.
     *
     * @param group the name of the group it was started in
     * @param gateway the running gateway
     */
    void started(String group, Gateway gateway);

    /**
     * A gateway that {@link #started} was reported for has ended; called once per gateway.
     *
     * @param group the name of the group it was started in
     * @param gateway the ended gateway
     */
    void ended(String group, Gateway gateway);
}
