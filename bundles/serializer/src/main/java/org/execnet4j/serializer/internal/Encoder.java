package org.execnet4j.serializer.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Array;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
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
 * Encodes one Java value into execnet's opcodes, into arrays that may start with free room for a
 * frame header. When an array is full the encoder goes on in a new one ({@link Chunks}) and joins
 * them at the end, so an encoding of n bytes allocates about 2n bytes and copies each byte once.
 * Not thread-safe; one instance per value.
 */
public final class Encoder {
    private static final BigInteger INT_MIN = BigInteger.valueOf(Integer.MIN_VALUE);
    private static final BigInteger INT_MAX = BigInteger.valueOf(Integer.MAX_VALUE);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private static final int INITIAL_CAPACITY = 256;
    /**
     * The largest array started for room in general (a string or bytes longer than that get an
     * array of their size): smaller than half of G1's smallest region, so never a humongous object.
     */
    private static final int MAX_CHUNK = 256 * 1024;
    /** The longest encoding: about the longest Java array. */
    private static final long MAX_ENCODED = Integer.MAX_VALUE - 16;

    private final ChannelRefs refs;
    private final int maxDepth;
    /** The array being written, and the next free byte in it. */
    private byte[] buf;
    private int pos;
    /** The arrays filled before {@link #buf}, or {@code null} while it is the first. */
    private Chunks chunks;
    /** Encoded short dict keys by their index in their dict (records repeat their keys). */
    private EncodedKeys keys;

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
            write(value, 0);
        } catch (PathedFailure f) {
            throw f.toDumpException();
        }
        put(Opcodes.STOP);
        return chunks == null ? Arrays.copyOf(buf, pos) : chunks.join(buf, pos);
    }

    private void write(Object v, int depth) {
        if (v instanceof String s) {
            writeString(s);
        } else if (v instanceof Integer i) {
            writeInt(i);
        } else if (v == null) {
            put(Opcodes.NONE);
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
        } else if (v instanceof ArrayList<?> list) {
            writeList(list, depth); // the JDK's usual containers by their class: a check in constant time
        } else if (v instanceof HashMap<?, ?> map) {
            writeDict(map, depth);
        } else if (v instanceof HashSet<?> set) {
            writeSet(set, Opcodes.SET, depth);
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
            ensure(17);
            buf[pos] = Opcodes.COMPLEX;
            LONG.set(buf, pos + 1, Double.doubleToRawLongBits(c.real()));
            LONG.set(buf, pos + 9, Double.doubleToRawLongBits(c.imag()));
            pos += 17;
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
        put(Opcodes.CHANNEL, id);
    }

    private void writeInt(int i) {
        put(Opcodes.INT, i);
    }

    private void writeLong(long l) {
        if (l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
            writeInt((int) l);
        } else {
            writeDecimal(l);
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
        int n = digits.length();
        ensure(5L + n);
        buf[pos] = Opcodes.LONGINT;
        INT.set(buf, pos + 1, n);
        for (int i = 0; i < n; i++) {
            buf[pos + 5 + i] = (byte) digits.charAt(i);
        }
        pos += 5 + n;
    }

    /** {@link #writeDecimal(String)} of {@code Long.toString(l)}, without the string. */
    private void writeDecimal(long l) {
        int n = decimalLength(l);
        ensure(5 + n);
        byte[] b = buf;
        b[pos] = Opcodes.LONGINT;
        INT.set(b, pos + 1, n);
        int p = pos + 5 + n;
        long rest = l < 0 ? l : -l; // negative, so that Long.MIN_VALUE has its digits too
        do {
            b[--p] = (byte) ('0' - rest % 10);
            rest /= 10;
        } while (rest != 0);
        if (l < 0) {
            b[--p] = '-';
        }
        pos += 5 + n;
    }

    /** The length of {@code Long.toString(l)}. */
    private static int decimalLength(long l) {
        int sign = l < 0 ? 1 : 0;
        long rest = l < 0 ? l : -l;
        int digits = 1;
        for (long bound = -10; digits < 19 && rest <= bound; bound *= 10) {
            digits++;
        }
        return sign + digits;
    }

    private void writeDouble(double d) {
        ensure(9);
        buf[pos] = Opcodes.FLOAT;
        LONG.set(buf, pos + 1, Double.doubleToRawLongBits(d));
        pos += 9;
    }

    private void writeBytes(byte[] bytes) {
        ensure(5L + bytes.length);
        buf[pos] = Opcodes.BYTES;
        INT.set(buf, pos + 1, bytes.length);
        System.arraycopy(bytes, 0, buf, pos + 5, bytes.length);
        pos += 5 + bytes.length;
    }

    /**
     * PY3STRING with standard UTF-8 ({@link Utf8#encode}). The room is 3 bytes per char if the
     * array has it, else the exact length (so a long string needs no array three times its size).
     */
    private void writeString(String s) {
        if (5 + 3L * s.length() > buf.length - pos) {
            ensure(5 + Utf8.encodedLength(s));
        }
        byte[] b = buf;
        int start = pos;
        int end = Utf8.encode(s, b, start + 5);
        if (end < 0) {
            int at = -1 - end;
            throw new PathedFailure("strings must be utf-8 encodable: lone surrogate U+"
                    + Integer.toHexString(s.charAt(at)).toUpperCase() + " at index " + at);
        }
        b[start] = Opcodes.PY3STRING;
        INT.set(b, start + 1, end - start - 5);
        pos = end;
    }

    /** A dict's string key: copied if it is the one encoded at its index before, else encoded and remembered. */
    private void writeKey(String key, int index) {
        if (key.length() > EncodedKeys.MAX_CHARS) {
            writeString(key);
            return;
        }
        ensure(EncodedKeys.ROOM);
        if (keys == null) {
            keys = new EncodedKeys();
        }
        int end = keys.copy(key, index, buf, pos);
        if (end >= 0) {
            pos = end;
            return;
        }
        int start = pos;
        writeString(key); // within the room ensured, so in this array
        keys.keep(key, index, buf, start, pos);
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
        put(Opcodes.BUILDTUPLE, t.size());
    }

    private void writeList(List<?> list, int depth) {
        checkDepth(depth);
        int n = list.size();
        put(Opcodes.NEWLIST, n);
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
        int index = 0;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            Object key = e.getKey();
            try {
                if (key instanceof String s) {
                    writeKey(s, index);
                } else {
                    checkHashable(key, "dict key");
                    write(key, depth + 1);
                }
                write(e.getValue(), depth + 1);
            } catch (PathedFailure f) {
                throw f.within("[" + repr(key) + "]");
            }
            put(Opcodes.SETITEM);
            index++;
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
        put(opcode, i);
    }

    /** Python refuses lists, dicts and sets as dict keys or set members; so do we, before sending. */
    private static void checkHashable(Object v, String role) {
        if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
            return; // the common scalars first: the interface checks below are slow to fail
        } else if (v instanceof PyTuple t) {
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

    /** An opcode and its int4 operand. */
    private void put(byte opcode, int operand) {
        ensure(5);
        buf[pos] = opcode;
        INT.set(buf, pos + 1, operand);
        pos += 5;
    }

    /** Room for {@code extra} more bytes in {@link #buf} from {@link #pos}. */
    private void ensure(long extra) {
        if (extra > buf.length - pos) {
            startChunk(extra);
        }
    }

    /** Keeps the array written so far and goes on in a new one with room for {@code extra} bytes. */
    private void startChunk(long extra) {
        if (chunks == null) {
            chunks = new Chunks();
        }
        long written = chunks.total() + pos;
        if (written + extra > MAX_ENCODED) {
            throw new PathedFailure("value too large: more than 2 GiB encoded");
        }
        chunks.add(buf, pos);
        long size = Math.max(extra, Math.min(MAX_CHUNK, written));
        buf = new byte[(int) Math.min(size, MAX_ENCODED - written)]; // so that the joined arrays fit in one
        pos = 0;
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
