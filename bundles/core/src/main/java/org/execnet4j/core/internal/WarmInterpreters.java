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

import org.execnet4j.api.Connection;
import org.execnet4j.api.Spec;
import org.execnet4j.api.Transport;
import org.execnet4j.api.spi.UnixSocketReach;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The warm interpreters of one launcher, one per kind of gateway (transport, ssh target and
 * config, Python and execution model) whose transport reaches Unix domain sockets where its
 * interpreters run ({@link UnixSocketReach}: popen, ssh). The first gateway of a kind starts
 * fresh and has its kind's warm interpreter started in the background; later gateways get a
 * process forked from it once it is ready. Where that is not possible (this host not Linux or
 * macOS, a spec with {@code //fresh}, {@code via=}, a green execution model, a warm interpreter
 * that failed, is still starting or cannot be reached, as on an ssh server that does not forward
 * Unix domain sockets) a gateway starts fresh, as before, without an error.
 */
public final class WarmInterpreters {
    private static final Logger LOG = LoggerFactory.getLogger(WarmInterpreters.class);
    private static final Set<String> FORKABLE_MODELS = Set.of("thread", "main_thread_only");
    private static final boolean FORK_AVAILABLE = forkAvailable(System.getProperty("os.name", ""));

    /** The kind of a warm interpreter that runs but cannot be reached. */
    private static final CompletableFuture<Optional<WarmInterpreter>> UNREACHABLE = CompletableFuture.completedFuture(Optional.empty());

    private final Duration timeout;
    private final Map<String, CompletableFuture<Optional<WarmInterpreter>>> byKind = new ConcurrentHashMap<>();

    /**
     * @param timeout how long a warm interpreter may take to get ready, and to fork
     */
    public WarmInterpreters(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * A gateway process forked from the warm interpreter of the spec's kind, or empty when the
     * gateway must start fresh (then the warm interpreter is started in the background if there
     * is none).
     *
     * @param spec the gateway's spec
     * @param transport the transport it starts with (only gateways of a {@link UnixSocketReach} are forked)
     * @return the connection to the forked process, which waits for its bootstrap line
     */
    public Optional<Connection> fork(Spec spec, Transport transport) {
        if (!forkable(spec, transport) || !(transport instanceof UnixSocketReach reach)) {
            return Optional.empty();
        }
        String kind = String.join("\u0000", spec.type(), spec.target().orElse(""), spec.get("ssh_config").orElse(""),
                spec.python().orElse(""), spec.execmodel().orElse("thread"));
        CompletableFuture<Optional<WarmInterpreter>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<WarmInterpreter>> existing = byKind.putIfAbsent(kind, mine);
        if (existing == null) {
            Thread starter = new Thread(() -> mine.complete(startQuietly(spec, transport, reach)), "execnet4j-warm-start");
            starter.setDaemon(true);
            starter.start();
            return Optional.empty();
        }
        Optional<WarmInterpreter> warm = existing.getNow(Optional.empty());
        if (warm.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(warm.get().fork(Abbreviation.of(spec), timeout));
        } catch (IOException e) {
            LOG.debug("{} cannot fork, starting fresh: {}", warm.get(), e.toString());
            if (warm.get().isAlive() && !warm.get().isUsable() && byKind.replace(kind, existing, UNREACHABLE)) {
                warm.get().close();     // later gateways of its kind start fresh at once
            } else if (!warm.get().isAlive() && byKind.remove(kind, existing)) {
                warm.get().close();     // a later gateway starts another
            }
            return Optional.empty();
        }
    }

    private Optional<WarmInterpreter> startQuietly(Spec spec, Transport transport, UnixSocketReach reach) {
        try {
            return Optional.of(WarmInterpreter.start(spec, transport, reach, timeout));
        } catch (IOException | RuntimeException e) {
            LOG.debug("no warm interpreter for {}, its gateways start fresh: {}", Abbreviation.of(spec), e.toString());
            return Optional.empty();
        }
    }

    /**
     * Stops every warm interpreter, after waiting for those still starting; the gateway processes
     * they forked run on. A later gateway starts a new one.
     */
    public void close() {
        for (CompletableFuture<Optional<WarmInterpreter>> f : List.copyOf(byKind.values())) {
            if (byKind.values().remove(f)) {
                f.join().ifPresent(WarmInterpreter::close);
            }
        }
    }

    private static boolean forkable(Spec spec, Transport transport) {
        return FORK_AVAILABLE && spec.type().equals(transport.type())
                && spec.via().isEmpty() && !spec.has("fresh")
                && FORKABLE_MODELS.contains(spec.execmodel().orElse("thread"));
    }

    private static boolean forkAvailable(String osName) {
        String os = osName.toLowerCase(Locale.ROOT);
        return os.contains("linux") || os.contains("mac");
    }
}
