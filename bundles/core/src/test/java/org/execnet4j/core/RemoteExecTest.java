package org.execnet4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.execnet4j.api.Channel;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.PyTuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RemoteExecTest {
    @RegisterExtension
    final Gateways gateways = new Gateways();

    @Test
    void echoesThroughAChannel() {
        Gateway gw = gateways.popen();
        Channel ch = gw.remoteExec("""
                import os
                for item in channel:
                    channel.send((item, __name__))
                """);
        ch.send(42);
        assertEquals(PyTuple.of(42, "__channelexec__"), ch.receive(Gateways.TIMEOUT));
        ch.send(List.of("x"));
        assertEquals(PyTuple.of(List.of("x"), "__channelexec__"), ch.receive(Gateways.TIMEOUT));
        ch.close();
        ch.waitClose(Gateways.TIMEOUT);
    }
}
