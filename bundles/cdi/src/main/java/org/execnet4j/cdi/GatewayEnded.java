package org.execnet4j.cdi;

import org.execnet4j.api.Gateway;

/**
 * A CDI event: a gateway that {@link GatewayStarted} was published for has ended, because it was
 * asked to exit, its group was terminated (also at application stop), or its remote died.
 * Observe it with {@code void ended(@Observes GatewayEnded event)}.
 *
 * @param group the name of the gateway's group
 * @param gateway the ended gateway ({@code id()} and {@code spec()} still answer)
 */
public record GatewayEnded(String group, Gateway gateway) {
}
