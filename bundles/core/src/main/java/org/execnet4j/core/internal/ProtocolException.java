package org.execnet4j.core.internal;

import java.io.IOException;

/** A byte stream that breaks the framing rules; the gateway cannot go on after it. */
final class ProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    ProtocolException(String message) {
        super(message);
    }
}
