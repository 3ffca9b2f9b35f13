package org.execnet4j;

import org.execnet4j.api.Gateway;
import org.execnet4j.api.Group;
import org.execnet4j.group.internal.GatewayGroup;
import org.execnet4j.group.internal.PlainJavaLauncher;
import org.execnet4j.serializer.LoadOptions;
import org.execnet4j.serializer.Serializer;

/**
 * The plain-Java entry point, as the {@code execnet} module is in Python: make gateways in the
 * default group (terminated by a JVM shutdown hook) or in new groups, and dump or load values in
 * execnet's format. Transports are found with {@link java.util.ServiceLoader}.
 */
public final class Execnet {
    private static final java.util.concurrent.atomic.AtomicInteger GROUP_NUMBERS = new java.util.concurrent.atomic.AtomicInteger();

    private Execnet() {
    }

    private static final class DefaultGroup {
        static final Group INSTANCE = createDefault();

        private static Group createDefault() {
            Group group = newGroup("default");
            Thread hook = new Thread(group::close, "execnet4j-default-group-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            return group;
        }
    }

    /** Starts a gateway in the default group, e.g. {@code Execnet.makeGateway("popen//python=python3")}. */
    public static Gateway makeGateway(String spec) {
        return defaultGroup().makeGateway(spec);
    }

    /** The group {@link #makeGateway} uses; terminated when the JVM shuts down. */
    public static Group defaultGroup() {
        return DefaultGroup.INSTANCE;
    }

    /** A new, empty group; close it to terminate its gateways. */
    public static Group newGroup() {
        return newGroup("group" + GROUP_NUMBERS.getAndIncrement());
    }

    /** A new, empty group with a name for logs. */
    public static Group newGroup(String name) {
        return new GatewayGroup(name, PlainJavaLauncher.get(), GatewayGroup.DEFAULT_SPEC);
    }

    /** {@link Serializer#dumps(Object)}: the value in execnet 2.x's dump format. */
    public static byte[] dumps(Object value) {
        return Serializer.dumps(value);
    }

    /** {@link Serializer#loads(byte[])}: a dump of execnet 1.x or 2.x. */
    public static Object loads(byte[] data) {
        return Serializer.loads(data);
    }

    /** {@link Serializer#loads(byte[], LoadOptions)}, with execnet's string-coercion flags. */
    public static Object loads(byte[] data, LoadOptions options) {
        return Serializer.loads(data, options);
    }
}
