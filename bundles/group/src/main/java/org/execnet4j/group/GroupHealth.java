package org.execnet4j.group;

import java.util.Map;

/**
 * How the configured gateways of a group are doing, for health checks: a configured group
 * registers its {@link org.execnet4j.api.Group} service under this interface too. Cheap, never
 * blocks on a gateway start.
 */
public interface GroupHealth {
    /**
     * The group's name.
     *
     * @return the name
     */
    String name();

    /**
     * Whether the group's gateways start only on first use and have not yet (nothing is down then).
     *
     * @return true for a lazy group never used
     */
    boolean isWaitingForFirstUse();

    /**
     * Configured gateways that are down and do not come back by themselves (they failed to start,
     * or ended): a restart or a new configuration is needed.
     *
     * @return why, by spec string
     */
    Map<String, String> down();

    /**
     * Configured gateways that are starting, or wait for the transport of their type and start
     * when it arrives.
     *
     * @return why, by spec string
     */
    Map<String, String> restarting();
}
