package org.execnet4j.api;

import java.util.AbstractList;
import java.util.Collection;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * A Python {@code tuple}: an immutable list that travels as a tuple, so Python code can unpack
 * it and use it as a dict key. Equality follows the {@link java.util.List} contract; {@code null}
 * elements stand for {@code None}.
 *
 * <p>The hash code is not {@link java.util.List#hashCode()}'s: it is keyed with a secret drawn
 * once per JVM, so that a remote cannot send dict keys or set members that all collide (hash
 * flooding). So do not mix tuples with other {@code List}s as keys of one hash-based collection.
 */
public final class PyTuple extends AbstractList<Object> implements RandomAccess {
    private static final PyTuple EMPTY = new PyTuple(new Object[0]);

    private final Object[] items;
    /** The digest once computed (0: not yet), so nested tuples hash in linear time. */
    private volatile long digest;

    private PyTuple(Object[] items) {
        this.items = items;
    }

    /**
     * The tuple of the given items, in order.
     *
     * @param items the items (the array is copied)
     * @return the tuple
     */
    public static PyTuple of(Object... items) {
        return items.length == 0 ? EMPTY : new PyTuple(items.clone());
    }

    /**
     * The tuple of a collection's items, in its iteration order.
     *
     * @param items the items (copied)
     * @return the tuple
     */
    public static PyTuple copyOf(Collection<?> items) {
        return items.isEmpty() ? EMPTY : new PyTuple(items.toArray());
    }

    /**
     * Wraps an array the caller hands over and never touches again; for decoders that build
     * the array themselves.
     *
     * @param items the items; the tuple keeps this array, not a copy
     * @return the tuple
     * @throws NullPointerException if {@code items} is {@code null}
     */
    public static PyTuple wrap(Object[] items) {
        return items.length == 0 ? EMPTY : new PyTuple(Objects.requireNonNull(items));
    }

    @Override
    public Object get(int index) {
        return items[index];
    }

    @Override
    public int size() {
        return items.length;
    }

    /** A hash code that crafted tuples cannot make collide: see the class comment. */
    @Override
    public int hashCode() {
        return KeyedHash.fold(digest());
    }

    /** The keyed digest of the items, computed once: a tuple's items must not change once it is hashed. */
    long digest() {
        if (digest == 0) {
            digest = KeyedHash.ofSequence(items);
        }
        return digest;
    }

    @Override
    public Object[] toArray() {
        return items.clone();
    }

    /** Python's repr of the tuple, e.g. {@code (1, 'a', None)}; see {@link PyRepr}. */
    @Override
    public String toString() {
        return PyRepr.repr(this);
    }
}
