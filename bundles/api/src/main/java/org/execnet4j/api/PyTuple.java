package org.execnet4j.api;

import java.util.AbstractList;
import java.util.Collection;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * A Python {@code tuple}: an immutable list that travels as a tuple, so Python code can unpack
 * it and use it as a dict key. Equality and hash code follow the {@link java.util.List}
 * contract; {@code null} elements stand for {@code None}.
 */
public final class PyTuple extends AbstractList<Object> implements RandomAccess {
    private static final PyTuple EMPTY = new PyTuple(new Object[0]);

    private final Object[] items;

    private PyTuple(Object[] items) {
        this.items = items;
    }

    /** The tuple of the given items, in order. */
    public static PyTuple of(Object... items) {
        return items.length == 0 ? EMPTY : new PyTuple(items.clone());
    }

    /** The tuple of a collection's items, in its iteration order. */
    public static PyTuple copyOf(Collection<?> items) {
        return items.isEmpty() ? EMPTY : new PyTuple(items.toArray());
    }

    /**
     * Wraps an array the caller hands over and never touches again; for decoders that build
     * the array themselves.
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
