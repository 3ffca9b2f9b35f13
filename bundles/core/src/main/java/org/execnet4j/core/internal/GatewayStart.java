package org.execnet4j.core.internal;

import java.util.List;
import java.util.Map;

import org.execnet4j.api.Gateway;
import org.execnet4j.api.Spec;
import org.execnet4j.api.Transport;
import org.execnet4j.api.Connection;
import org.execnet4j.core.EngineSettings;

/** The bridge from the exported launcher to the engine's internals. */
public final class GatewayStart {
    private GatewayStart() {
    }

    /** The interpreter arguments for a spec: {@code -u [-B] -c <read one line>}. */
    public static List<String> pythonArgs(Spec spec) {
        return AgentProgram.pythonArgs(spec.dontWriteBytecode());
    }

    /**
     * Bootstraps the agent over an open connection, as bytecode when {@code agents} has it for
     * this interpreter (and has it compiled otherwise); kills the connection if that fails.
     */
    public static Gateway start(String id, Spec spec, Transport transport, Connection connection,
            EngineSettings settings, Map<String, Object> agentConfig, CompiledAgents agents) {
        EngineGateway gateway = new EngineGateway(id, spec, connection, settings);
        gateway.start(agentConfig, agents.get(spec));
        agents.learn(spec, transport);
        return gateway;
    }
}
