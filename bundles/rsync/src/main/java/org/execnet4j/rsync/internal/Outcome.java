package org.execnet4j.rsync.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.execnet4j.rsync.RSyncListener;
import org.execnet4j.rsync.TargetResult;

/** What one target did so far, counted from any thread, and the listener told as it happens. */
final class Outcome {
    private final String gateway;
    private final String destination;
    private final RSyncListener listener;
    private final long started = System.nanoTime();
    private final AtomicInteger files = new AtomicInteger();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong saved = new AtomicLong();
    private final AtomicInteger deleted = new AtomicInteger();
    private final List<String> errors = new ArrayList<>();
    private final List<String> vanished = new ArrayList<>();

    Outcome(String gateway, String destination, RSyncListener listener) {
        this.gateway = gateway;
        this.destination = destination;
        this.listener = listener;
    }

    /** The target's name for the listener. */
    String target() {
        return gateway + ":" + destination;
    }

    void planned(int count, long bytes) {
        listener.planned(target(), count, bytes);
    }

    /** A file is in place; {@code literal} of its {@code size} bytes travelled. */
    void fileDone(String path, long size, long literal) {
        files.incrementAndGet();
        sent.addAndGet(literal);
        saved.addAndGet(size - literal);
        listener.fileDone(target(), path, size);
    }

    /** A planned file turned out to have the same content already; only its attributes changed. */
    void fileUnchanged(String path, long size) {
        listener.fileDone(target(), path, size);
    }

    void deleted(int count) {
        deleted.addAndGet(count);
    }

    synchronized void error(String message) {
        errors.add(message);
    }

    synchronized void vanished(String path) {
        vanished.add(path);
    }

    /** The result, ended by {@code failure} if not empty. */
    synchronized TargetResult result(Optional<Throwable> failure) {
        TargetResult r = new TargetResult(gateway, destination, files.get(), sent.get(), saved.get(), deleted.get(),
                Duration.ofNanos(System.nanoTime() - started), errors, vanished, failure);
        listener.finished(r);
        return r;
    }
}
