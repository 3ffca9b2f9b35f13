package org.execnet4j.api;

import java.util.AbstractSet;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * A Python {@code frozenset}: an immutable set that travels as a frozenset (and so may be a
 * dict key or set member on the Python side). Iteration keeps insertion order; equality follows
 * the {@link Set} contract.
 *
 * <p>The hash code is not {@link Set#hashCode()}'s sum of the members' hash codes: it is keyed
 * with a secret drawn once per JVM, so that a remote cannot send frozen sets that all collide
 * (hash flooding). So do not mix frozen sets with other {@code Set}s as keys of one hash-based
 * collection.
 */
public final class PyFrozenSet extends AbstractSet<Object> {
    private static final PyFrozenSet EMPTY = new PyFrozenSet(Collections.emptySet());

    private final Set<Object> items;
    /** The digest once computed (0: not yet), so nested sets hash in linear time. */
    private volatile long digest;

    private PyFrozenSet(Set<Object> items) {
        this.items = items;
    }

    /**
     * The frozen set of the given items; duplicates collapse as in any set.
     *
     * @param items the members, in the iteration order kept
     * @return the frozen set
     */
    public static PyFrozenSet of(Object... items) {
        Set<Object> set = new LinkedHashSet<>();
        Collections.addAll(set, items);
        return copyOwned(set);
    }

    /**
     * The frozen set of a collection's items, in its iteration order.
     *
     * @param items the members (copied)
     * @return the frozen set
     */
    public static PyFrozenSet copyOf(Collection<?> items) {
        return copyOwned(new LinkedHashSet<>(items));
    }

    /**
     * Wraps a set the caller hands over and never touches again; for decoders that build the
     * set themselves (its iteration order is kept).
     *
     * @param items the members
     * @return the frozen set
     */
    public static PyFrozenSet wrap(Set<Object> items) {
        return copyOwned(Objects.requireNonNull(items));
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

    /** A hash code that crafted sets cannot make collide: see the class comment. */
    @Override
    public int hashCode() {
        return KeyedHash.fold(digest());
    }

    /** The keyed digest of the members, computed once: members must not change once the set is hashed. */
    long digest() {
        if (digest == 0) {
            digest = KeyedHash.ofSet(items);
        }
        return digest;
    }

    /** Python's repr of the set, e.g. {@code frozenset({3})}; see {@link PyRepr}. */
    @Override
    public String toString() {
        return PyRepr.repr(this);
    }
}
