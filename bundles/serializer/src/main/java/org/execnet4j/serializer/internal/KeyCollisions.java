package org.execnet4j.serializer.internal;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.execnet4j.api.DataFormatException;

/**
 * Counts the keys of one dict (or members of one set) per hash code, once keys of more than
 * one type are in it. Java's HashMap keeps colliding keys of one comparable type (strings,
 * longs, big integers, floats) in a sorted tree, but keys of several types with one hash code
 * cannot be ordered, and every insertion scans them all: a remote can craft thousands of such
 * keys (issue 9, item 11). Real data never has more than a handful of keys per hash code, so a
 * container with more than {@link #MAX_PER_HASH} is refused.
 */
final class KeyCollisions {
    /** The most keys of a mixed-type dict or set that may share one hash code. */
    static final int MAX_PER_HASH = 64;

    private final Map<Integer, int[]> counts = new HashMap<>();

    /** Starts counting with the keys already in the container. */
    KeyCollisions(Collection<?> keys) {
        for (Object key : keys) {
            add(key);
        }
    }

    /** The class a key is tracked by ({@code null} keys by {@link Void}). */
    static Class<?> typeOf(Object key) {
        return key == null ? Void.class : key.getClass();
    }

    /**
     * The tracking state after {@code key} was added to a container whose state was
     * {@code state}: {@code null} before the first key, the keys' class while they all have one,
     * then a {@link KeyCollisions}.
     *
     * @throws DataFormatException if too many keys share a hash code
     */
    static Object track(Object state, Object key, Collection<?> keys) {
        if (state == null) {
            return typeOf(key);
        }
        if (state == typeOf(key)) {
            return state;
        }
        if (state instanceof KeyCollisions collisions) {
            collisions.add(key);
            return collisions;
        }
        return new KeyCollisions(keys);
    }

    private void add(Object key) {
        int hash = key == null ? 0 : key.hashCode();
        int[] count = counts.computeIfAbsent(hash, h -> new int[1]);
        if (++count[0] > MAX_PER_HASH) {
            throw new DataFormatException("more than " + MAX_PER_HASH + " keys of different types share the hash code "
                    + hash + " in one dict or set: refused as hash flooding");
        }
    }
}
