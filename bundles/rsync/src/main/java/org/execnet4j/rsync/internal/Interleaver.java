package org.execnet4j.rsync.internal;

import java.io.IOException;
import java.util.List;

/**
 * Walks a {@link Plan} in file order: literal bytes come from the source in one stream and go to
 * a sink, and each run of basis segments between them goes to a {@link Copier} at its place.
 */
final class Interleaver implements ChunkSink {
    /** Handles a segment the destination copies from its old file. */
    interface Copier {
        void copy(Segment segment) throws IOException;
    }

    private final List<Segment> segments;
    private final Copier copier;
    private final ChunkSink literal;
    private int index;
    private long remaining;

    private Interleaver(List<Segment> segments, Copier copier, ChunkSink literal) {
        this.segments = segments;
        this.copier = copier;
        this.literal = literal;
    }

    /**
     * Builds the file described by {@code plan}: copies through {@code copier}, literal bytes read
     * from {@code source} through {@code literal}.
     */
    static void run(Plan plan, Side source, String path, Copier copier, ChunkSink literal) throws IOException {
        Interleaver il = new Interleaver(plan.segments(), copier, literal);
        il.copies();
        List<Segment> ranges = plan.segments().stream().filter(Segment::literal).toList();
        if (!ranges.isEmpty()) {
            source.read(path, ranges, il);
        }
        if (il.remaining != 0 || il.index < plan.segments().size()) {
            throw new IOException(path + ": the source sent " + (il.remaining > 0 ? "less" : "more") + " data than planned");
        }
    }

    /** Passes basis segments from the current one on to the copier; stops at a literal one. */
    private void copies() throws IOException {
        while (index < segments.size() && !segments.get(index).literal()) {
            copier.copy(segments.get(index++));
        }
        remaining = index < segments.size() ? segments.get(index).length() : 0;
    }

    @Override
    public void accept(byte[] buf, int off, int len) throws IOException {
        while (len > 0) {
            if (remaining == 0) {
                throw new IOException("more data than planned");
            }
            int n = (int) Math.min(len, remaining);
            literal.accept(buf, off, n);
            off += n;
            len -= n;
            remaining -= n;
            if (remaining == 0) {
                index++;
                copies();
            }
        }
    }
}
