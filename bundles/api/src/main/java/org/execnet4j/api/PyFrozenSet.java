package org.execnet4j.api;

import java.util.AbstractSet;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A Python {@code frozenset}: an immutable set that travels as a frozenset (and so may be a
 * dict key or set member on the Python side). Iteration keeps insertion order; equality and
 * hash code follow the {@link Set} contract.
 */
public final class PyFrozenSet extends AbstractSet<Object> {
    private static final PyFrozenSet EMPTY = new PyFrozenSet(Collections.emptySet());

    private final Set<Object> items;

    private PyFrozenSet(Set<Object> items) {
        this.items = items;
    }

    /** The frozen set of the given items; duplicates collapse as in any set. */
    public static PyFrozenSet of(Object... items) {
        Set<Object> set = new LinkedHashSet<>();
        Collections.addAll(set, items);
        return copyOwned(set);
    }

    /** The frozen set of a collection's items, in its iteration order. */
    public static PyFrozenSet copyOf(Collection<?> items) {
        return copyOwned(new LinkedHashSet<>(items));
    }

    private static PyFrozenSet copyOwned(Set<Object> set) {
        return set.isEmpty() ? EMPTY : new PyFrozenSet(Collections.unmodifiableSet(set));
    }

    @Override
    public Iterator<Object> iterator() {
        return items.iterator();
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public boolean contains(Object o) {
        return items.contains(o);
    }

    /** Python's repr of the set, e.g. {@code frozenset({3})}; see {@link PyRepr}. */
    @Override
    public String toString() {
        return PyRepr.repr(this);
    }
}
