package org.execnet4j.api;

/** A channel wait ({@code receive}, {@code waitClose}, ...) that ran out of time. */
public class ChannelTimeoutException extends ExecnetException {
    private static final long serialVersionUID = 1L;

    /** @param message what happened, naming the channel and gateway */
    public ChannelTimeoutException(String message) {
        super(message);
    }
}
