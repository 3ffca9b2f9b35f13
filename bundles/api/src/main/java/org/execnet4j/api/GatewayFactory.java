package org.execnet4j.api;

/**
 * What other code depends on to get gateways: new groups, or single gateways in the factory's
 * own group. In OSGi a service whose groups end with the bundle that got it; in plain Java,
 * built by hand or by any JSR-330 container.
 */
public interface GatewayFactory {

    /**
     * A new, empty group.
     *
     * @param name a name for logs and tools
     * @return the group; close it to end its gateways
     */
    Group newGroup(String name);

    /**
     * A gateway in the factory's default group.
     *
     * @param spec a gateway spec, e.g. {@code popen//python=python3}
     * @return the running gateway
     * @throws InvalidSpecException when the spec is malformed
     * @throws GatewayClosedException when the gateway cannot be started
     */
    Gateway makeGateway(String spec);
}
