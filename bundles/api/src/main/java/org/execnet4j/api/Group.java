package org.execnet4j.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A set of gateways that live and die together (execnet's {@code Group}): ids are unique in the
 * group ({@code gw0}, {@code gw1}, ... unless a spec gives one), and {@link #terminate} or
 * {@link #close} ends every one of them, killing what does not exit in time.
 */
public interface Group extends AutoCloseable, Iterable<Gateway> {
    /**
     * Service property of a configured group whose configuration cannot be used (the group then
     * keeps running on its last good configuration, or has no gateways): what is wrong, naming
     * each key and value.
     */
    String ERROR_PROPERTY = "execnet.error";
    /**
     * Service property of a configured group listing the configured gateways that did not start,
     * or that wait for their transport: one {@code "SPEC: why"} each.
     */
    String FAILURES_PROPERTY = "execnet.failures";

    /** The group's name, for logs and tools. */
    String name();

    /** Starts a gateway from a spec string and adds it to the group. */
    Gateway makeGateway(String spec);

    /** Starts a gateway from the group's default spec ({@code popen} unless configured). */
    Gateway makeGateway();

    /**
     * Starts several gateways at once and waits for all; if any fails, the others that started are
     * exited again and the first failure is thrown.
     */
    List<Gateway> makeGateways(List<String> specs);

    /** The gateway with this id, if the group has it. */
    Optional<Gateway> get(String id);

    /** A snapshot of the group's gateways, in the order they were made. */
    List<Gateway> gateways();

    /** How many gateways the group has. */
    int size();

    /** Runs the source on every gateway of the group. */
    MultiChannel remoteExec(String source);

    /** Where remote output of gateways made from now on goes. */
    void setRemoteOutput(RemoteOutput output);

    /**
     * Exits every gateway, all at once, and kills those (with their descendants) that are not gone
     * within {@code timeout}; returns within {@code timeout} plus a small bounded slack, with how
     * each gateway ended, by id.
     */
    Map<String, ExitOutcome> terminate(Duration timeout);

    /** Terminates with the group's default timeout. */
    @Override
    void close();
}
