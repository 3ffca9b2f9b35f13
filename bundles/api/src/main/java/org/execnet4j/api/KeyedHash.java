package org.execnet4j.api;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Collection;

/**
 * The hash codes of {@link PyTuple}, {@link PyFrozenSet} and {@link PyComplex}: SipHash-1-3
 * (the function CPython uses for {@code str}) with a random 128-bit key drawn once per JVM, fed
 * with a 64-bit digest of each item. Java's own {@code List}/{@code Set}/{@code record} hash
 * codes are linear in the items' hash codes, so a remote could send thousands of distinct dict
 * keys with one hash code and make every insertion scan all of them; with a secret key it
 * cannot know which keys collide. Strings and big integers inside are digested with the keyed
 * function too, since their own hash codes collide at will.
 */
final class KeyedHash {
    private static final long K0;
    private static final long K1;

    static {
        SecureRandom random = new SecureRandom();
        K0 = random.nextLong();
        K1 = random.nextLong();
    }

    private long v0 = K0 ^ 0x736f6d6570736575L;
    private long v1 = K1 ^ 0x646f72616e646f6dL;
    private long v2 = K0 ^ 0x6c7967656e657261L;
    private long v3 = K1 ^ 0x7465646279746573L;
    private int words;

    /** Feeds one 64-bit word. */
    KeyedHash add(long m) {
        v3 ^= m;
        round();
        v0 ^= m;
        words++;
        return this;
    }

    /** The hash of the words fed so far, their count included. */
    long finish() {
        long b = (long) words << 56;
        v3 ^= b;
        round();
        v0 ^= b;
        v2 ^= 0xff;
        round();
        round();
        round();
        return v0 ^ v1 ^ v2 ^ v3;
    }

    private void round() {
        v0 += v1;
        v1 = Long.rotateLeft(v1, 13) ^ v0;
        v0 = Long.rotateLeft(v0, 32);
        v2 += v3;
        v3 = Long.rotateLeft(v3, 16) ^ v2;
        v0 += v3;
        v3 = Long.rotateLeft(v3, 21) ^ v0;
        v2 += v1;
        v1 = Long.rotateLeft(v1, 17) ^ v2;
        v2 = Long.rotateLeft(v2, 32);
    }

    /** The keyed hash of a sequence of items, in order. */
    static long ofSequence(Object[] items) {
        KeyedHash h = new KeyedHash();
        for (Object item : items) {
            h.add(digest(item));
        }
        return h.finish();
    }

    /** The keyed hash of a set: independent of order, the sum of the members' keyed hashes, hashed with the size. */
    static long ofSet(Collection<?> members) {
        long sum = 0;
        for (Object member : members) {
            sum += new KeyedHash().add(digest(member)).finish();
        }
        return new KeyedHash().add(sum).add(members.size()).finish();
    }

    /** A 32-bit hash code from a 64-bit hash. */
    static int fold(long h) {
        return (int) (h ^ (h >>> 32));
    }

    /**
     * A 64-bit digest of an item, consistent with its {@code equals}: distinct values of one
     * type get distinct digests (keyed hashes for strings and big integers), other objects
     * their own hash code.
     */
    static long digest(Object item) {
        if (item == null) {
            return 0x9E3779B97F4A7C15L;
        } else if (item instanceof String s) {
            return string(s);
        } else if (item instanceof Integer || item instanceof Long || item instanceof Short || item instanceof Byte) {
            return ((Number) item).longValue();
        } else if (item instanceof Double d) {
            return Double.doubleToLongBits(d);
        } else if (item instanceof Boolean b) {
            return b ? 1231 : 1237;
        } else if (item instanceof PyTuple t) {
            return t.digest();
        } else if (item instanceof PyFrozenSet s) {
            return s.digest();
        } else if (item instanceof PyComplex c) {
            return c.digest();
        } else if (item instanceof BigInteger big) {
            return bigInteger(big);
        }
        return item.hashCode();
    }

    private static long string(String s) {
        KeyedHash h = new KeyedHash().add(s.length());
        int n = s.length();
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            h.add(s.charAt(i) | (long) s.charAt(i + 1) << 16 | (long) s.charAt(i + 2) << 32 | (long) s.charAt(i + 3) << 48);
        }
        long last = 0;
        for (int shift = 0; i < n; i++, shift += 16) {
            last |= (long) s.charAt(i) << shift;
        }
        return h.add(last).finish();
    }

    private static long bigInteger(BigInteger big) {
        byte[] bytes = big.toByteArray();
        KeyedHash h = new KeyedHash().add(bytes.length);
        long word = 0;
        for (int i = 0; i < bytes.length; i++) {
            word = word << 8 | (bytes[i] & 0xFF);
            if ((i & 7) == 7) {
                h.add(word);
                word = 0;
            }
        }
        return h.add(word).finish();
    }
}
