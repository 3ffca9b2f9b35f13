package org.execnet4j.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.execnet4j.api.PyTuple;

/** Builds the deterministic ~1 MB nested value (a list of records) that the serializer benchmarks encode and decode. */
public final class Payloads {
    /** Number of records in {@link #build()}; with the sizes below the dump form is about 1 MB. */
    public static final int RECORDS = 1700;

    private static final long SEED = 0x5EED_E7EC_4E7L;
    private static final String[] HOSTS = {"localhost", "worker-a", "build-01", "ci.example.org", "10.0.0.7"};
    private static final String[] WORDS = {
        "café", "naïve", "Grüße", "日本語", "Ελληνικά", "Привет", "emoji 😀", "done", "ok", "ß→∞"};
    private static final String[] TAGS = {"fast", "slow", "gpu", "io", "retry", "cached", "new", "x86_64"};

    private Payloads() {
    }

    /** A fresh copy of the payload: the same value on every call and in every JVM. */
    public static List<Object> build() {
        Random random = new Random(SEED);
        List<Object> records = new ArrayList<>(RECORDS);
        for (int i = 0; i < RECORDS; i++) {
            records.add(record(i, random));
        }
        return records;
    }

    private static Map<String, Object> record(int i, Random random) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", i);
        m.put("seq", random.nextInt(1000) - 500);
        m.put("big", (1L << 31) + (random.nextLong() & 0xFF_FFFF_FFFFL));
        m.put("score", random.nextDouble() * 1000.0);
        m.put("ratio", random.nextGaussian());
        m.put("name", "task-" + i);
        m.put("host", HOSTS[random.nextInt(HOSTS.length)]);
        m.put("label", WORDS[random.nextInt(WORDS.length)] + " " + WORDS[random.nextInt(WORDS.length)]);
        m.put("blob", bytes(64 + random.nextInt(193), random));
        m.put("pos", PyTuple.of(i % 97, random.nextDouble(), HOSTS[i % HOSTS.length]));
        m.put("tags", tags(random));
        m.put("matrix", matrix(random));
        m.put("flags", flags(random));
        m.put("parent", i % 7 == 0 ? null : i - 1);
        m.put("ok", random.nextBoolean());
        m.put("error", null);
        return m;
    }

    private static byte[] bytes(int length, Random random) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }

    private static List<Object> tags(Random random) {
        List<Object> tags = new ArrayList<>();
        for (int n = 1 + random.nextInt(4); n > 0; n--) {
            tags.add(TAGS[random.nextInt(TAGS.length)]);
        }
        return tags;
    }

    private static List<Object> matrix(Random random) {
        List<Object> rows = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            List<Object> row = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                row.add(random.nextInt(100_000));
            }
            rows.add(row);
        }
        return rows;
    }

    /**
     * Ascending distinct ints below 8: Python iterates such a set in exactly this order, so
     * re-dumping it in Python gives the same bytes.
     */
    private static Set<Object> flags(Random random) {
        Set<Object> flags = new LinkedHashSet<>();
        for (int bit = 0; bit < 8; bit++) {
            if (random.nextInt(3) == 0) {
                flags.add(bit);
            }
        }
        return flags;
    }
}
