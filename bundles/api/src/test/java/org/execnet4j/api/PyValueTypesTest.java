package org.execnet4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
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
        assertEquals(PyTuple.of(1, 2).hashCode(), PyTuple.copyOf(List.of(1, 2)).hashCode());
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

    /** Keys a remote can craft so that Java's List/Set/record hash codes all collide (issue 9, item 11). */
    @Test
    void craftedKeysDoNotShareHashCodes() {
        int n = 4000;
        List<Object> tuples = new ArrayList<>();
        List<Object> sets = new ArrayList<>();
        List<Object> complexes = new ArrayList<>();
        List<Object> stringTuples = new ArrayList<>();
        List<Object> bigTuples = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            tuples.add(PyTuple.of(i, -31 * i));
            sets.add(PyFrozenSet.of(i, 1_000_000 - i));
            complexes.add(new PyComplex(Double.longBitsToDouble(i), Double.longBitsToDouble((-31L * i) & 0xFFFFFFFFL)));
            StringBuilder s = new StringBuilder();
            for (int bit = 0; bit < 13; bit++) {
                s.append((i >> bit & 1) == 0 ? "Aa" : "BB");
            }
            stringTuples.add(PyTuple.of(s.toString()));
            // magnitude words [1, i, c - 31 i]: BigInteger.hashCode is 31 * (31 + i) + c - 31 i for all i
            bigTuples.add(PyTuple.of(BigInteger.ONE.shiftLeft(64).add(BigInteger.valueOf(i).shiftLeft(32))
                    .add(BigInteger.valueOf(31L * n - 31L * i + 5))));
        }
        for (List<Object> keys : List.of(tuples, sets, complexes, stringTuples, bigTuples)) {
            Set<Integer> javaHashes = new HashSet<>();
            keys.forEach(k -> javaHashes.add(k instanceof PyComplex c ? 31 * Double.hashCode(c.real()) + Double.hashCode(c.imag())
                    : k instanceof Set<?> s ? new HashSet<>(s).hashCode() : new ArrayList<>((List<?>) k).hashCode()));
            assertEquals(1, javaHashes.size(), "the crafted keys collide under Java's own hash codes: " + keys.get(0));
            Set<Integer> hashes = new HashSet<>();
            keys.forEach(k -> hashes.add(k.hashCode()));
            assertTrue(hashes.size() > n - 10, hashes.size() + " distinct hash codes among " + n + " keys like " + keys.get(0));
        }
    }

    @Test
    void equalValuesHaveEqualHashCodes() {
        assertEquals(PyFrozenSet.of(1, "a", PyTuple.of(2.5)).hashCode(), PyFrozenSet.of(PyTuple.of(2.5), "a", 1).hashCode());
        assertEquals(new PyComplex(Double.NaN, -0.0).hashCode(), new PyComplex(Double.NaN, -0.0).hashCode());
        assertEquals(PyTuple.of("x", new BigInteger("123456789012345678901234567890"), null).hashCode(),
                PyTuple.of("x", new BigInteger("123456789012345678901234567890"), null).hashCode());
        assertNotEquals(PyTuple.of("ab").hashCode(), PyTuple.of("ab\0").hashCode());
    }
}
