package org.execnet4j.transport.ssh.internal;

/** Short, readable causes of failures for error messages: the innermost useful messages of a chain. */
final class Failures {
    private Failures() {
    }

    /** {@code Type: message}, with the next different message of the cause chain appended. */
    static String reason(Throwable e) {
        Throwable t = e;
        String best = null;
        while (t != null) {
            if (t.getMessage() != null) {
                best = t.getClass().getSimpleName() + ": " + t.getMessage();
            }
            if (t.getCause() == t) {
                break;
            }
            t = t.getCause();
            if (t != null && t.getMessage() != null && best != null && !best.contains(t.getMessage())) {
                best = best + " <- " + t.getClass().getSimpleName() + ": " + t.getMessage();
                break;
            }
        }
        return best == null ? e.toString() : best;
    }
}
