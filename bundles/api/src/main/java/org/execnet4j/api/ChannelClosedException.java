package org.execnet4j.api;

/**
 * A channel that ended cleanly: {@code receive()} found no item left, or {@code send()} found the
 * channel closed (execnet's {@code EOFError} and {@code IOError} on channels).
 */
public class ChannelClosedException extends ExecnetException {
    private static final long serialVersionUID = 1L;

    /** @param message what happened, naming the channel and gateway */
    public ChannelClosedException(String message) {
        super(message);
    }
}
