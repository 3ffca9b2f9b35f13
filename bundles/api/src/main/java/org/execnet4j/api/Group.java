package org.execnet4j.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A set of gateways that live and die together (execnet's {@code Group}): ids are unique in the
 * group ({@code gw0}, {@code gw1}, ... unless a spec gives one), and {@link #terminate} or
 * {@link #close} ends every one of them, killing what does not exit in time.
 *
 * <p>Thread-safe: gateways may be made, looked up and terminated from any thread; a gateway that
 * is still starting when the group is terminated is ended as soon as it is up.
 */
public interface Group extends AutoCloseable, Iterable<Gateway> {

    /** The group's name, for logs and tools. */
    String name();

    /** Starts a gateway from a spec string and adds it to the group. */
    Gateway makeGateway(String spec);

    /** Starts a gateway from the group's default spec ({@code popen} unless configured). */
    Gateway makeGateway();

    /**
     * Starts several gateways at once and waits for all; if any fails, the others that started are
     * exited again and the first failure is thrown. Ids are given in the order of {@code specs},
     * and the list returned (like {@link #gateways()} afterwards) keeps that order.
     */
    List<Gateway> makeGateways(List<String> specs);

    /** The gateway with this id, if the group has it. */
    Optional<Gateway> get(String id);

    /**
     * Whether the group has a gateway with this id (execnet's {@code id in group}).
     *
     * @param id a gateway id
     * @return {@code true} if {@link #get(String)} would find it
     */
    default boolean contains(String id) {
        return get(id).isPresent();
    }

    /**
     * Sets the spec {@link #makeGateway()} uses from now on (execnet's {@code group.defaultspec}).
     *
     * @param spec a spec string
     * @throws InvalidSpecException when the spec is malformed
     */
    void setDefaultSpec(String spec);

    /** @return the spec {@link #makeGateway()} uses */
    String defaultSpec();

    /**
     * Sets the execution model of gateways made from now on whose spec names none (execnet's
     * {@code group.set_execmodel}).
     *
     * @param execmodel one of {@link Spec#EXECMODELS}
     * @throws InvalidSpecException when it is not one of them
     */
    void setExecmodel(String execmodel);

    /** A snapshot of the group's gateways, in the order they were made. */
    List<Gateway> gateways();

    /** How many gateways the group has. */
    int size();

    /** Runs the source on every gateway of the group. */
    MultiChannel remoteExec(String source);

    /**
     * Runs a module or calls a function with keyword arguments on every gateway of the group.
     *
     * @param source what to run
     * @param kwargs the keyword arguments, the same for every gateway
     * @return the channels, one per gateway, in the order of {@link #gateways()}
     */
    MultiChannel remoteExec(PythonSource source, Map<String, ?> kwargs);

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
