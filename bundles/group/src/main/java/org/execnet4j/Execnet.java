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

    /**
     * Starts a gateway in the default group, e.g. {@code Execnet.makeGateway("popen//python=python3")}.
     *
     * @param spec a spec string such as {@code popen}, {@code ssh=user@host} or {@code socket=host:port}
     * @return the running gateway, a member of {@link #defaultGroup()}
     * @throws org.execnet4j.api.InvalidSpecException if the spec is malformed
     * @throws org.execnet4j.api.GatewayClosedException if the interpreter cannot be started or
     *     does not answer; the message says why
     */
    public static Gateway makeGateway(String spec) {
        return defaultGroup().makeGateway(spec);
    }

    /** {@return the group {@link #makeGateway} uses; terminated when the JVM shuts down} */
    public static Group defaultGroup() {
        return DefaultGroup.INSTANCE;
    }

    /** {@return a new, empty group named {@code group<n>}; close it to terminate its gateways} */
    public static Group newGroup() {
        return newGroup("group" + GROUP_NUMBERS.getAndIncrement());
    }

    /**
     * A new, empty group with a name for logs; close it to terminate its gateways.
     *
     * @param name the group's name, shown in logs and thread names
     * @return the group, whose default spec is {@code popen}
     */
    public static Group newGroup(String name) {
        return new GatewayGroup(name, PlainJavaLauncher.get(), GatewayGroup.DEFAULT_SPEC);
    }

    /**
     * {@link Serializer#dumps(Object)}: the value in execnet 2.x's dump format.
     *
     * @param value the value: {@code null}, a boolean, number, string, {@code byte[]}, or a
     *     list, tuple, dict, set or frozenset of such values
     * @return the dump, starting with version byte {@code 0x02}
     * @throws org.execnet4j.api.DumpException if some part of the value has no Python form
     */
    public static byte[] dumps(Object value) {
        return Serializer.dumps(value);
    }

    /**
     * {@link Serializer#loads(byte[])}: a dump of execnet 1.x or 2.x, with execnet's default flags.
     *
     * @param data the dump (untrusted input is fine: decoding is bounded)
     * @return the value
     * @throws org.execnet4j.api.DataFormatException if the bytes are not a valid dump
     */
    public static Object loads(byte[] data) {
        return Serializer.loads(data);
    }

    /**
     * {@link Serializer#loads(byte[], LoadOptions)}, with execnet's string-coercion flags.
     *
     * @param data the dump (untrusted input is fine: decoding is bounded)
     * @param options string coercion and bounds
     * @return the value
     * @throws org.execnet4j.api.DataFormatException if the bytes are not a valid dump or exceed the bounds
     */
    public static Object loads(byte[] data, LoadOptions options) {
        return Serializer.loads(data, options);
    }
}
