package org.execnet4j.core.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.execnet4j.api.Gateway;
import org.execnet4j.api.Spec;
import org.execnet4j.api.Transport;
import org.execnet4j.api.Connection;
import org.execnet4j.core.EngineSettings;

/** The bridge from the exported launcher to the engine's internals. */
public final class GatewayStart {
    private GatewayStart() {
    }

    /**
     * The interpreter arguments for a spec: {@code -u [-B] -c <read one line>}.
     *
     * @param spec the spec; its {@code dont_write_bytecode} option adds {@code -B}
     * @return the arguments, without the interpreter itself
     */
    public static List<String> pythonArgs(Spec spec) {
        return AgentProgram.pythonArgs(spec.dontWriteBytecode());
    }

    /**
     * Bootstraps the agent over an open connection, as bytecode when {@code agents} has it for
     * this interpreter (and has it compiled otherwise); a process forked from a warm interpreter
     * ({@link WarmInterpreters}) only gets the call that starts the agent it has loaded, a socket
     * server a short line that starts the agent the server keeps loaded if it is this one (and the agent only when it asks), a
     * fresh interpreter whose bytecode is in the {@link AgentCache} a short line naming its file (and the agent only when it
     * cannot use the file). Kills the connection if that fails.
     *
     * @param id the gateway's id
     * @param spec the gateway's spec
     * @param transport the transport that opened the connection (used again to compile the agent)
     * @param connection the open connection to the interpreter, which waits for the bootstrap line
     * @param settings the settings the gateway runs with
     * @param agentConfig the configuration sent to the agent (id, execmodel, limits, debug)
     * @param agents the cache of compiled agents
     * @param compileAgent whether a fresh gateway has the agent compiled for later fresh ones of its
     *     interpreter (false when those are forked from a warm interpreter started beside it)
     * @return the running gateway
     * @throws org.execnet4j.api.GatewayClosedException if the agent does not start; the message
     *     says why, with the remote's last output
     */
    public static Gateway start(String id, Spec spec, Transport transport, Connection connection,
            EngineSettings settings, Map<String, Object> agentConfig, CompiledAgents agents, boolean compileAgent) {
        EngineGateway gateway = new EngineGateway(id, spec, connection, settings);
        if (connection instanceof WarmChild) {
            gateway.start(new byte[0]);    // it got its line as it was forked
            return gateway;
        }
        if (transport.connectsToServer()) {
            gateway.start(AgentProgram.serverBootstrapLine(agentConfig), () -> AgentProgram.serverAgentLine(agents.get(spec)));
        } else {
            Optional<CompiledAgents.Compiled> compiled = agents.get(spec);
            Optional<AgentCache.Entry> file = compiled.flatMap(CompiledAgents.Compiled::file);
            if (file.isPresent()) {
                gateway.start(AgentProgram.cachedAgentLine(agentConfig, compiled.get(), file.get()), () -> {
                    agents.fileRefused(spec);     // the interpreter or the file changed: compile anew
                    return AgentProgram.serverAgentLine(compiled);
                });
            } else {
                gateway.start(AgentProgram.bootstrapLine(agentConfig, compiled));
            }
        }
        if (compileAgent) {
            agents.learn(spec, transport);
        }
        return gateway;
    }

    /**
     * Runs {@code action} once the remote of a gateway from {@link #start} sent its first frame after the handshake,
     * the answer to its first request (delivered by then), on the thread that received it; never when the gateway
     * ends before that.
     *
     * @param gateway a gateway that {@link #start} returned
     * @param action what to run, quickly (the gateway's next frames wait for it)
     */
    public static void afterFirstAnswer(Gateway gateway, Runnable action) {
        ((EngineGateway) gateway).whenFirstAnswered().thenRun(action);
    }
}
