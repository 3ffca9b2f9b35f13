package org.execnet4j.serializer.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import org.execnet4j.api.DataFormatException;
import org.execnet4j.api.PyComplex;
import org.execnet4j.api.PyFrozenSet;
import org.execnet4j.api.PyTuple;
import org.execnet4j.serializer.ChannelRefs;
import org.execnet4j.serializer.LoadOptions;

/**
 * Decodes execnet's opcodes from a byte range with a small stack machine, treating the input as
 * untrusted: every malformed input ends in {@link DataFormatException}, declared lengths are
 * checked against the bytes present before anything is allocated, nesting is bounded, and what
 * the decoded value holds on the heap is charged against a budget proportional to the input
 * ({@link HeapCost#budget}), so a few bytes can never ask for gigabytes.
 *
 * <p>Most of a dump is dict entries and list items of scalars: key, value, SETITEM into the
 * container on top of the stack. While a dict or list is on top, {@link #fillDict} and
 * {@link #fillList} store such entries directly (a list's INT index unboxed); at anything else they
 * push what they read of it, so the stack is what the plain machine would have. A string key of
 * {@link #fillDict} is first compared with the key at its index in the dicts before ({@link DictKeys}):
 * records repeat their keys in one order.
 * Not thread-safe; one instance per value.
 */
public final class Decoder {
    /** Meta bit of a stack entry: the value is a list, dict or set (unhashable in Python). */
    private static final int UNHASHABLE = 1 << 30;
    /** Meta bit of a stack entry: the value is a dict (SETITEM fills it). */
    private static final int DICT = 1 << 29;
    /** Meta bit of a stack entry: the value is a list (SETITEM fills it). */
    private static final int LIST = 1 << 28;
    private static final int DEPTH_MASK = LIST - 1;
    /** What {@link #scalar} returns for an opcode that is not a scalar's. */
    private static final Object NOT_SCALAR = new Object();
    private static final Integer[] SMALL_INTS = new Integer[4096];
    /** Entries a default LinkedHashMap holds before it grows. */
    private static final int DEFAULT_DICT_ENTRIES = 12;
    /** The largest size taken over from a previous dict (the input is untrusted). */
    private static final int MAX_DICT_HINT = 1024;
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    static {
        for (int i = 0; i < SMALL_INTS.length; i++) {
            SMALL_INTS[i] = i;
        }
    }

    private final byte[] in;
    private final int end;
    private final LoadOptions options;
    private final ChannelRefs refs;
    private final long budget;
    private long charged;
    private int pos;
    private Object[] stack = new Object[16];
    private int[] meta = new int[16];
    /** Per stack entry that is a dict: its keys' {@link KeyCollisions#track tracking state}. */
    private Object[] keyTypes = new Object[16];
    private int top;
    private LinkedHashMap<Object, Object> lastDict;
    /** Short strings decoded before in this input; {@code null} for short inputs. */
    private final ShortStrings strings;
    /** The keys of the dicts before, by their index in their dict; {@code null} for short inputs. */
    private final DictKeys keys;

    /**
     * A decoder over {@code length} bytes of {@code in} from {@code offset}; the array is not copied.
     *
     * @param in the untrusted bytes
     * @param offset where the range starts in {@code in}
     * @param length how many bytes the range has; the heap budget is proportional to it
     * @param options string coercion and bounds
     * @param refs resolves channel references, or {@code null} to refuse them
     * @throws IndexOutOfBoundsException if the range is not inside {@code in}
     */
    public Decoder(byte[] in, int offset, int length, LoadOptions options, ChannelRefs refs) {
        if (offset < 0 || length < 0 || offset + length > in.length) {
            throw new IndexOutOfBoundsException("range " + offset + "+" + length + " outside " + in.length + " bytes");
        }
        this.in = in;
        this.pos = offset;
        this.end = offset + length;
        this.options = options;
        this.refs = refs;
        this.budget = HeapCost.budget(length);
        this.strings = ShortStrings.forInput(length);
        this.keys = strings == null ? null : new DictKeys();
    }

    /** {@return the estimated heap bytes of what was decoded so far (of the whole value after {@link #decode})} */
    public long heapBytes() {
        return charged;
    }

    /**
     * Reads the dump form's version byte.
     *
     * @return the byte, 0 to 255, unchecked
     * @throws DataFormatException if the range is empty
     */
    public int readVersionByte() {
        if (pos >= end) {
            throw new DataFormatException("empty input: no dump format version byte");
        }
        return in[pos++] & 0xFF;
    }

    /**
     * Decodes opcodes up to and including STOP; bytes after STOP are ignored, as execnet does.
     *
     * @return the decoded value
     * @throws DataFormatException if the bytes are malformed, end before STOP, or exceed the
     *     bounds of the options or the heap budget
     */
    public Object decode() {
        while (true) {
            if (top > 0) {
                int onTop = meta[top - 1];
                if ((onTop & DICT) != 0) {
                    fillDict();
                } else if ((onTop & LIST) != 0) {
                    fillList();
                }
            }
            if (pos >= end) {
                throw fail("input ended before the STOP opcode");
            }
            byte op = in[pos];
            Object value = scalar(op);
            if (value != NOT_SCALAR) {
                push(value, 0);
                continue;
            }
            int at = pos++;
            if (op == Opcodes.STOP) {
                if (top != 1) {
                    throw new DataFormatException("STOP at byte " + at + " with " + top
                            + " values on the stack instead of 1");
                }
                return stack[0];
            }
            container(op, at);
        }
    }

    /**
     * Reads the scalar whose opcode {@code op} is at {@code pos}, or returns {@link #NOT_SCALAR}
     * and reads nothing if {@code op} is a container opcode, STOP or unknown.
     */
    private Object scalar(byte op) {
        // the scalars of most dumps; the method stays small enough to be inlined where it is used
        switch (op) {
            case Opcodes.PY3STRING, Opcodes.UNICODE -> {
                pos++;
                return readUtf8();
            }
            case Opcodes.INT, Opcodes.LONG -> {
                pos++;
                return boxed(readInt());
            }
            case Opcodes.NONE -> {
                pos++;
                return null;
            }
            case Opcodes.TRUE -> {
                pos++;
                return Boolean.TRUE;
            }
            case Opcodes.FALSE -> {
                pos++;
                return Boolean.FALSE;
            }
            case Opcodes.FLOAT -> {
                pos++;
                charge(HeapCost.BOXED);
                return Double.longBitsToDouble(readLong());
            }
            default -> {
                return otherScalar(op);
            }
        }
    }

    /** {@link #scalar} of the other opcodes. */
    private Object otherScalar(byte op) {
        switch (op) {
            case Opcodes.BYTES -> {
                pos++;
                return readBytes();
            }
            case Opcodes.LONGINT, Opcodes.LONGLONG -> {
                pos++;
                return readDecimal();
            }
            case Opcodes.COMPLEX -> {
                pos++;
                return readComplex();
            }
            case Opcodes.PY2STRING -> {
                pos++;
                return readPy2String();
            }
            case Opcodes.CHANNEL -> {
                pos++;
                return readChannel();
            }
            default -> {
                return NOT_SCALAR;
            }
        }
    }

    /**
     * Stores entries of scalar key, scalar value and SETITEM into the dict on top of the stack
     * without the stack. Stops before anything else; a scalar key or value read before that is
     * pushed, so the stack is what the plain machine would have.
     */
    @SuppressWarnings("unchecked")
    private void fillDict() {
        LinkedHashMap<Object, Object> map = (LinkedHashMap<Object, Object>) stack[top - 1];
        int owner = top - 1;
        Object types = keyTypes[owner];
        while (pos < end) {
            byte op = in[pos];
            Object key;
            if (op == Opcodes.PY3STRING || op == Opcodes.UNICODE) {
                pos++;
                key = readKey(map.size());
            } else {
                key = scalar(op);
                if (key == NOT_SCALAR) {
                    break;
                }
            }
            Object value = pos < end ? scalar(in[pos]) : NOT_SCALAR;
            if (value == NOT_SCALAR || pos >= end || in[pos] != Opcodes.SETITEM) {
                keyTypes[owner] = types;
                push(key, 0);
                if (value != NOT_SCALAR) {
                    push(value, 0);
                }
                return;
            }
            pos++;
            int before = map.size();
            map.put(key, value);
            if (map.size() > before) {
                charge(HeapCost.DICT_ENTRY);
                if (types == null) {
                    types = KeyCollisions.typeOf(key); // no keySet() view allocated for the first key
                } else if (types != KeyCollisions.typeOf(key)) {
                    types = KeyCollisions.track(types, key, map.keySet());
                }
            }
        }
        keyTypes[owner] = types;
    }

    /**
     * Stores items of INT index, scalar value and SETITEM into the list on top of the stack
     * without the stack (nor boxing the index). Stops before anything else, like {@link #fillDict}.
     */
    @SuppressWarnings("unchecked")
    private void fillList() {
        ArrayList<Object> list = (ArrayList<Object>) stack[top - 1];
        int size = list.size();
        while (pos < end && in[pos] == Opcodes.INT) {
            pos++;
            int index = readInt();
            Object value = pos < end ? scalar(in[pos]) : NOT_SCALAR;
            if (value == NOT_SCALAR || pos >= end || in[pos] != Opcodes.SETITEM) {
                push(boxed(index), 0);
                if (value != NOT_SCALAR) {
                    push(value, 0);
                }
                return;
            }
            pos++;
            list.set(listIndex(index, size), value);
        }
    }

    /** Carries out a container opcode on the stack. */
    private void container(byte op, int at) {
        switch (op) {
            case Opcodes.NEWLIST -> newList();
            case Opcodes.NEWDICT -> {
                push(newDict(), 1 | UNHASHABLE | DICT);
                keyTypes[top - 1] = null;
            }
            case Opcodes.SETITEM -> setItem();
            case Opcodes.BUILDTUPLE -> buildTuple();
            case Opcodes.SET, Opcodes.FROZENSET -> buildSet(op == Opcodes.FROZENSET);
            default -> throw new DataFormatException(String.format(
                    "unknown opcode 0x%02x at byte %d", op & 0xFF, at));
        }
    }

    /** Integer.valueOf with a larger cache: records repeat small ints (ids, counts, indexes). */
    private Integer boxed(int value) {
        if (value >= 0 && value < SMALL_INTS.length) {
            return SMALL_INTS[value];
        }
        charge(HeapCost.BOXED);
        return value;
    }

    /** Counts {@code bytes} more of decoded value against the budget. */
    private void charge(long bytes) {
        charged += bytes;
        if (charged > budget) {
            throw fail("the value would take more than " + budget + " bytes of memory decoded ("
                    + HeapCost.PER_INPUT_BYTE + " per input byte): refused as amplification");
        }
    }

    private void push(Object value, int valueMeta) {
        if (top == stack.length) {
            stack = Arrays.copyOf(stack, top * 2);
            meta = Arrays.copyOf(meta, top * 2);
            keyTypes = Arrays.copyOf(keyTypes, top * 2);
        }
        stack[top] = value;
        meta[top++] = valueMeta;
    }

    /** Records repeat their shape: a new dict is sized for as many entries as the one before it. */
    private LinkedHashMap<Object, Object> newDict() {
        int expected = lastDict == null ? 0 : Math.min(lastDict.size(), MAX_DICT_HINT);
        charge(HeapCost.DICT);
        lastDict = expected > DEFAULT_DICT_ENTRIES ? new LinkedHashMap<>(expected * 4 / 3 + 1) : new LinkedHashMap<>();
        return lastDict;
    }

    private void newList() {
        int n = readInt();
        if (n > end - pos) {
            throw fail("list declares " + n + " items but only " + (end - pos) + " bytes follow");
        }
        charge(HeapCost.LIST + HeapCost.references(Math.max(n, 0)));
        ArrayList<Object> list = new ArrayList<>(Math.max(n, 0));
        for (int i = 0; i < n; i++) {
            list.add(null);
        }
        push(list, 1 | UNHASHABLE | LIST);
    }

    private void setItem() {
        if (top < 3) {
            throw fail("SETITEM needs 3 values on the stack, found " + top);
        }
        Object value = stack[--top];
        int valueMeta = meta[top];
        Object key = stack[--top];
        int keyMeta = meta[top];
        stack[top + 1] = null;
        stack[top] = null;
        int depth = 1 + Math.max(keyMeta & DEPTH_MASK, valueMeta & DEPTH_MASK);
        checkDepth(depth);
        store(stack[top - 1], key, keyMeta, value);
        meta[top - 1] = Math.max(meta[top - 1] & DEPTH_MASK, depth) | (meta[top - 1] & ~DEPTH_MASK);
    }

    /**
     * SETITEM of {@code key} and {@code value} into {@code target}, the value on top of the
     * stack. A scalar key or value nests no deeper than the target itself is.
     */
    @SuppressWarnings("unchecked")
    private void store(Object target, Object key, int keyMeta, Object value) {
        if (target instanceof LinkedHashMap<?, ?> map) {
            if ((keyMeta & UNHASHABLE) != 0) {
                throw fail("unhashable " + pythonType(key) + " used as a dict key");
            }
            int before = map.size();
            ((Map<Object, Object>) map).put(key, value);
            if (map.size() > before) {
                charge(HeapCost.DICT_ENTRY);
                Object types = keyTypes[top - 1];
                if (types == null) {
                    keyTypes[top - 1] = KeyCollisions.typeOf(key);
                } else if (types != KeyCollisions.typeOf(key)) {
                    keyTypes[top - 1] = KeyCollisions.track(types, key, map.keySet());
                }
            }
        } else if (target instanceof ArrayList<?> list) {
            if (!(key instanceof Integer index)) {
                throw fail("list index must be an int, not " + pythonType(key));
            }
            ((List<Object>) list).set(listIndex(index, list.size()), value);
        } else {
            throw fail("SETITEM target is a " + pythonType(target) + ", not a list or dict");
        }
    }

    /** The position of Python index {@code index} (negative from the end) in a list of {@code size}. */
    private int listIndex(int index, int size) {
        int i = index < 0 ? index + size : index;
        if (i < 0 || i >= size) {
            throw fail("list index " + index + " out of range for a list of " + size);
        }
        return i;
    }

    private void buildTuple() {
        int n = readCount();
        int from = Math.max(0, top - n);
        if (top > from) {
            charge(HeapCost.TUPLE + HeapCost.references(top - from));
        }
        Object[] items = Arrays.copyOfRange(stack, from, top);
        int combined = combinedMeta(from);
        push(PyTuple.wrap(items), combined);
    }

    private void buildSet(boolean frozen) {
        int n = readCount();
        int from = Math.max(0, top - n);
        // sized for its members (at most the stack's size): no resize, and small sets get small tables
        LinkedHashSet<Object> set = new LinkedHashSet<>(Math.max(2, (top - from) * 4 / 3 + 1));
        Object types = null;
        for (int i = from; i < top; i++) {
            if ((meta[i] & UNHASHABLE) != 0) {
                throw fail("unhashable " + pythonType(stack[i]) + " used as a set member");
            }
            if (set.add(stack[i])) {
                charge(HeapCost.DICT_ENTRY);
                if (types != KeyCollisions.typeOf(stack[i])) {
                    types = KeyCollisions.track(types, stack[i], set);
                }
            }
        }
        if (!frozen || !set.isEmpty()) {
            charge(frozen ? HeapCost.FROZEN_SET : HeapCost.SET);
        }
        int combined = combinedMeta(from) & DEPTH_MASK;
        push(frozen ? PyFrozenSet.wrap(set) : set, frozen ? combined : combined | UNHASHABLE);
    }

    /** Pops stack[from..top) and returns the meta of a container holding them. */
    private int combinedMeta(int from) {
        int depth = 0;
        int unhashable = 0;
        for (int i = from; i < top; i++) {
            depth = Math.max(depth, meta[i] & DEPTH_MASK);
            unhashable |= meta[i] & UNHASHABLE;
            stack[i] = null;
        }
        top = from;
        checkDepth(depth + 1);
        return (depth + 1) | unhashable;
    }

    private void checkDepth(int depth) {
        if (depth > options.maxDepth() || depth > DEPTH_MASK) {
            throw fail("nesting deeper than " + options.maxDepth() + " levels");
        }
    }

    private int readCount() {
        int n = readInt();
        if (n < 0) {
            throw fail("negative item count " + n);
        }
        return n;
    }

    private Object readChannel() {
        int id = readInt();
        if (refs == null) {
            throw fail("channel reference " + id + " cannot be loaded outside a gateway connection");
        }
        return refs.resolve(id);
    }

    private int readInt() {
        need(4);
        pos += 4;
        return (int) INT_BE.get(in, pos - 4);
    }

    private long readLong() {
        need(8);
        pos += 8;
        return (long) LONG_BE.get(in, pos - 8);
    }

    private PyComplex readComplex() {
        charge(HeapCost.COMPLEX);
        double real = Double.longBitsToDouble(readLong());
        return new PyComplex(real, Double.longBitsToDouble(readLong()));
    }

    /** Reads a length prefix and checks that many bytes are present. */
    private int readLength() {
        int n = readInt();
        if (n < 0) {
            throw fail("negative length " + n);
        }
        need(n);
        return n;
    }

    private byte[] readBytes() {
        int n = readLength();
        charge(HeapCost.bytes(n));
        byte[] out = Arrays.copyOfRange(in, pos, pos + n);
        pos += n;
        return out;
    }

    private Object readPy2String() {
        if (options.py2strAsPy3str()) {
            int n = readLength();
            String s = new String(in, pos, n, StandardCharsets.ISO_8859_1);
            charge(HeapCost.string(s, n));
            pos += n;
            return s;
        }
        return readBytes();
    }

    private String readUtf8() {
        return utf8(readLength());
    }

    /**
     * The string key of entry {@code index} of a dict: records repeat their keys in one order, so
     * if these are the bytes of the key at that index in the dicts before, that key is shared
     * (charged when it was first decoded), else the key is read like any string and remembered.
     */
    private String readKey(int index) {
        int n = readLength();
        if (keys == null) {
            return utf8(n);
        }
        String known = keys.find(in, pos, n, index);
        if (known != null) {
            pos += n;
            return known;
        }
        int start = pos;
        String s = utf8(n);
        keys.keep(start, n, index, s);
        return s;
    }

    /** The string of the {@code n} bytes at {@code pos}, which {@link #readLength} checked are present. */
    private String utf8(int n) {
        int start = pos;
        pos = start + n;
        if (n > 0 && n <= ShortStrings.MAX_BYTES && strings != null) {
            String s = strings.find(in, start, n);
            if (s != null) {
                return s; // shared with its first occurrence, which was charged
            }
        }
        return decodeUtf8(start, n);
    }

    /** {@link #readUtf8} of a string not in the cache: decoded, charged and, if short, kept in the cache. */
    private String decodeUtf8(int start, int n) {
        if (n == 0) {
            return "";
        }
        String s = Utf8.decode(in, start, n);
        if (n <= ShortStrings.MAX_BYTES && strings != null) {
            strings.keep(s);
        }
        charge(HeapCost.string(s, n));
        return s;
    }

    /** Python 3 strings of ASCII digits up to 18 long, the common case, without BigInteger. */
    private static Number smallDecimal(byte[] b, int start, int n) {
        if (n == 0 || n > 18) {
            return null;
        }
        int i = start;
        boolean negative = b[i] == '-';
        if (negative) {
            if (n == 1) {
                return null;
            }
            i++;
        }
        long value = 0;
        for (; i < start + n; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return null;
            }
            value = value * 10 + d;
        }
        value = negative ? -value : value;
        return value == (int) value ? (Number) (int) value : (Number) value;
    }

    /** Big integers as decimal text, with the syntax Python's int() accepts. */
    private Number readDecimal() {
        int at = pos;
        int n = readLength();
        Number quick = smallDecimal(in, pos, n);
        if (quick != null) {
            pos += n;
            charge(quick instanceof Integer ? HeapCost.BOXED : HeapCost.BOXED_LONG);
            return quick;
        }
        String text = new String(in, pos, n, StandardCharsets.ISO_8859_1);
        pos += n;
        String digits = PythonInts.canonicalDigits(text);
        if (digits == null) {
            throw new DataFormatException("big integer at byte " + at + " is not decimal text: '"
                    + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "'");
        }
        if (digits.length() > options.maxIntDigits() + 1) {
            throw new DataFormatException("big integer at byte " + at + " has more than "
                    + options.maxIntDigits() + " digits");
        }
        Number value = PythonInts.narrow(new BigInteger(digits));
        charge(value instanceof BigInteger big ? HeapCost.BIG_INTEGER + HeapCost.references(big.bitLength() / 32 + 1)
                : HeapCost.BOXED_LONG);
        return value;
    }

    private void need(int n) {
        if (n > end - pos) {
            throw fail("needs " + n + " more bytes, only " + (end - pos) + " left");
        }
    }

    private DataFormatException fail(String problem) {
        return new DataFormatException("malformed data at byte " + pos + ": " + problem);
    }

    private static String pythonType(Object v) {
        if (v == null) {
            return "None";
        }
        if (v instanceof List<?>) {
            return v instanceof PyTuple ? "tuple" : "list";
        }
        if (v instanceof Map<?, ?>) {
            return "dict";
        }
        if (v instanceof PyFrozenSet) {
            return "frozenset";
        }
        if (v instanceof java.util.Set<?>) {
            return "set";
        }
        return v.getClass().getSimpleName();
    }
}
