package org.execnet4j.api;

/**
 * The names of execnet4j's OSGi service contract: the properties under which transports and
 * configured groups are registered, for service filters such as {@code (name=workers)} and for
 * the {@code property} of a Declarative Services component that provides a transport.
 */
public final class ServiceProperties {
    /** The spec type a {@link Transport} service serves, e.g. {@code execnet.transport=popen}. */
    public static final String TRANSPORT_TYPE = "execnet.transport";
    /** A configured {@link Group} service's name, as in {@code @Reference(target = "(name=workers)")}. */
    public static final String GROUP_NAME = "name";
    /** A configured group's specs, one per gateway. */
    public static final String GROUP_SPECS = "specs";
    /** A configured group's start policy: {@link #START_EAGER} or {@link #START_LAZY}. */
    public static final String GROUP_START = "start";
    /** Start the gateways as soon as the configuration arrives. */
    public static final String START_EAGER = "eager";
    /** Start the gateways on the first call that needs them. */
    public static final String START_LAZY = "lazy";
    /**
     * Present on a configured group whose configuration cannot be used (the group then keeps
     * running on its last good configuration, or has no gateways): what is wrong, naming each key
     * and value.
     */
    public static final String GROUP_ERROR = "execnet.error";
    /**
     * Present on a configured group some of whose configured gateways did not start, or wait for
     * their transport: one {@code "SPEC: why"} each.
     */
    public static final String GROUP_FAILURES = "execnet.failures";

    private ServiceProperties() {
    }
}
