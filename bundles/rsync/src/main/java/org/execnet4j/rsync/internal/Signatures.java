package org.execnet4j.rsync.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * The block signatures of one file: per block of {@code blockSize} bytes (the last may be
 * shorter) its Adler-32 checksum (as zlib computes it, so it can be rolled) and the first
 * {@link #STRONG} bytes of its SHA-256; and the SHA-256 of the whole file.
 */
final class Signatures {
    /** Bytes of SHA-256 kept per block. */
    static final int STRONG = 16;
    /** Files below this size travel whole. */
    static final long DELTA_MIN = 64 * 1024;

    final int blockSize;
    final long size;
    final int[] weak;
    final byte[] strong;
    final byte[] whole;

    Signatures(int blockSize, long size, int[] weak, byte[] strong, byte[] whole) {
        if (strong.length != weak.length * STRONG) {
            throw new IllegalArgumentException("signatures: " + weak.length + " checksums but " + strong.length + " digest bytes");
        }
        this.blockSize = blockSize;
        this.size = size;
        this.weak = weak;
        this.strong = strong;
        this.whole = whole;
    }

    /** The block size for a file of {@code size} bytes: about its square root, 2 KiB to 128 KiB. */
    static int blockSize(long size) {
        long root = (long) Math.sqrt((double) size);
        long rounded = (root + 1023) / 1024 * 1024;
        return (int) Math.max(2048, Math.min(128 * 1024, rounded));
    }

    /** The number of blocks. */
    int blocks() {
        return weak.length;
    }

    /** The length of block {@code i}. */
    int length(int i) {
        return (int) Math.min(blockSize, size - (long) i * blockSize);
    }

    /** Whether block {@code i}'s strong digest equals {@code digest}. */
    boolean strongEquals(int i, byte[] digest) {
        return Arrays.equals(strong, i * STRONG, (i + 1) * STRONG, digest, 0, STRONG);
    }

    /** Signatures as the remote sends them: (weak checksums as big-endian u32s, strong digests, whole digest). */
    static Signatures fromWire(Object value, int blockSize, long size) {
        List<?> t = (List<?>) value;
        byte[] weakBytes = (byte[]) t.get(0);
        int[] weak = new int[weakBytes.length / 4];
        ByteBuffer.wrap(weakBytes).asIntBuffer().get(weak);
        return new Signatures(blockSize, size, weak, (byte[]) t.get(1), (byte[]) t.get(2));
    }
}
