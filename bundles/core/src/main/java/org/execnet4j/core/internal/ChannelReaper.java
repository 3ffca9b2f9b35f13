package org.execnet4j.core.internal;

import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

/**
 * The body of a gateway's reaper thread: each channel the application dropped without closing
 * it is closed towards the peer (execnet's finaliser sends CHANNEL_CLOSE), so remote code
 * iterating over it ends and neither side keeps its entry. Runs until the gateway ends and
 * interrupts it.
 */
final class ChannelReaper implements Runnable {
    private final ChannelTable table;
    private final BooleanSupplier running;
    private final IntConsumer closeDropped;

    ChannelReaper(ChannelTable table, BooleanSupplier running, IntConsumer closeDropped) {
        this.table = table;
        this.running = running;
        this.closeDropped = closeDropped;
    }

    @Override
    public void run() {
        try {
            while (running.getAsBoolean()) {
                closeDropped.accept(table.awaitDropped());
            }
        } catch (InterruptedException e) {
            // the gateway ended
        }
    }
}
