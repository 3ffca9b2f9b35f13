package org.execnet4j.api;

/**
 * An error raised by remote code, or sent with {@code channel.close(error)}: carries the remote
 * traceback text as execnet formats it.
 */
public class RemoteError extends ExecnetException {
    private static final long serialVersionUID = 1L;

    private final String formatted;

    /** @param formatted the remote's text, usually a Python traceback */
    public RemoteError(String formatted) {
        super(formatted);
        this.formatted = formatted;
    }

    /** @return the remote's text, usually a Python traceback */
    public String formatted() {
        return formatted;
    }
}
