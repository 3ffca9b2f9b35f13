package org.execnet4j.serializer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A dump (version byte 2) written opcode by opcode, for tests that build inputs by hand or need
 * the plain encoding of a value to compare with the encoder's.
 */
final class Ops {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Ops() {
        out.write(2);
    }

    Ops op(char opcode) {
        out.write(opcode);
        return this;
    }

    Ops op(char opcode, int operand) {
        out.write(opcode);
        out.write(operand >>> 24);
        out.write(operand >>> 16);
        out.write(operand >>> 8);
        out.write(operand);
        return this;
    }

    /** PY3STRING with the JDK's UTF-8 (which must not meet a lone surrogate). */
    Ops str(String s) {
        return sized('N', s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The value's encoding written the plain way: None, booleans, ints (INT, else LONGINT
     * text), strings, bytes, lists and dicts (string or int keys).
     */
    Ops value(Object v) {
        if (v == null) {
            return op('L');
        } else if (v instanceof Boolean b) {
            return op(b ? 'R' : 'C');
        } else if (v instanceof Integer i) {
            return op('F', i);
        } else if (v instanceof Long l) {
            return l == l.intValue() ? op('F', l.intValue()) : sized('H', Long.toString(l).getBytes(StandardCharsets.US_ASCII));
        } else if (v instanceof String s) {
            return str(s);
        } else if (v instanceof byte[] bytes) {
            return sized('A', bytes);
        } else if (v instanceof List<?> list) {
            op('K', list.size());
            for (int i = 0; i < list.size(); i++) {
                op('F', i).value(list.get(i)).op('P');
            }
            return this;
        } else if (v instanceof Map<?, ?> map) {
            op('J');
            map.forEach((key, value) -> value(key).value(value).op('P'));
            return this;
        }
        throw new IllegalArgumentException("no plain encoding for " + v.getClass());
    }

    byte[] stop() {
        out.write('Q');
        return out.toByteArray();
    }

    private Ops sized(char opcode, byte[] bytes) {
        op(opcode, bytes.length);
        out.writeBytes(bytes);
        return this;
    }
}
