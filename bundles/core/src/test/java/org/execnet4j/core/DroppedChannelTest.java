package org.execnet4j.core;

import static org.execnet4j.core.Gateways.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.execnet4j.api.Channel;
import org.execnet4j.api.ChannelTimeoutException;
import org.execnet4j.api.Gateway;
import org.execnet4j.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A channel the Java code forgot is closed towards the remote once it is collected (issue 9, item 6). */
class DroppedChannelTest {
    @RegisterExtension
    final Gateways gateways = new Gateways();

    @Test
    void aDroppedChannelEndsTheRemoteLoopAndLeavesTheTable() {
        Gateway gw = gateways.popen();
        Channel report = gw.newChannel();
        startForgottenLoop(gw, report);
        assertEquals("looping", report.receive(TIMEOUT));
        String ended = Await.awaitValue("the remote loop over the dropped channel ends", () -> {
            System.gc();
            try {
                return (String) report.receive(Duration.ofMillis(100));
            } catch (ChannelTimeoutException e) {
                return null;
            }
        }, TIMEOUT);
        assertEquals("loop ended after 2 items", ended);
        // the remote task ended, so its report channel closed too: no entry is left
        Await.await("no channel left in the table", () -> gw.toString().contains(" 0 active channels"), TIMEOUT);
    }

    /** Starts a remote loop over a channel, feeds it, and keeps no reference to it. */
    private static void startForgottenLoop(Gateway gw, Channel report) {
        Channel forgotten = gw.remoteExec("""
                report = channel.receive()
                report.send('looping')
                n = 0
                for item in channel:
                    n += 1
                report.send('loop ended after %d items' % n)
                """);
        forgotten.send(report);
        forgotten.send("one");
        forgotten.send("two");
    }

    @Test
    void aChannelWithACallbackStaysAliveWhileTheCallbackIsInstalled() {
        Gateway gw = gateways.popen();
        java.util.List<Object> got = new java.util.concurrent.CopyOnWriteArrayList<>();
        Channel trigger = gw.newChannel();
        Channel withCallback = gw.remoteExec("""
                trigger = channel.receive()
                trigger.receive()
                for i in range(3):
                    channel.send(i)
                """);
        withCallback.setCallback(got::add);
        withCallback.send(trigger);
        withCallback = null;
        System.gc();
        trigger.send("go");
        Await.await("three items through the callback of an unreferenced channel", () -> got.size() == 3, TIMEOUT);
        assertTrue(got.containsAll(java.util.List.of(0, 1, 2)), got.toString());
    }
}
