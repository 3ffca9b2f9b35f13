package org.execnet4j.core.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.execnet4j.api.Connection;
import org.execnet4j.api.Spec;
import org.execnet4j.api.Transport;
import org.execnet4j.api.spi.UnixSocketReach;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The warm interpreters of one owner (a group, through its {@link org.execnet4j.core.WarmPool}), one per kind
 * of gateway (transport, ssh target and config, Python and execution model) whose transport
 * reaches Unix domain sockets where its interpreters run ({@link UnixSocketReach}: popen, ssh).
 *
 * <p>The policy while a kind's warm interpreter starts: the first gateway of a kind starts fresh
 * and, once it has answered its first request, has the warm interpreter started (so a lone gateway
 * does not share the CPU with it while it starts and serves that request); where the transport asks for it ({@link UnixSocketReach#startsWarmWithFirst()}:
 * ssh, where every fresh start costs a session, a shell and Python on the server) the warm
 * interpreter starts with the first gateway instead, and that gateway is forked from it too, as in
 * a burst (booted from its cache, a warm interpreter is ready about as soon as a fresh gateway
 * would be, and the second then finds it ready).
 * A gateway of the kind that arrives before that (a burst, such as
 * {@code makeGateways}) has the warm interpreter started at once and waits for it: it started no
 * later than this gateway's own fresh start would, and costs about as much, so waiting is never
 * much slower, and each later fork is far cheaper than a fresh start. Where forking is not
 * possible (not Linux or macOS, a spec with {@code //fresh}, {@code via=}, a green execution
 * model, a warm interpreter that failed or died, or one that cannot be reached, as on an ssh
 * server that does not forward Unix domain sockets) a gateway starts fresh, as before, without an
 * error. {@link #close()} ends every warm interpreter, also one still starting.
 */
public final class WarmInterpreters {
    private static final Logger LOG = LoggerFactory.getLogger(WarmInterpreters.class);
    private static final Set<String> FORKABLE_MODELS = Set.of("thread", "main_thread_only");
    private static final boolean FORK_AVAILABLE = forkAvailable(System.getProperty("os.name", ""));

    private final Duration timeout;
    private final Map<String, Kind> byKind = new ConcurrentHashMap<>();

    /**
     * @param timeout how long a warm interpreter may take to get ready, and to fork
     */
    public WarmInterpreters(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * A gateway process forked from the warm interpreter of the spec's kind, or empty when the
     * gateway must start fresh; waits while that warm interpreter is starting (see the class).
     *
     * @param spec the gateway's spec
     * @param transport the transport it starts with (only gateways of a {@link UnixSocketReach} are forked)
     * @param agentConfig the configuration its agent starts with: the forked process gets the line
     *     that starts it at once, before it is asked for anything else
     * @return the connection to the forked process, which has its bootstrap line
     */
    public Optional<Connection> fork(Spec spec, Transport transport, Map<String, Object> agentConfig) {
        if (!forkable(spec, transport)) {
            return Optional.empty();
        }
        String key = kindOf(spec);
        Kind kind = byKind.computeIfAbsent(key, k -> new Kind(spec, transport, (UnixSocketReach) transport));
        Optional<Connection> forked = kind.fork(spec, agentConfig);
        if (kind.hasDied() && byKind.remove(key, kind)) {
            kind.close();   // a later gateway starts another
        }
        return forked;
    }

    /**
     * Tells that a gateway that started fresh answered its first request: the first of its kind has the kind's warm
     * interpreter started now, in the background (nothing if there is one, or after {@link #close()}).
     *
     * @param spec the gateway's spec
     * @param transport the transport it started with
     */
    public void startedFresh(Spec spec, Transport transport) {
        Kind kind = forkable(spec, transport) ? byKind.get(kindOf(spec)) : null;
        if (kind != null) {
            kind.startWarm();
        }
    }

    /**
     * Whether gateways of the spec's kind are forked from a warm interpreter that starts together
     * with the first of them ({@link UnixSocketReach#startsWarmWithFirst()}) and has not failed:
     * then only {@code //fresh} ones (and all when it fails) start fresh, and an agent compiled for
     * fresh ones is not worth its process (on ssh a session, shell and Python of its own, beside
     * the warm interpreter's start).
     *
     * @param spec the gateway's spec
     * @param transport the transport it starts with
     * @return true when its kind's later gateways are forked
     */
    public boolean startsWithFirst(Spec spec, Transport transport) {
        if (!forkable(spec, transport) || !((UnixSocketReach) transport).startsWarmWithFirst()) {
            return false;
        }
        Kind kind = byKind.get(kindOf(spec));
        return kind == null || !kind.cannotFork();
    }

    /**
     * Ends every warm interpreter, killing those still starting; the gateway processes they forked
     * run on. A later gateway is again the first of its kind.
     */
    public void close() {
        List<Kind> kinds = List.copyOf(byKind.values());
        kinds.forEach(Kind::stop);     // all at once: a remote one takes a roundtrip to end
        for (Kind kind : kinds) {
            if (byKind.values().remove(kind)) {
                kind.close();
            }
        }
    }

    private static String kindOf(Spec spec) {
        return String.join("\u0000", spec.type(), spec.target().orElse(""), spec.get("ssh_config").orElse(""),
                spec.python().orElse(""), spec.execmodel().orElse("thread"));
    }

    /** The warm interpreter of one kind: not started yet, starting, ready, failed or ended. */
    private final class Kind {
        private final Spec spec;
        private final Transport transport;
        private final UnixSocketReach reach;
        /** Whether a gateway of this kind came (the first starts fresh); guarded by this. */
        private boolean firstCame;
        /** The warm interpreter once started; guarded by this. */
        private CompletableFuture<Optional<WarmInterpreter>> warm;
        /** Its process while it starts, to kill on close; guarded by this. */
        private Connection starting;
        private boolean closed;

        Kind(Spec spec, Transport transport, UnixSocketReach reach) {
            this.spec = spec;
            this.transport = transport;
            this.reach = reach;
        }

        /**
         * Empty for the first gateway where the warm interpreter starts after it (it starts fresh);
         * any other waits for the warm interpreter, started now if need be.
         */
        Optional<Connection> fork(Spec gatewaySpec, Map<String, Object> agentConfig) {
            synchronized (this) {
                if (!firstCame) {
                    firstCame = true;
                    if (!reach.startsWarmWithFirst()) {
                        return Optional.empty();
                    }
                }
            }
            Optional<WarmInterpreter> ready = awaitReady(startWarm());
            if (ready.isEmpty() || ready.get().isUnreachable()) {
                return Optional.empty();
            }
            try {
                return Optional.of(ready.get().fork(Abbreviation.of(gatewaySpec), timeout,
                        AgentProgram.warmBootstrapLine(agentConfig, gatewaySpec.dontWriteBytecode())));
            } catch (IOException e) {
                LOG.debug("{} cannot fork, starting fresh: {}", ready.get(), e.toString());
                if (ready.get().isUnreachable()) {
                    ready.get().close();    // stays in place: later gateways of its kind start fresh at once
                }
                return Optional.empty();
            }
        }

        private Optional<WarmInterpreter> awaitReady(CompletableFuture<Optional<WarmInterpreter>> started) {
            try {
                return started.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.debug("no warm interpreter for {} within {}, starting fresh", Abbreviation.of(spec), timeout);
            }
            return Optional.empty();
        }

        /** Starts the warm interpreter in the background unless it is started (or closed). */
        synchronized CompletableFuture<Optional<WarmInterpreter>> startWarm() {
            if (warm == null) {
                warm = new CompletableFuture<>();
                if (closed) {
                    warm.complete(Optional.empty());
                } else {
                    CompletableFuture<Optional<WarmInterpreter>> mine = warm;
                    Thread starter = new Thread(() -> mine.complete(startQuietly()), "execnet4j-warm-start");
                    starter.setDaemon(true);
                    starter.start();
                }
            }
            return warm;
        }

        private Optional<WarmInterpreter> startQuietly() {
            try {
                WarmInterpreter started = WarmInterpreter.start(spec, transport, reach, timeout, this::opened);
                synchronized (this) {
                    starting = null;
                    if (!closed) {
                        return Optional.of(started);
                    }
                }
                started.close();
            } catch (IOException | RuntimeException e) {
                LOG.debug("no warm interpreter for {}, its gateways start fresh: {}", Abbreviation.of(spec), e.toString());
            }
            return Optional.empty();
        }

        /** The warm interpreter's process is open: killed at once when the owner closed meanwhile. */
        private void opened(Connection process) {
            synchronized (this) {
                if (!closed) {
                    starting = process;
                    return;
                }
            }
            process.kill();
        }

        /** Whether its warm interpreter failed to start or cannot be reached (its gateways start fresh). */
        synchronized boolean cannotFork() {
            return warm != null && warm.isDone() && warm.join().map(WarmInterpreter::isUnreachable).orElse(true);
        }

        /** Whether its warm interpreter started and has ended since (not one closed because it could not be reached). */
        synchronized boolean hasDied() {
            return warm != null && warm.getNow(Optional.empty()).map(w -> !w.isAlive() && !w.isUnreachable()).orElse(false);
        }

        /** Asks a ready warm interpreter to stop, without waiting (close() waits). */
        void stop() {
            CompletableFuture<Optional<WarmInterpreter>> started;
            synchronized (this) {
                started = warm;
            }
            if (started != null) {
                started.getNow(Optional.empty()).ifPresent(WarmInterpreter::stop);
            }
        }

        void close() {
            Connection toKill;
            CompletableFuture<Optional<WarmInterpreter>> started;
            synchronized (this) {
                closed = true;
                toKill = starting;
                started = warm;
            }
            if (toKill != null) {
                toKill.kill();
            }
            if (started != null) {
                started.join().ifPresent(WarmInterpreter::close);
            }
        }
    }

    private static boolean forkable(Spec spec, Transport transport) {
        return FORK_AVAILABLE && transport instanceof UnixSocketReach && spec.type().equals(transport.type())
                && spec.via().isEmpty() && !spec.has("fresh")
                && FORKABLE_MODELS.contains(spec.execmodel().orElse("thread"));
    }

    private static boolean forkAvailable(String osName) {
        String os = osName.toLowerCase(Locale.ROOT);
        return os.contains("linux") || os.contains("mac");
    }
}
