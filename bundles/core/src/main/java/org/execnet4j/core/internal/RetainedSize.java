package org.execnet4j.core.internal;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Map;

import org.execnet4j.api.Channel;
import org.execnet4j.api.PyComplex;

/**
 * Estimates the heap a decoded value holds (a 64-bit JVM with compressed references), so that a
 * channel's queue bound counts what the items take in memory, not their wire size: a legal
 * payload of empty dicts or small lists takes ten to sixty times its wire size once decoded.
 * Shared objects count once per reference (an over-estimate, never an under-estimate, except
 * for the small integers every JVM shares). Walks without recursion.
 */
final class RetainedSize {
    private static final int SLOT = 4;
    private static final int OBJECT = 16;
    private static final int ARRAY = 16;
    private static final int STRING = 24 + ARRAY;
    private static final int LIST = 24 + ARRAY;
    private static final int MAP = 56 + ARRAY;
    private static final int MAP_ENTRY = 40 + 2 * SLOT;
    private static final int SET = OBJECT + MAP;

    private RetainedSize() {
    }

    /** The estimated bytes {@code value} and everything it holds take on the heap. */
    static long of(Object value) {
        long total = 0;
        ArrayDeque<Object> pending = new ArrayDeque<>();
        pending.push(value == null ? Boolean.FALSE : value);
        while (!pending.isEmpty()) {
            Object v = pending.pop();
            total += shallow(v);
            if (v instanceof Map<?, ?> map) {
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    pushIfSized(pending, e.getKey());
                    pushIfSized(pending, e.getValue());
                }
            } else if (v instanceof Collection<?> items) {
                for (Object item : items) {
                    pushIfSized(pending, item);
                }
            }
        }
        return total;
    }

    private static void pushIfSized(ArrayDeque<Object> pending, Object v) {
        if (v != null && !(v instanceof Boolean)) {
            pending.push(v);
        }
    }

    private static long shallow(Object v) {
        if (v instanceof byte[] bytes) {
            return ARRAY + bytes.length;
        }
        if (v instanceof String s) {
            return STRING + 2L * s.length();
        }
        if (v instanceof Integer i) {
            return i >= -128 && i < 4096 ? 0 : OBJECT;
        }
        if (v instanceof Long || v instanceof Double) {
            return OBJECT + 8;
        }
        if (v instanceof BigInteger b) {
            return 40 + ARRAY + b.bitLength() / 8 + SLOT;
        }
        if (v instanceof PyComplex) {
            return OBJECT + 16;
        }
        if (v instanceof Map<?, ?> map) {
            return MAP + (long) map.size() * (MAP_ENTRY + 2 * SLOT);
        }
        if (v instanceof java.util.Set<?> set) {
            return SET + (long) set.size() * (MAP_ENTRY + 2 * SLOT);
        }
        if (v instanceof Collection<?> items) {
            return LIST + (long) items.size() * SLOT;
        }
        if (v instanceof Channel || v instanceof Boolean) {
            return 0;
        }
        return OBJECT;
    }
}
