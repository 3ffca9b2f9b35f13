package org.execnet4j.api;

/**
 * What other code depends on to get gateways: new groups, or single gateways in the factory's
 * own group. In OSGi a service whose groups end with the bundle that got it; in plain Java,
 * built by hand or by any JSR-330 container.
 */
public interface GatewayFactory {

    /** A new, empty group with a name for logs and tools. */
    Group newGroup(String name);

    /** A gateway in the factory's default group. */
    Gateway makeGateway(String spec);
}
