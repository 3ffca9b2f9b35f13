package org.execnet4j.serializer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.execnet4j.api.DumpException;
import org.execnet4j.api.PyTuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The encoder's shortcuts (strings written char by char with an ASCII fast path, dict keys
 * copied from the dict before, the output written in arrays joined at the end, the digits of
 * longs written without a string) give the plain encoding of every value, byte for byte.
 */
class EncoderShortcutsTest {
    private static final String PYTHON = "/usr/bin/python3";

    @Test
    void stringsOfEveryKindAreStandardUtf8() {
        List<Object> strings = new ArrayList<>(List.of("", "a", "\0", "\u007f", "\u0080", "é", "café", "Grüße",
                "\u07ff", "\u0800", "日本語", "\uffff", "\uD7FF\uE000", "😀", "a😀", "😀a", "\uDBFF\uDFFF",
                "emoji 😀, 日本 and é", "ASCII first, then ü"));
        for (int length = 1; length <= 40; length++) {
            strings.add("abcdefghij".repeat(4).substring(0, length));
        }
        // longer than the room left in any array: their exact UTF-8 length is what is made room for
        strings.add("ascii".repeat(20_000));
        strings.add("é".repeat(100_000));
        strings.add("日".repeat(200_000));
        strings.add("😀".repeat(50_000));
        strings.add("x".repeat(150_000) + "ß→∞");
        for (Object s : strings) {
            assertPlain(s);
        }
        assertPlain(strings);
    }

    @Test
    void stringsAroundTheEndOfTheFirstArrayAreWhole() {
        for (int length = 200; length <= 300; length++) {
            assertPlain("a".repeat(length));
            assertPlain(List.of("é".repeat(length / 3), "b".repeat(length)));
        }
        for (int n = 0; n <= 60; n++) {
            assertPlain(new ArrayList<>(Arrays.asList(new Object[n])));
        }
    }

    @Test
    void loneSurrogatesAreRefusedWithTheirIndex() {
        assertLoneSurrogate("\uD800", "U+D800 at index 0", "$");
        assertLoneSurrogate("x\uD800", "U+D800 at index 1", "$");
        assertLoneSurrogate("\uD800x", "U+D800 at index 0", "$");
        assertLoneSurrogate("\uDC00", "U+DC00 at index 0", "$");
        assertLoneSurrogate("\uDC00\uD800", "U+DC00 at index 0", "$");
        assertLoneSurrogate("é\uDBFF", "U+DBFF at index 1", "$");
        assertLoneSurrogate("😀\uDC00", "U+DC00 at index 2", "$");
        assertLoneSurrogate("a".repeat(100_000) + "\uD83D", "U+D83D at index 100000", "$");
        assertLoneSurrogate(List.of(Map.of("a", 1), Map.of("a\uD800", 2)), "U+D800 at index 1", "$[1][\"a\uD800\"]");
        assertLoneSurrogate(List.of(Map.of("a", "ok"), Map.of("a", "\uDFFF")), "U+DFFF at index 0", "$[1][\"a\"]");
    }

    @Test
    void dictKeysAreTheKeysOfTheirOwnDict() {
        List<Object> values = new ArrayList<>();
        String letters = "abcdefghijklmnopqrstuvwxyz0123456789";
        // keys of 0 to 30 chars (longer than 27 are never copied), differing from the key of the
        // dict before in one char at each position, or in their length
        for (int length = 0; length <= 30; length++) {
            String key = letters.substring(0, length);
            for (int at = 0; at < length; at++) {
                values.add(dict(key, 1));
                char[] other = key.toCharArray();
                other[at] = 'X';
                values.add(dict(new String(other), 2));
                values.add(dict(new String(key.toCharArray()), 3)); // equal, not the same String
            }
            values.add(dict(key + "r", 4));
            values.add(dict(key, 5));
        }
        // non-ASCII keys whose encodings take 31, 32 and 33 bytes; keys that are not strings at
        // the index of a string key; the same records twice, so that each key is met again
        for (Object key : List.of("é".repeat(13), "日".repeat(9), "é".repeat(14), "😀😀😀😀😀😀", 7, "7", "", 8, "")) {
            values.add(dict(key, 6));
            values.add(dict(key, 7));
        }
        Map<Object, Object> wide = new LinkedHashMap<>();
        for (int i = 0; i < 100; i++) { // keys at indexes beyond the ones remembered
            wide.put(i % 3 == 0 ? i : "key" + i, i);
        }
        values.add(wide);
        values.add(new LinkedHashMap<>(wide));
        values.add(dict("key1", 8));
        assertPlain(values);
    }

    @Test
    void valuesLargerThanManyArraysAreJoinedInOrder() {
        Random random = new Random(42);
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            values.add(i % 2 == 0 ? (Object) i : "item " + i);
        }
        byte[] large = new byte[1 << 20]; // larger than any array started for room in general
        random.nextBytes(large);
        values.add(large);
        for (int i = 0; i < 300; i++) {
            byte[] b = new byte[random.nextInt(2000)];
            random.nextBytes(b);
            values.add(b);
            values.add(Map.of("k", "v".repeat(i)));
        }
        assertPlain(values);
        byte[] dump = Serializer.dumps(values);
        byte[] wire = WireFormat.encode(values, null, 9);
        assertArrayEquals(new byte[9], Arrays.copyOf(wire, 9), "the headroom is left free");
        assertArrayEquals(Arrays.copyOfRange(dump, 1, dump.length), Arrays.copyOfRange(wire, 9, wire.length));
    }

    @Test
    void longsBeyondIntAreTheirDecimalDigits() {
        List<Object> longs = new ArrayList<>(List.of(Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1,
                (long) Integer.MAX_VALUE + 1, (long) Integer.MIN_VALUE - 1));
        for (long power = 10_000_000_000L; power > 0 && power <= 1_000_000_000_000_000_000L; power *= 10) {
            longs.addAll(List.of(power - 1, power, power + 1, -power + 1, -power, -power - 1));
        }
        for (Object l : longs) {
            assertPlain(l);
        }
        assertPlain(longs);
    }

    @Test
    void execnetDumpsWhatItLoadsFromTheJavaDumpByteForByte(@TempDir Path dir) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(Path.of(PYTHON)), PYTHON + " (with Debian's python3-execnet) is not installed");
        Random random = new Random(7);
        String[] words = {"café", "naïve", "日本語", "emoji 😀", "ok", "", "ß→∞", "\0"};
        List<Object> records = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("id", i);
            record.put("big", (1L << 40) * i + i); // execnet cannot dump ints below -2**31
            record.put("score", random.nextDouble());
            record.put("name", "task-" + i);
            record.put("label", words[random.nextInt(words.length)] + " " + words[random.nextInt(words.length)]);
            byte[] blob = new byte[random.nextInt(300)];
            random.nextBytes(blob);
            record.put("blob", blob);
            record.put("pos", PyTuple.of(i % 97, words[i % words.length], null));
            record.put(i % 5 == 0 ? "extra-key-of-some-records" : "tags", List.of(true, false, List.of()));
            record.put("ключ", "значение");
            records.add(record);
        }
        records.add("x".repeat(300_000) + "日本");
        byte[] java = Serializer.dumps(records, DumpFormat.V1);
        Path in = dir.resolve("java.dump");
        Path out = dir.resolve("execnet.dump");
        Files.write(in, java);
        Process p = new ProcessBuilder(PYTHON, "-c", "import sys, execnet\n"
                + "data = open(sys.argv[1], 'rb').read()\n"
                + "open(sys.argv[2], 'wb').write(execnet.dumps(execnet.loads(data)))\n", in.toString(), out.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "python did not finish within 120 s");
        String log = Files.readString(dir.resolve("log"));
        assumeTrue(!log.contains("No module named 'execnet'"), "execnet is not installed for " + PYTHON);
        assertEquals(0, p.exitValue(), log);
        assertArrayEquals(Files.readAllBytes(out), java);
    }

    private static Map<Object, Object> dict(Object key, Object value) {
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put(key, value);
        return map;
    }

    private static void assertPlain(Object value) {
        assertArrayEquals(new Ops().value(value).stop(), Serializer.dumps(value));
    }

    private static void assertLoneSurrogate(Object value, String where, String path) {
        DumpException e = assertThrows(DumpException.class, () -> Serializer.dumps(value));
        assertTrue(e.getMessage().contains("strings must be utf-8 encodable: lone surrogate " + where), e.getMessage());
        assertEquals(path, e.path());
    }
}
