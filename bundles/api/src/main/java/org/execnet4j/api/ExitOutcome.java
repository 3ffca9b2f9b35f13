package org.execnet4j.api;

/** How a gateway ended when it was asked to exit. */
public enum ExitOutcome {
    /** The remote exited on its own within the timeout. */
    EXITED,
    /** The remote did not exit in time and was killed, with its descendants. */
    KILLED,
    /** The remote was already gone before the request. */
    ALREADY_DEAD
}
