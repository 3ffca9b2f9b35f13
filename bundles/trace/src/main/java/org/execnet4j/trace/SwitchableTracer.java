package org.execnet4j.trace;

import org.execnet4j.api.Tracer;

/**
 * A {@link Tracer} that forwards to another one that can be switched at any time (off while
 * none is set), so gateways keep one tracer object while tracing is switched on and off.
 */
public class SwitchableTracer implements Tracer {
    private volatile Tracer target = Tracer.OFF;

    /**
     * Forwards to {@code tracer} from now on.
     *
     * @param tracer the new target
     * @return the tracer forwarded to before
     */
    public Tracer set(Tracer tracer) {
        Tracer old = target;
        target = tracer;
        return old;
    }

    /**
     * Stops forwarding to {@code tracer}, if it is the current one.
     *
     * @param tracer the target to drop
     */
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
