package org.execnet4j.api;

/** A gateway spec string that cannot be parsed; the message names the offending part. */
public class InvalidSpecException extends ExecnetException {
    private static final long serialVersionUID = 1L;

    /**
     * @param spec the spec text
     * @param problem what is wrong with it, naming the offending part
     */
    public InvalidSpecException(String spec, String problem) {
        super("invalid gateway spec '" + spec + "': " + problem);
    }
}
