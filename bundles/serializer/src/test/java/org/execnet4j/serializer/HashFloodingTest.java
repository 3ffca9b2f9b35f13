package org.execnet4j.serializer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.execnet4j.api.DataFormatException;
import org.execnet4j.api.PyFrozenSet;
import org.execnet4j.api.PyTuple;
import org.junit.jupiter.api.Test;

/**
 * Dict keys a remote crafts to share one Java hash code must not turn decoding quadratic
 * (issue 9, item 11): decoded tuple and frozenset keys get distinct hash codes, and keys of
 * several types that collide are refused.
 */
class HashFloodingTest {
    private static final int N = 4000;

    /** Distinct strings with one String.hashCode: every combination of "Aa" and "BB". */
    static List<String> collidingStrings(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder s = new StringBuilder();
            for (int bit = 0; bit < 16; bit++) {
                s.append((i >> bit & 1) == 0 ? "Aa" : "BB");
            }
            out.add(s.toString());
        }
        return out;
    }

    private static void assertDistinctHashCodes(Set<?> keys) {
        Set<Integer> hashes = new HashSet<>();
        keys.forEach(k -> hashes.add(k.hashCode()));
        assertTrue(hashes.size() > keys.size() - 10, hashes.size() + " hash codes among " + keys.size() + " keys");
    }

    @Test
    void craftedTupleAndFrozenSetKeysGetDistinctHashCodes() {
        Map<Object, Object> tuples = new LinkedHashMap<>();
        Map<Object, Object> sets = new LinkedHashMap<>();
        Map<Object, Object> stringTuples = new LinkedHashMap<>();
        List<String> strings = collidingStrings(N);
        for (int i = 0; i < N; i++) {
            tuples.put(PyTuple.of(i, -31 * i), null);           // List.hashCode: 961 for all
            sets.put(PyFrozenSet.of(i, 100_000 - i), null);     // Set.hashCode: 100000 for all
            stringTuples.put(PyTuple.of(strings.get(i)), null); // the strings collide
        }
        for (Map<Object, Object> crafted : List.of(tuples, sets, stringTuples)) {
            Map<?, ?> loaded = (Map<?, ?>) Serializer.loads(Serializer.dumps(crafted));
            assertEquals(N, loaded.size());
            assertDistinctHashCodes(loaded.keySet());
        }
    }

    @Test
    void keysOfSeveralTypesSharingAHashCodeAreRefused() {
        int n = 500; // building the crafted maps here costs n * n too
        List<String> strings = collidingStrings(n);
        int hash = strings.get(0).hashCode();
        Map<Object, Object> dict = new LinkedHashMap<>();
        Set<Object> set = new LinkedHashSet<>();
        for (long high = 1; dict.size() < n; high++) {
            Long key = high << 32 | ((hash ^ high) & 0xFFFFFFFFL); // Long.hashCode: hash for all
            dict.put(key, null);
            set.add(key);
        }
        strings.forEach(s -> dict.put(s, null));
        strings.forEach(set::add);
        for (Object crafted : List.of(dict, set)) {
            byte[] input = Serializer.dumps(crafted);
            DataFormatException e = assertThrows(DataFormatException.class, () -> Serializer.loads(input));
            assertTrue(e.getMessage().contains("hash flooding"), e.getMessage());
        }
    }

    @Test
    void realDictsWithKeysOfSeveralTypesLoad() {
        Map<Object, Object> dict = new LinkedHashMap<>();
        for (int i = 0; i < 5000; i++) {
            dict.put(i, "v");
            dict.put("k" + i, i);
            dict.put((long) (i + 1) << 40, null);
            dict.put(i + 0.5, true);
            dict.put(PyTuple.of(i), false);
        }
        dict.put(null, 1);
        dict.put(true, 2);
        Map<?, ?> loaded = (Map<?, ?>) Serializer.loads(Serializer.dumps(dict));
        assertEquals(dict.size(), loaded.size());
        assertTrue(dict.keySet().equals(loaded.keySet()), "the same keys");
    }
}
