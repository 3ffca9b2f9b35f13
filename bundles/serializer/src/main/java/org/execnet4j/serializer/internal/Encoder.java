package org.execnet4j.serializer.internal;

import java.lang.reflect.Array;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.execnet4j.api.Channel;
import org.execnet4j.api.DumpException;
import org.execnet4j.api.PyComplex;
import org.execnet4j.api.PyFrozenSet;
import org.execnet4j.api.PyTuple;
import org.execnet4j.serializer.ChannelRefs;

/**
 * Encodes one Java value into execnet's opcodes, into a growing byte array that may start with
 * free room for a frame header. Not thread-safe; one instance per value.
 */
public final class Encoder {
    private static final BigInteger INT_MIN = BigInteger.valueOf(Integer.MIN_VALUE);
    private static final BigInteger INT_MAX = BigInteger.valueOf(Integer.MAX_VALUE);

    private static final int INITIAL_CAPACITY = 256;
    /** The largest encoding, with its headroom: a Java array's size less some slack. */
    private static final long MAX_ENCODED = Integer.MAX_VALUE - 16;
    /** Dict keys up to this length are encoded once per value and then copied. */
    private static final int CACHED_KEY_LENGTH = 32;

    private final ChannelRefs refs;
    private final int maxDepth;
    private byte[] buf;
    private int pos;
    /** Encoded PY3STRING opcodes of short dict keys seen so far (records repeat their keys). */
    private Map<String, byte[]> keyCache;

    /**
     * An encoder whose output starts with free room.
     *
     * @param headroom how many bytes to leave free at the start (for a version byte or frame header)
     * @param refs gives the ids of channels to encode, or {@code null} to refuse channels
     * @param maxDepth the deepest nesting of containers encoded before a cycle is suspected
     */
    public Encoder(int headroom, ChannelRefs refs, int maxDepth) {
        this.refs = refs;
        this.maxDepth = maxDepth;
        this.buf = new byte[headroom + INITIAL_CAPACITY];
        this.pos = headroom;
    }

    /**
     * Writes the value and the STOP opcode.
     *
     * @param value the value to encode
     * @return the bytes from offset 0, the (unwritten) headroom included
     * @throws DumpException if some part of the value has no Python form or it nests deeper
     *     than the depth bound
     */
    public byte[] encode(Object value) {
        try {
            if (value instanceof byte[] bytes) {
                return loneBytes(bytes);
            }
            write(value, 0);
        } catch (PathedFailure f) {
            throw f.toDumpException();
        }
        put(Opcodes.STOP);
        return Arrays.copyOf(buf, pos);
    }

    private void write(Object v, int depth) {
        if (v == null) {
            put(Opcodes.NONE);
        } else if (v instanceof String s) {
            writeString(s);
        } else if (v instanceof Integer i) {
            writeInt(i);
        } else if (v instanceof Boolean b) {
            put(b ? Opcodes.TRUE : Opcodes.FALSE);
        } else if (v instanceof Long l) {
            writeLong(l);
        } else if (v instanceof Double d) {
            writeDouble(d);
        } else if (v instanceof byte[] bytes) {
            writeBytes(bytes);
        } else if (v instanceof PyTuple t) {
            writeTuple(t, depth);
        } else if (v instanceof List<?> list) {
            writeList(list, depth);
        } else if (v instanceof Map<?, ?> map) {
            writeDict(map, depth);
        } else if (v instanceof PyFrozenSet fs) {
            writeSet(fs, Opcodes.FROZENSET, depth);
        } else if (v instanceof Set<?> set) {
            writeSet(set, Opcodes.SET, depth);
        } else if (v instanceof BigInteger big) {
            writeBig(big);
        } else if (v instanceof Short || v instanceof Byte) {
            writeInt(((Number) v).intValue());
        } else if (v instanceof Float f) {
            writeDouble(f.doubleValue());
        } else if (v instanceof Character c) {
            writeString(String.valueOf(c));
        } else if (v instanceof PyComplex c) {
            put(Opcodes.COMPLEX);
            putLong(Double.doubleToRawLongBits(c.real()));
            putLong(Double.doubleToRawLongBits(c.imag()));
        } else if (v instanceof Collection<?> coll) {
            writeList(Arrays.asList(coll.toArray()), depth);
        } else if (v.getClass().isArray()) {
            writeArray(v, depth);
        } else {
            writeOther(v);
        }
    }

    private void writeOther(Object v) {
        int id = refs == null ? ChannelRefs.NOT_A_CHANNEL : refs.idOf(v);
        if (id == ChannelRefs.NOT_A_CHANNEL) {
            throw new PathedFailure("cannot dump " + v.getClass().getName() + ": Python has no form for it"
                    + (refs == null && v instanceof Channel ? " (channels can only be sent over their own gateway)" : ""));
        }
        put(Opcodes.CHANNEL);
        putInt(id);
    }

    private void writeInt(int i) {
        put(Opcodes.INT);
        putInt(i);
    }

    private void writeLong(long l) {
        if (l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
            writeInt((int) l);
        } else {
            writeDecimal(Long.toString(l));
        }
    }

    private void writeBig(BigInteger big) {
        if (big.compareTo(INT_MIN) >= 0 && big.compareTo(INT_MAX) <= 0) {
            writeInt(big.intValue());
        } else {
            writeDecimal(big.toString());
        }
    }

    /** LONGINT: decimal text; negative values too, which execnet reads but cannot write. */
    private void writeDecimal(String digits) {
        put(Opcodes.LONGINT);
        putInt(digits.length());
        ensure(digits.length());
        for (int i = 0; i < digits.length(); i++) {
            buf[pos++] = (byte) digits.charAt(i);
        }
    }

    private void writeDouble(double d) {
        put(Opcodes.FLOAT);
        putLong(Double.doubleToRawLongBits(d));
    }

    /**
     * A lone bytes item, as bulk transfers send, with its STOP in a buffer of its exact size: its bytes are copied
     * once, where the growing buffer takes two large allocations and copies (growing to it, then trimming to size).
     */
    private byte[] loneBytes(byte[] bytes) {
        long size = (long) pos + 1 + 4 + bytes.length + 1;
        if (size > MAX_ENCODED) {
            throw tooLarge();
        }
        buf = new byte[(int) size];
        buf[pos++] = Opcodes.BYTES;
        putIntNoEnsure(bytes.length);
        System.arraycopy(bytes, 0, buf, pos, bytes.length);
        buf[buf.length - 1] = Opcodes.STOP;
        return buf;
    }

    private void writeBytes(byte[] bytes) {
        put(Opcodes.BYTES);
        putInt(bytes.length);
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, pos, bytes.length);
        pos += bytes.length;
    }

    /** PY3STRING with standard UTF-8 (4 bytes for supplementary characters, NUL as 0x00). */
    private void writeString(String s) {
        put(Opcodes.PY3STRING);
        int lengthAt = pos;
        pos += 4;
        int n = s.length();
        ensure(3L * n);
        byte[] b = buf;
        int p = pos;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                b[p++] = (byte) c;
            } else if (c < 0x800) {
                b[p++] = (byte) (0xC0 | (c >> 6));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                char low = i + 1 < n ? s.charAt(i + 1) : 0;
                if (!Character.isHighSurrogate(c) || !Character.isLowSurrogate(low)) {
                    throw new PathedFailure("strings must be utf-8 encodable: lone surrogate U+"
                            + Integer.toHexString(c).toUpperCase() + " at index " + i);
                }
                int cp = Character.toCodePoint(c, low);
                i++;
                b[p++] = (byte) (0xF0 | (cp >> 18));
                b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                b[p++] = (byte) (0xE0 | (c >> 12));
                b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        int len = p - pos;
        pos = lengthAt;
        putIntNoEnsure(len);
        pos = p;
    }

    private void writeKey(String key) {
        if (keyCache == null) {
            keyCache = new HashMap<>();
        }
        byte[] encoded = keyCache.get(key);
        if (encoded == null) {
            int start = pos;
            writeString(key);
            keyCache.put(key, Arrays.copyOfRange(buf, start, pos));
            return;
        }
        ensure(encoded.length);
        System.arraycopy(encoded, 0, buf, pos, encoded.length);
        pos += encoded.length;
    }

    private void writeTuple(PyTuple t, int depth) {
        checkDepth(depth);
        for (int i = 0, n = t.size(); i < n; i++) {
            try {
                write(t.get(i), depth + 1);
            } catch (PathedFailure f) {
                throw f.within("[" + i + "]");
            }
        }
        put(Opcodes.BUILDTUPLE);
        putInt(t.size());
    }

    private void writeList(List<?> list, int depth) {
        checkDepth(depth);
        int n = list.size();
        put(Opcodes.NEWLIST);
        putInt(n);
        int i = 0;
        for (Object item : list) {
            writeInt(i);
            try {
                write(item, depth + 1);
            } catch (PathedFailure f) {
                throw f.within("[" + i + "]");
            }
            put(Opcodes.SETITEM);
            i++;
        }
        if (i != n) {
            throw new PathedFailure("the list changed while it was encoded: size() said " + n + ", iteration gave " + i);
        }
    }

    private void writeArray(Object array, int depth) {
        int n = Array.getLength(array);
        Object[] items = new Object[n];
        for (int i = 0; i < n; i++) {
            items[i] = Array.get(array, i);
        }
        writeList(Arrays.asList(items), depth);
    }

    private void writeDict(Map<?, ?> map, int depth) {
        checkDepth(depth);
        put(Opcodes.NEWDICT);
        for (Map.Entry<?, ?> e : map.entrySet()) {
            Object key = e.getKey();
            try {
                if (key instanceof String s && s.length() <= CACHED_KEY_LENGTH) {
                    writeKey(s);
                } else {
                    checkHashable(key, "dict key");
                    write(key, depth + 1);
                }
                write(e.getValue(), depth + 1);
            } catch (PathedFailure f) {
                throw f.within("[" + repr(key) + "]");
            }
            put(Opcodes.SETITEM);
        }
    }

    private void writeSet(Set<?> set, byte opcode, int depth) {
        checkDepth(depth);
        int i = 0;
        for (Object item : set) {
            try {
                checkHashable(item, "set member");
                write(item, depth + 1);
            } catch (PathedFailure f) {
                throw f.within("{#" + i + "}");
            }
            i++;
        }
        put(opcode);
        putInt(i);
    }

    /** Python refuses lists, dicts and sets as dict keys or set members; so do we, before sending. */
    private static void checkHashable(Object v, String role) {
        if (v instanceof PyTuple t) {
            for (Object item : t) {
                checkHashable(item, role);
            }
        } else if (v instanceof PyFrozenSet) {
            return;
        } else if (v instanceof Collection<?> || v instanceof Map<?, ?>
                || (v != null && v.getClass().isArray() && !(v instanceof byte[]))) {
            throw new PathedFailure("a " + v.getClass().getName()
                    + " cannot be a " + role + " in Python (unhashable); use a PyTuple or PyFrozenSet");
        }
    }

    private void checkDepth(int depth) {
        if (depth >= maxDepth) {
            throw new PathedFailure("value nested deeper than " + maxDepth + " levels (a cycle?)");
        }
    }

    private static String repr(Object key) {
        if (key instanceof String s) {
            String shown = s.length() > 40 ? s.substring(0, 40) + "..." : s;
            return "\"" + shown.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
        return String.valueOf(key);
    }

    private void put(byte b) {
        ensure(1);
        buf[pos++] = b;
    }

    private void putInt(int v) {
        ensure(4);
        putIntNoEnsure(v);
    }

    private void putIntNoEnsure(int v) {
        byte[] b = buf;
        int p = pos;
        b[p] = (byte) (v >>> 24);
        b[p + 1] = (byte) (v >>> 16);
        b[p + 2] = (byte) (v >>> 8);
        b[p + 3] = (byte) v;
        pos = p + 4;
    }

    private void putLong(long v) {
        ensure(8);
        putIntNoEnsure((int) (v >>> 32));
        putIntNoEnsure((int) v);
    }

    private void ensure(long extra) {
        if (pos + extra + 4 > buf.length) {
            long wanted = Math.max((long) buf.length * 2, pos + extra + 4);
            if (wanted > MAX_ENCODED) {
                throw tooLarge();
            }
            buf = Arrays.copyOf(buf, (int) wanted);
        }
    }

    private static PathedFailure tooLarge() {
        return new PathedFailure("value too large: more than 2 GiB encoded");
    }

    /** A failure on its way out of the recursion, collecting the path as it unwinds. */
    private static final class PathedFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String problem;
        private String path = "";

        PathedFailure(String problem) {
            super(problem, null, false, false);
            this.problem = problem;
        }

        PathedFailure within(String segment) {
            path = segment + path;
            return this;
        }

        DumpException toDumpException() {
            return new DumpException(problem, "$" + path);
        }
    }
}
