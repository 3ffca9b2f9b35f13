package org.execnet4j.rsync.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.Adler32;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rolling match finds blocks wherever they moved, with checksums as zlib (and so the remote agent) computes them. */
class BlockMatcherTest {
    @TempDir
    Path dir;

    /** Signatures as the agent makes them: zlib's Adler-32 and the SHA-256 prefix per block. */
    static Signatures signatures(byte[] data, int blockSize) throws Exception {
        int n = (data.length + blockSize - 1) / blockSize;
        int[] weak = new int[n];
        ByteBuffer strong = ByteBuffer.allocate(n * Signatures.STRONG);
        for (int i = 0; i < n; i++) {
            int from = i * blockSize;
            int to = Math.min(data.length, from + blockSize);
            Adler32 adler = new Adler32();
            adler.update(data, from, to - from);
            weak[i] = (int) adler.getValue();
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(data, from, to - from);
            strong.put(md.digest(), 0, Signatures.STRONG);
        }
        return new Signatures(blockSize, data.length, weak, strong.array(), MessageDigest.getInstance("SHA-256").digest(data));
    }

    @Test
    void blocksShiftedByAnInsertionAreFoundAtTheirNewPlace() throws Exception {
        byte[] old = new byte[200_000];
        new Random(1).nextBytes(old);
        byte[] inserted = new byte[old.length + 3];
        inserted[0] = 1;
        inserted[1] = 2;
        inserted[2] = 3;
        System.arraycopy(old, 0, inserted, 3, old.length);
        Path file = Files.write(dir.resolve("new"), inserted);
        int bs = 4096;
        List<long[]> matches = new ArrayList<>();
        BlockMatcher.Scanned scanned = new BlockMatcher(signatures(old, bs)).scan(file, (offset, block) -> matches.add(new long[] {offset, block}));
        int full = old.length / bs;
        assertEquals(full, matches.size());
        for (int i = 0; i < full; i++) {
            assertArrayEquals(new long[] {3L + (long) i * bs, i}, matches.get(i));
        }
        assertEquals(inserted.length, scanned.size());
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(inserted), scanned.digest());
    }

    @Test
    void aChangedBlockIsNotMatchedAndTheOthersAre() throws Exception {
        byte[] old = new byte[50_000];
        new Random(2).nextBytes(old);
        byte[] changed = old.clone();
        changed[10_000] ^= 1;
        Path file = Files.write(dir.resolve("new"), changed);
        List<Integer> blocks = new ArrayList<>();
        new BlockMatcher(signatures(old, 2048)).scan(file, (offset, block) -> blocks.add(block));
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 50_000 / 2048; i++) {
            if (i != 10_000 / 2048) {
                expected.add(i);
            }
        }
        assertEquals(expected, blocks);
    }

    @Test
    void blockSizesGrowWithTheSquareRootWithinBounds() {
        assertEquals(2048, Signatures.blockSize(100_000));
        assertEquals(4096, Signatures.blockSize(10_000_000));
        assertEquals(128 * 1024, Signatures.blockSize(1L << 40));
    }
}
