package org.execnet4j.rsync.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * How to build a file's new content: its segments in order, and the SHA-256 the result must
 * have (null when the whole file travels literally).
 *
 * @param segments the pieces, in file order, adjacent ones joined
 * @param digest the expected SHA-256 of the new content, or null
 */
record Plan(List<Segment> segments, byte[] digest) {
    /** The whole file of {@code size} bytes from the source. */
    static Plan whole(long size) {
        return new Plan(size == 0 ? List.of() : List.of(new Segment(0, size, -1)), null);
    }

    /** The bytes that travel from the source. */
    long literalBytes() {
        return segments.stream().filter(Segment::literal).mapToLong(Segment::length).sum();
    }

    /** Whether any piece comes from the old file. */
    boolean usesBasis() {
        return segments.stream().anyMatch(s -> !s.literal());
    }

    /** Collects segments in file order, joining neighbours. */
    static final class Builder {
        private final List<Segment> segments = new ArrayList<>();

        void add(Segment s) {
            if (s.length() == 0) {
                return;
            }
            int last = segments.size() - 1;
            Segment joined = last < 0 ? null : segments.get(last).join(s);
            if (joined != null) {
                segments.set(last, joined);
            } else {
                segments.add(s);
            }
        }

        Plan build(byte[] digest) {
            return new Plan(List.copyOf(segments), digest);
        }
    }
}
