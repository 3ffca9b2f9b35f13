package org.execnet4j.serializer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.execnet4j.api.DataFormatException;
import org.execnet4j.api.PyTuple;
import org.junit.jupiter.api.Test;

/**
 * The decoder's shortcuts (scalar entries stored without the stack, the cache of short strings)
 * give the values and errors of the plain stack machine, whatever follows a scalar.
 */
class DecoderShortcutsTest {

    @Test
    void scalarsNotFollowedBySetItemStayOnTheStack() {
        // {(1, 2): 3}: the key is a tuple of scalars built while the dict is on top
        byte[] tupleKey = new Ops().op('J').op('F', 1).op('F', 2).op('@', 2).op('F', 3).op('P').stop();
        assertEquals(Map.of(PyTuple.of(1, 2), 3), Serializer.loads(tupleKey));
        // [(1, 'a'), None]: the item is a tuple, the second index a plain entry
        byte[] listOfTuple = new Ops().op('K', 2).op('F', 0).op('F', 1).str("a").op('@', 2).op('P')
                .op('F', 1).op('L').op('P').stop();
        assertEquals(java.util.Arrays.asList(PyTuple.of(1, "a"), null), Serializer.loads(listOfTuple));
        // {'k': [None]}: a scalar key, then a container value
        byte[] nested = new Ops().op('J').str("k").op('K', 1).op('F', 0).op('L').op('P').op('P').stop();
        assertEquals(Map.of("k", java.util.Arrays.asList((Object) null)), Serializer.loads(nested));
    }

    @Test
    void listItemsGiveThePlainMachinesValuesWhateverTheirIndexesAndValues() {
        // [a, b, c] filled from the end with negative indexes, one index as LONG ('G')
        byte[] negative = new Ops().op('K', 3).op('F', -1).str("c").op('P').op('G', -2).str("b").op('P')
                .op('F', -3).str("a").op('P').stop();
        assertEquals(List.of("a", "b", "c"), Serializer.loads(negative));
        // [[None], (1, 2)]: container values after a plain index; items left unset stay None
        byte[] nested = new Ops().op('K', 3).op('F', 0).op('K', 1).op('F', 0).op('L').op('P').op('P')
                .op('F', 1).op('F', 1).op('F', 2).op('@', 2).op('P').stop();
        assertEquals(java.util.Arrays.asList(java.util.Arrays.asList((Object) null), PyTuple.of(1, 2), null),
                Serializer.loads(nested));
        // an index and a value that end up in a tuple, not in the list: ([None], 0, 5)
        byte[] tuple = new Ops().op('K', 1).op('F', 0).op('F', 5).op('@', 3).stop();
        assertEquals(PyTuple.of(java.util.Arrays.asList((Object) null), 0, 5), Serializer.loads(tuple));
        byte[] indexThenStop = new Ops().op('K', 1).op('F', 0).stop();
        DataFormatException stop = assertThrows(DataFormatException.class, () -> Serializer.loads(indexThenStop));
        assertTrue(stop.getMessage().contains("with 2 values on the stack"), stop.getMessage());
        byte[] truncated = new Ops().op('K', 1).op('F', 0).op('F', 5).stop();
        byte[] cut = java.util.Arrays.copyOf(truncated, truncated.length - 1);
        DataFormatException end = assertThrows(DataFormatException.class, () -> Serializer.loads(cut));
        assertTrue(end.getMessage().contains("input ended before the STOP opcode"), end.getMessage());
    }

    @Test
    void cachedStringsDifferingOnlyInTheirMiddleAreTold() {
        // 20 and 30 bytes alike in their first and last 8 (differing at byte 9, and at byte 21 just
        // before the last 8); 12 bytes alike but for one byte in both
        String[] alike = {"abcdefgh-1--ijklmnop", "abcdefgh-2--ijklmnop", "abcdefgh1xyz", "abcdefgh2xyz",
            "abcdefgh-------------1ijklmnop", "abcdefgh-------------2ijklmnop"};
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            values.add(alike[i % alike.length]);
        }
        List<?> loaded = (List<?>) Serializer.loads(Serializer.dumps(values));
        // alike strings share their slot and evict each other: what counts is that none is taken for another
        assertEquals(values, loaded);
    }

    @Test
    void errorsAreThoseOfThePlainStackMachine() {
        byte[] keyThenStop = new Ops().op('J').str("k").stop();
        DataFormatException stop = assertThrows(DataFormatException.class, () -> Serializer.loads(keyThenStop));
        assertTrue(stop.getMessage().contains("with 2 values on the stack"), stop.getMessage());
        byte[] intoASet = new Ops().op('O', 0).op('F', 1).op('F', 2).op('P').stop();
        DataFormatException set = assertThrows(DataFormatException.class, () -> Serializer.loads(intoASet));
        assertTrue(set.getMessage().contains("SETITEM target is a set"), set.getMessage());
        byte[] stringIndex = new Ops().op('K', 1).str("0").op('L').op('P').stop();
        DataFormatException index = assertThrows(DataFormatException.class, () -> Serializer.loads(stringIndex));
        assertTrue(index.getMessage().contains("list index must be an int"), index.getMessage());
        byte[] outOfRange = new Ops().op('K', 1).op('F', 1).op('L').op('P').stop();
        DataFormatException range = assertThrows(DataFormatException.class, () -> Serializer.loads(outOfRange));
        assertTrue(range.getMessage().contains("out of range"), range.getMessage());
    }

    @Test
    void cachedStringsAreTheStringsOfTheirOwnBytes() {
        // long enough to get a cache; strings that share their first and last 8 bytes, lengths
        // that differ by trailing NULs, non-ASCII, and a string that ends the input
        String a = "prefix-AAAAAAAAAAAAAAA-suffix";
        String b = "prefix-AAAAAAAAAAAAAAB-suffix";
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("name", i % 2 == 0 ? a : b);
            record.put("ab", "ab\0".substring(0, 2 + i % 2));
            record.put("label", i % 3 == 0 ? "Grüße 😀" : "日本語");
            values.add(record);
        }
        values.add("last-string");
        Object loaded = Serializer.loads(Serializer.dumps(values));
        assertEquals(values, loaded);
        List<?> list = (List<?>) loaded;
        Map<?, ?> first = (Map<?, ?>) list.get(0);
        Map<?, ?> third = (Map<?, ?>) list.get(2);
        assertSame(first.get("name"), third.get("name"), "a repeated string is decoded once");
        assertNotSame(first.get("name"), ((Map<?, ?>) list.get(1)).get("name"));
    }

    @Test
    void aFewShortStringsAreAllKeptInTheCache() {
        // strings of one and two bytes have all their bits in the high bytes of the cache's hash
        // word: a slot taken from the product's low bits put every 1-byte string in one slot and
        // all 2-byte strings in four, so alternating ones were decoded again at each occurrence
        String[] shortOnes = {"a", "b", "z", "ok", "io", "id", "x1", "abc"};
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < 800 * shortOnes.length; i++) { // 80 KB: the cache gets its 1024 slots
            values.add(shortOnes[i % shortOnes.length]);
        }
        List<?> loaded = (List<?>) Serializer.loads(Serializer.dumps(values));
        assertEquals(values, loaded);
        for (int i = shortOnes.length; i < loaded.size(); i++) {
            assertSame(loaded.get(i % shortOnes.length), loaded.get(i), "occurrence " + i + " of '" + loaded.get(i) + "'");
        }
    }

    @Test
    void dictKeysThatDifferFromTheKeysOfTheDictBeforeAreTheirOwn() {
        // each record's one key differs from the key of the record before in one byte, at every
        // position of keys of 1 to 17 bytes (17: longer than DictKeys remembers), or in its length
        List<Object> values = new ArrayList<>();
        for (int length = 1; length <= 17; length++) {
            char[] key = "abcdefghijklmnopq".substring(0, length).toCharArray();
            for (int at = 0; at < length; at++) {
                values.add(Map.of(new String(key), values.size()));
                char[] other = key.clone();
                other[at] = 'X';
                values.add(Map.of(new String(other), values.size()));
                values.add(Map.of(new String(key), values.size()));
            }
            values.add(Map.of(new String(key, 0, length - 1), values.size()));
            values.add(Map.of(new String(key) + "r", values.size()));
        }
        // and a second entry whose key is the first one's of the record before
        values.add(new LinkedHashMap<>(Map.of("one", 1)));
        Map<String, Object> two = new LinkedHashMap<>();
        two.put("two", 2);
        two.put("one", 1);
        values.add(two);
        List<?> list = (List<?>) Serializer.loads(Serializer.dumps(values));
        assertEquals(values.size(), list.size());
        for (int i = 0; i < values.size(); i++) {
            assertEquals(values.get(i), list.get(i), "record " + i);
        }
        assertSame(((Map<?, ?>) list.get(0)).keySet().iterator().next(), ((Map<?, ?>) list.get(2)).keySet().iterator().next(),
                "a key repeated at its index is shared");
    }

    @Test
    void dictKeysNearTheEndOfTheInputAreFoundAndTold() {
        // the last key's bytes end fewer than 8 bytes before the end of the array
        for (String last : new String[] {"ab", "ac", "a", ""}) {
            List<Object> values = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                values.add(Map.of("ab", i));
            }
            values.add(Map.of(last, true));
            byte[] dump = Serializer.dumps(values);
            assertEquals(values, Serializer.loads(dump), last);
            // the same value at the start of a longer array, with other bytes after it
            byte[] padded = java.util.Arrays.copyOf(dump, dump.length + 3);
            padded[dump.length] = 'a';
            padded[dump.length + 1] = 'c';
            assertEquals(values, Serializer.loads(padded), last + " followed by bytes after STOP");
        }
    }

    @Test
    void malformedUtf8IsRefusedAlsoWhenCachedSizesApply() {
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            values.add(Map.of("key", i));
        }
        byte[] data = Serializer.dumps(values);
        int at = new String(data, StandardCharsets.ISO_8859_1).lastIndexOf("key");
        data[at + 1] = (byte) 0xC3; // a lead byte followed by 'y': not UTF-8
        byte[] bad = data;
        DataFormatException e = assertThrows(DataFormatException.class, () -> Serializer.loads(bad));
        assertTrue(e.getMessage().contains("not valid UTF-8"), e.getMessage());
    }
}
