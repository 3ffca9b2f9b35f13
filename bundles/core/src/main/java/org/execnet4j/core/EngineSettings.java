package org.execnet4j.core;

import java.time.Duration;
import java.util.Objects;

import org.execnet4j.api.RemoteOutput;
import org.execnet4j.api.Tracer;
import org.execnet4j.core.internal.Slf4jRemoteOutput;

/**
 * The timeouts, limits, output routing, tracing and audit of the gateway engine. Immutable; build one with
 * {@link #builder()} (or change a copy with {@link #toBuilder()}). Every default is a named
 * constant here, and the builder fills in whatever the caller leaves out, so new settings never
 * break existing callers.
 */
public final class EngineSettings {
    /** How long a new interpreter may take to answer the handshake and finish its set-up. */
    public static final Duration DEFAULT_BOOTSTRAP_TIMEOUT = Duration.ofSeconds(30);
    /** How long {@code Gateway.exit()} waits for the remote before killing it. */
    public static final Duration DEFAULT_EXIT_TIMEOUT = Duration.ofSeconds(5);
    /** How long the remote agent lets running tasks finish once the host is gone or asked it to stop. */
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(1);
    /**
     * 512 MiB: the largest item (the encoded form of one sent value), the same both ways: far
     * above real messages, far below what would endanger the JVM.
     */
    public static final int DEFAULT_MAX_ITEM_BYTES = 512 * 1024 * 1024;
    /** 1 GiB per channel: far beyond a receiver that keeps up, far below an exhausted heap. */
    public static final long DEFAULT_MAX_QUEUED_BYTES = 1024L * 1024 * 1024;
    /** 65536 live channels per gateway: far beyond real use, far below an exhausted heap. */
    public static final int DEFAULT_MAX_CHANNELS = 65_536;
    /** 4 MiB per channel and direction may be in flight before a sender waits for the receiver. */
    public static final int DEFAULT_FLOW_WINDOW = 4 * 1024 * 1024;
    /** 64 KiB: a remote output line longer than this is passed on in pieces of at most this many bytes. */
    public static final int DEFAULT_MAX_OUTPUT_LINE = 64 * 1024;
    /** 16 KiB of the remote's last output lines are kept for error messages. */
    public static final int DEFAULT_OUTPUT_TAIL = 16 * 1024;
    /** Remote output to SLF4J, or to stderr when no SLF4J provider is bound. */
    public static final RemoteOutput DEFAULT_REMOTE_OUTPUT = new Slf4jRemoteOutput();

    /**
     * The system property that turns the warm start of popen gateways on by default
     * ({@code -Dexecnet4j.warmStart=true}; it is off without it); {@link Builder#warmStart} decides
     * per launcher, a group's setting per group.
     */
    public static final String WARM_START_PROPERTY = "execnet4j.warmStart";

    /** The defaults, with tracing off. */
    public static final EngineSettings DEFAULTS = builder().build();

    private final Duration bootstrapTimeout;
    private final Duration exitTimeout;
    private final Duration shutdownGrace;
    private final int maxItemBytes;
    private final long maxQueuedBytes;
    private final int maxChannels;
    private final int flowWindow;
    private final int maxOutputLine;
    private final int outputTail;
    private final RemoteOutput remoteOutput;
    private final Tracer tracer;
    private final ExecAudit execAudit;
    private final boolean warmStart;

    private EngineSettings(Builder b) {
        if (b.maxItemBytes < 1024) {
            throw new IllegalArgumentException("maxItemBytes below 1 KiB: " + b.maxItemBytes);
        }
        if (b.maxQueuedBytes < b.maxItemBytes) {
            throw new IllegalArgumentException("maxQueuedBytes " + b.maxQueuedBytes + " below maxItemBytes " + b.maxItemBytes);
        }
        if (b.maxChannels < 1) {
            throw new IllegalArgumentException("maxChannels below 1: " + b.maxChannels);
        }
        if (b.flowWindow < 0) {
            throw new IllegalArgumentException("negative flowWindow: " + b.flowWindow);
        }
        if (b.maxOutputLine < 80) {
            throw new IllegalArgumentException("maxOutputLine below 80 bytes: " + b.maxOutputLine);
        }
        if (b.outputTail < 0) {
            throw new IllegalArgumentException("negative outputTail: " + b.outputTail);
        }
        this.bootstrapTimeout = b.bootstrapTimeout;
        this.exitTimeout = b.exitTimeout;
        this.shutdownGrace = b.shutdownGrace;
        this.maxItemBytes = b.maxItemBytes;
        this.maxQueuedBytes = b.maxQueuedBytes;
        this.maxChannels = b.maxChannels;
        this.flowWindow = b.flowWindow;
        this.maxOutputLine = b.maxOutputLine;
        this.outputTail = b.outputTail;
        this.remoteOutput = b.remoteOutput;
        this.tracer = b.tracer;
        this.execAudit = b.execAudit;
        this.warmStart = b.warmStart;
    }

    /**
     * A builder holding the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding these settings, to change some of them.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return new Builder()
                .bootstrapTimeout(bootstrapTimeout)
                .exitTimeout(exitTimeout)
                .shutdownGrace(shutdownGrace)
                .maxItemBytes(maxItemBytes)
                .maxQueuedBytes(maxQueuedBytes)
                .maxChannels(maxChannels)
                .flowWindow(flowWindow)
                .maxOutputLine(maxOutputLine)
                .outputTail(outputTail)
                .remoteOutput(remoteOutput)
                .tracer(tracer)
                .execAudit(execAudit)
                .warmStart(warmStart);
    }

    /** @return how long a new interpreter may take to answer the handshake and finish its set-up */
    public Duration bootstrapTimeout() {
        return bootstrapTimeout;
    }

    /** @return how long {@code Gateway.exit()} waits for the remote before killing it */
    public Duration exitTimeout() {
        return exitTimeout;
    }

    /** @return how long the remote agent lets running tasks finish once asked to stop */
    public Duration shutdownGrace() {
        return shutdownGrace;
    }

    /**
     * @return the largest item, in bytes of its encoded form, that either side sends or accepts
     *     (the remote agent gets the same limit): {@code send} refuses a larger one, and a larger
     *     one from the remote closes its channel with an error
     */
    public int maxItemBytes() {
        return maxItemBytes;
    }

    /**
     * @return how much memory (estimated from the decoded values) the items one channel holds
     *     unreceived may take before the channel is closed with an error
     */
    public long maxQueuedBytes() {
        return maxQueuedBytes;
    }

    /**
     * @return the most live channels one gateway holds; beyond it new channels (the host's or
     *     the remote's) are refused with an error
     */
    public int maxChannels() {
        return maxChannels;
    }

    /**
     * @return the flow-control window in bytes per channel and direction (0: flow control off):
     *     a sender waits while that many item bytes are unconsumed by the receiver
     */
    public int flowWindow() {
        return flowWindow;
    }

    /** @return the longest remote output line passed on whole, in bytes; longer ones come in pieces */
    public int maxOutputLine() {
        return maxOutputLine;
    }

    /** @return how many bytes of the remote's last output lines are kept for error messages */
    public int outputTail() {
        return outputTail;
    }

    /** @return where lines the remote writes to stderr (and, through the agent, stdout) go */
    public RemoteOutput remoteOutput() {
        return remoteOutput;
    }

    /** @return where the engine traces frames and life-cycle events ({@code EXECNET_DEBUG}) */
    public Tracer tracer() {
        return tracer;
    }

    /** @return what is told of every {@code remoteExec} (the audit) */
    public ExecAudit execAudit() {
        return execAudit;
    }

    /**
     * @return whether the popen gateways of a group are forked from a warm interpreter of the
     *     group's own (README "Fast start"); a spec with {@code //fresh}, or a gateway started
     *     without a group, starts fresh anyway
     */
    public boolean warmStart() {
        return warmStart;
    }

    /** Collects settings; whatever is not set keeps its default. Not thread-safe. */
    public static final class Builder {
        private Duration bootstrapTimeout = DEFAULT_BOOTSTRAP_TIMEOUT;
        private Duration exitTimeout = DEFAULT_EXIT_TIMEOUT;
        private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;
        private int maxItemBytes = DEFAULT_MAX_ITEM_BYTES;
        private long maxQueuedBytes = DEFAULT_MAX_QUEUED_BYTES;
        private int maxChannels = DEFAULT_MAX_CHANNELS;
        private int flowWindow = DEFAULT_FLOW_WINDOW;
        private int maxOutputLine = DEFAULT_MAX_OUTPUT_LINE;
        private int outputTail = DEFAULT_OUTPUT_TAIL;
        private RemoteOutput remoteOutput = DEFAULT_REMOTE_OUTPUT;
        private Tracer tracer = Tracer.OFF;
        private ExecAudit execAudit = ExecAudit.fromSystemProperty();
        private boolean warmStart = Boolean.getBoolean(WARM_START_PROPERTY);

        private Builder() {
        }

        /**
         * @param timeout how long a new interpreter may take to answer the handshake and finish
         *     its chdir/nice/env set-up
         * @return this builder
         */
        public Builder bootstrapTimeout(Duration timeout) {
            this.bootstrapTimeout = Objects.requireNonNull(timeout, "bootstrapTimeout");
            return this;
        }

        /**
         * @param timeout how long {@code Gateway.exit()} waits for the remote before killing it
         * @return this builder
         */
        public Builder exitTimeout(Duration timeout) {
            this.exitTimeout = Objects.requireNonNull(timeout, "exitTimeout");
            return this;
        }

        /**
         * @param grace how long the remote agent lets running tasks finish once the host is gone
         *     or asked it to stop, before it exits anyway
         * @return this builder
         */
        public Builder shutdownGrace(Duration grace) {
            this.shutdownGrace = Objects.requireNonNull(grace, "shutdownGrace");
            return this;
        }

        /**
         * @param bytes the largest item, in bytes of its encoded form, that either side sends or
         *     accepts (at least 1 KiB); the remote agent gets the same limit
         * @return this builder
         */
        public Builder maxItemBytes(int bytes) {
            this.maxItemBytes = bytes;
            return this;
        }

        /**
         * @param bytes how much memory (estimated from the decoded values) one channel's
         *     unreceived items may take (at least {@code maxItemBytes}); beyond it the channel is
         *     closed with an error on both sides
         * @return this builder
         */
        public Builder maxQueuedBytes(long bytes) {
            this.maxQueuedBytes = bytes;
            return this;
        }

        /**
         * @param count the most live channels one gateway holds (at least 1); beyond it new
         *     channels are refused with an error
         * @return this builder
         */
        public Builder maxChannels(int count) {
            this.maxChannels = count;
            return this;
        }

        /**
         * @param bytes the longest remote output line passed on whole (at least 80); a longer line
         *     (or output without any newline) is passed on in pieces of at most this many bytes
         * @return this builder
         */
        public Builder maxOutputLine(int bytes) {
            this.maxOutputLine = bytes;
            return this;
        }

        /**
         * @param bytes the flow-control window per channel and direction, or 0 to switch flow
         *     control off (execnet's behaviour: senders never wait)
         * @return this builder
         */
        public Builder flowWindow(int bytes) {
            this.flowWindow = bytes;
            return this;
        }

        /**
         * @param bytes how many bytes of the remote's last output lines to keep for the error
         *     message of a gateway that fails to start (0 keeps none)
         * @return this builder
         */
        public Builder outputTail(int bytes) {
            this.outputTail = bytes;
            return this;
        }

        /**
         * @param output where lines the remote writes to stderr (and, through the agent, stdout) go
         * @return this builder
         */
        public Builder remoteOutput(RemoteOutput output) {
            this.remoteOutput = Objects.requireNonNull(output, "remoteOutput");
            return this;
        }

        /**
         * @param newTracer where the engine traces frames and life-cycle events
         * @return this builder
         */
        public Builder tracer(Tracer newTracer) {
            this.tracer = Objects.requireNonNull(newTracer, "tracer");
            return this;
        }

        /**
         * @param audit what is told of every {@code remoteExec}; the default is
         *     {@link ExecAudit#fromSystemProperty()}, as the property is when the builder is made
         * @return this builder
         */
        public Builder execAudit(ExecAudit audit) {
            this.execAudit = Objects.requireNonNull(audit, "execAudit");
            return this;
        }

        /**
         * @param on whether the popen gateways of a group are forked from a warm interpreter of the
         *     group's own, one per Python and execution model, that keeps the agent loaded
         *     (default: the system property {@value EngineSettings#WARM_START_PROPERTY}, else off);
         *     where forking is not possible a gateway starts fresh
         * @return this builder
         */
        public Builder warmStart(boolean on) {
            this.warmStart = on;
            return this;
        }

        /**
         * @return the settings
         * @throws IllegalArgumentException when the limits contradict each other
         */
        public EngineSettings build() {
            return new EngineSettings(this);
        }
    }
}
