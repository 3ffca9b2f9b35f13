package org.execnet4j.rsync.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.zip.Adler32;

/**
 * rsync's block matching: slides a window of one block over a local file, rolling its Adler-32
 * checksum byte by byte, and reports every place where the window equals a block of the other
 * side's file (checksum, then SHA-256 prefix). After a match the window jumps a whole block.
 * Reads the file once in fixed-size chunks, so memory stays bounded whatever the file's size.
 */
final class BlockMatcher {
    private static final int MOD = 65521;
    private static final int BUFFER = 1 << 20;

    /** Receives the matches in file order. */
    interface Sink {
        /**
         * The window at {@code offset} of the local file equals block {@code block}.
         *
         * @param offset where the window starts in the local file
         * @param block the index of the matching block in the signatures
         */
        void matched(long offset, int block);
    }

    /** What a scan found out about the local file besides the matches. */
    record Scanned(long size, byte[] digest) {
    }

    private final Signatures sigs;
    private final int[] heads;
    private final int[] next;
    private final int mask;

    BlockMatcher(Signatures sigs) {
        this.sigs = sigs;
        int n = sigs.blocks();
        int capacity = Integer.highestOneBit(Math.max(2, n * 2 - 1)) << 1;
        heads = new int[capacity];
        Arrays.fill(heads, -1);
        next = new int[n];
        mask = capacity - 1;
        for (int i = n - 1; i >= 0; i--) {
            if (sigs.length(i) == sigs.blockSize) {
                int h = slot(sigs.weak[i]);
                next[i] = heads[h];
                heads[h] = i;
            }
        }
    }

    /**
     * Scans {@code file}.
     *
     * @return the file's size and SHA-256 as read
     * @throws IOException when the file cannot be read
     */
    Scanned scan(Path file, Sink sink) throws IOException {
        MessageDigest whole = sha256();
        MessageDigest strong = sha256();
        Adler32 adler = new Adler32();
        int bs = sigs.blockSize;
        int[] outTimesBs = new int[256];
        for (int x = 0; x < 256; x++) {
            outTimesBs[x] = (int) ((long) bs * x % MOD);
        }
        byte[] buf = new byte[Math.max(BUFFER, 4 * bs)];
        long base = 0;
        int len = 0;
        int pos = 0;
        boolean eof = false;
        boolean fresh = true;
        int a = 0;
        int b = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (true) {
                if (len - pos <= bs && !eof) {
                    System.arraycopy(buf, pos, buf, 0, len - pos);
                    base += pos;
                    len -= pos;
                    pos = 0;
                    int before = len;
                    ByteBuffer target = ByteBuffer.wrap(buf, len, buf.length - len);
                    while (target.hasRemaining()) {
                        if (ch.read(target) < 0) {
                            eof = true;
                            break;
                        }
                    }
                    len = target.position();
                    whole.update(buf, before, len - before);
                }
                if (len - pos < bs) {
                    break;
                }
                if (fresh) {
                    adler.reset();
                    adler.update(buf, pos, bs);
                    int value = (int) adler.getValue();
                    a = value & 0xffff;
                    b = value >>> 16;
                    fresh = false;
                }
                int block = find((b << 16) | a, buf, pos, strong);
                if (block >= 0) {
                    sink.matched(base + pos, block);
                    pos += bs;
                    fresh = true;
                    continue;
                }
                if (len - pos == bs) {
                    break;                                   // end of file: no byte left to roll in
                }
                int out = buf[pos] & 0xff;
                a += (buf[pos + bs] & 0xff) - out;
                if (a < 0) {
                    a += MOD;
                } else if (a >= MOD) {
                    a -= MOD;
                }
                b = (int) ((b - outTimesBs[out] + a - 1 + 2L * MOD) % MOD);
                pos++;
            }
        }
        return new Scanned(base + len, whole.digest());
    }

    private int find(int weak, byte[] buf, int pos, MessageDigest strong) {
        byte[] digest = null;
        for (int i = heads[slot(weak)]; i >= 0; i = next[i]) {
            if (sigs.weak[i] != weak) {
                continue;
            }
            if (digest == null) {
                strong.update(buf, pos, sigs.blockSize);
                digest = strong.digest();
            }
            if (sigs.strongEquals(i, digest)) {
                return i;
            }
        }
        return -1;
    }

    private int slot(int weak) {
        return ((weak * 0x9E3779B9) >>> 7) & mask;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
