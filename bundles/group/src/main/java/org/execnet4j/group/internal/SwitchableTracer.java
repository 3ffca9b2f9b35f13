package org.execnet4j.group.internal;

import org.execnet4j.api.Tracer;

/**
 * A {@link Tracer} that forwards to whichever tracer service is bound now, and is off while none
 * is, so gateways keep one tracer object while tracing is switched on and off.
 */
public final class SwitchableTracer implements Tracer {
    private volatile Tracer target = Tracer.OFF;

    /** Forwards to {@code tracer} from now on. */
    public void set(Tracer tracer) {
        target = tracer;
    }

    /** Stops forwarding to {@code tracer}, if it is the current one. */
    public void unset(Tracer tracer) {
        if (target == tracer) {
            target = Tracer.OFF;
        }
    }

    @Override
    public boolean enabled() {
        return target.enabled();
    }

    @Override
    public String remoteSetting() {
        return target.remoteSetting();
    }

    @Override
    public void trace(String source, String message) {
        target.trace(source, message);
    }
}
