package org.execnet4j.rsync.internal;

/**
 * A piece of the new content of a file: {@code length} bytes at {@code offset} that either come
 * from the old file at {@code basis} (a block the destination already has) or, when {@code basis}
 * is negative, travel from the source.
 *
 * @param offset where the piece starts in the new file
 * @param length its length
 * @param basis where it starts in the old file, or -1 when it is literal
 */
record Segment(long offset, long length, long basis) {
    /** Whether the bytes travel from the source. */
    boolean literal() {
        return basis < 0;
    }

    /** This segment followed by {@code next}, if they join into one; else null. */
    Segment join(Segment next) {
        if (offset + length != next.offset || literal() != next.literal()) {
            return null;
        }
        if (literal()) {
            return new Segment(offset, length + next.length, -1);
        }
        return basis + length == next.basis ? new Segment(offset, length + next.length, basis) : null;
    }
}
