package org.execnet4j.core;

import java.time.Duration;
import java.util.Objects;

import org.execnet4j.api.RemoteOutput;
import org.execnet4j.api.Tracer;
import org.execnet4j.core.internal.Slf4jRemoteOutput;

/**
 * The timeouts, limits and output routing of the gateway engine, with every default a named
 * constant here.
 *
 * @param bootstrapTimeout how long a new interpreter may take to answer the handshake and finish
 *     its chdir/nice/env set-up
 * @param exitTimeout how long {@code Gateway.exit()} waits for the remote before killing it
 * @param shutdownGrace how long the remote agent lets running tasks finish once the host is gone
 *     or asked it to stop, before it exits anyway
 * @param maxFramePayload the largest frame payload accepted from a remote, in bytes
 * @param maxQueuedBytes the most payload bytes one channel may hold unreceived; beyond it the
 *     channel is closed with an error on both sides rather than letting a fast sender exhaust memory
 * @param remoteOutput where lines the remote writes to stderr (and, through the agent, stdout) go
 * @param tracer where the engine traces frames and life-cycle events ({@code EXECNET_DEBUG})
 */
public record EngineSettings(Duration bootstrapTimeout, Duration exitTimeout, Duration shutdownGrace,
        int maxFramePayload, long maxQueuedBytes, RemoteOutput remoteOutput, Tracer tracer) {

    public static final Duration DEFAULT_BOOTSTRAP_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_EXIT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(1);
    /** 512 MiB: far above real messages, far below what would endanger the JVM. */
    public static final int DEFAULT_MAX_FRAME_PAYLOAD = 512 * 1024 * 1024;
    /** 1 GiB per channel: far beyond a receiver that keeps up, far below an exhausted heap. */
    public static final long DEFAULT_MAX_QUEUED_BYTES = 1024L * 1024 * 1024;

    /** Remote output to SLF4J, or to stderr when no SLF4J provider is bound. */
    public static final RemoteOutput DEFAULT_REMOTE_OUTPUT = new Slf4jRemoteOutput();

    /** The defaults, with tracing off. */
    public static final EngineSettings DEFAULTS = new EngineSettings(DEFAULT_BOOTSTRAP_TIMEOUT, DEFAULT_EXIT_TIMEOUT,
            DEFAULT_SHUTDOWN_GRACE, DEFAULT_MAX_FRAME_PAYLOAD, DEFAULT_MAX_QUEUED_BYTES, DEFAULT_REMOTE_OUTPUT, Tracer.OFF);

    public EngineSettings {
        Objects.requireNonNull(bootstrapTimeout, "bootstrapTimeout");
        Objects.requireNonNull(exitTimeout, "exitTimeout");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        Objects.requireNonNull(remoteOutput, "remoteOutput");
        Objects.requireNonNull(tracer, "tracer");
        if (maxFramePayload < 1024) {
            throw new IllegalArgumentException("maxFramePayload below 1 KiB: " + maxFramePayload);
        }
        if (maxQueuedBytes < maxFramePayload) {
            throw new IllegalArgumentException("maxQueuedBytes " + maxQueuedBytes + " below maxFramePayload " + maxFramePayload);
        }
    }

    /** These settings with another sink for remote output. */
    public EngineSettings withRemoteOutput(RemoteOutput output) {
        return new EngineSettings(bootstrapTimeout, exitTimeout, shutdownGrace, maxFramePayload, maxQueuedBytes, output, tracer);
    }

    /** These settings with other bounds on what a remote may send. */
    public EngineSettings withLimits(int newMaxFramePayload, long newMaxQueuedBytes) {
        return new EngineSettings(bootstrapTimeout, exitTimeout, shutdownGrace, newMaxFramePayload, newMaxQueuedBytes,
                remoteOutput, tracer);
    }

    /** These settings with another tracer. */
    public EngineSettings withTracer(Tracer newTracer) {
        return new EngineSettings(bootstrapTimeout, exitTimeout, shutdownGrace, maxFramePayload, maxQueuedBytes, remoteOutput, newTracer);
    }

    /** These settings with another exit timeout. */
    public EngineSettings withExitTimeout(Duration timeout) {
        return new EngineSettings(bootstrapTimeout, timeout, shutdownGrace, maxFramePayload, maxQueuedBytes, remoteOutput, tracer);
    }
}
