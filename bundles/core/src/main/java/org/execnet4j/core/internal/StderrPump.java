package org.execnet4j.core.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

import org.execnet4j.api.RemoteOutput;

/**
 * Copies a remote's stderr line by line to a {@link RemoteOutput} on its own thread, keeping the
 * last lines for error messages (why did the interpreter not start?).
 */
final class StderrPump implements Runnable {
    private static final int TAIL_LINES = 20;

    private final String gatewayId;
    private final InputStream errors;
    private volatile RemoteOutput output;
    private final Deque<String> tail = new ArrayDeque<>();

    StderrPump(String gatewayId, InputStream errors, RemoteOutput output) {
        this.gatewayId = gatewayId;
        this.errors = errors;
        this.output = output;
    }

    void setOutput(RemoteOutput newOutput) {
        output = newOutput;
    }

    @Override
    public void run() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(errors, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (tail) {
                    if (tail.size() == TAIL_LINES) {
                        tail.removeFirst();
                    }
                    tail.addLast(line);
                }
                try {
                    output.line(gatewayId, line);
                } catch (RuntimeException e) {
                    // a failing sink must not stop the pump, or the remote blocks on a full pipe
                }
            }
        } catch (IOException e) {
            // the stream closed under us: the remote is gone
        }
    }

    /** The last lines seen, joined, or empty. */
    String tail() {
        synchronized (tail) {
            return String.join("\n", tail);
        }
    }
}
