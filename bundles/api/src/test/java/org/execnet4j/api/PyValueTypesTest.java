package org.execnet4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class PyValueTypesTest {

    @Test
    void tupleIsAnImmutableListWithPythonRepr() {
        Object[] source = {1, "a", null};
        PyTuple t = PyTuple.of(source);
        source[0] = 99;
        assertEquals(List.of(1, "a"), t.subList(0, 2));
        assertEquals(3, t.size());
        assertEquals("(1, 'a', None)", t.toString());
        assertEquals("(1,)", PyTuple.of(1).toString());
        assertEquals("()", PyTuple.of().toString());
        assertThrows(UnsupportedOperationException.class, () -> t.add(4));
        assertThrows(UnsupportedOperationException.class, () -> t.set(0, 4));
        assertEquals(PyTuple.of(1, 2).hashCode(), List.of(1, 2).hashCode());
        assertEquals(PyTuple.of(1, 2), PyTuple.copyOf(new ArrayList<>(List.of(1, 2))));
    }

    @Test
    void frozenSetIsImmutableAndKeepsOrder() {
        PyFrozenSet s = PyFrozenSet.of("c", "a", "b", "a");
        assertEquals(List.of("c", "a", "b"), new ArrayList<>(s));
        assertEquals(Set.of("a", "b", "c"), s);
        assertThrows(UnsupportedOperationException.class, () -> s.add("d"));
        assertThrows(UnsupportedOperationException.class, () -> s.iterator().remove());
        assertEquals("frozenset()", PyFrozenSet.of().toString());
    }

    @Test
    void complexComparesBitsLikeDoubleCompare() {
        assertEquals(new PyComplex(Double.NaN, 1), new PyComplex(Double.NaN, 1));
        assertNotEquals(new PyComplex(0.0, 1), new PyComplex(-0.0, 1));
        assertEquals("(1-2j)", new PyComplex(1, -2).toString());
        assertEquals("1j", new PyComplex(0, 1).toString());
        assertEquals("frozenset({'c', 'a'})", PyFrozenSet.of("c", "a").toString());
    }
}
