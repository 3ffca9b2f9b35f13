package org.execnet4j.cdi;

import org.execnet4j.api.Gateway;

/**
 * A CDI event: a gateway of an injected {@code GatewayFactory}'s group or of a configured group
 * has started. Observe it with {@code void started(@Observes GatewayStarted event)}; events are
 * delivered one at a time, in order, on a thread of execnet4j's.
 *
 * @param group the name of the gateway's group
 * @param gateway the running gateway
 */
public record GatewayStarted(String group, Gateway gateway) {
}
