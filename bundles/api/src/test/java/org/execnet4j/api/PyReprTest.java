package org.execnet4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** {@link PyRepr} against what a real Python prints for the same values. */
class PyReprTest {

    @Test
    void nestedValuesPrintAsPythonPrintsThem() throws Exception {
        Map<String, Object> dict = new LinkedHashMap<>();
        dict.put("k", null);
        Map<Object, Object> keys = new LinkedHashMap<>();
        keys.put(PyTuple.of(1, "a"), List.of());
        keys.put(-7, new LinkedHashSet<>(List.of(1, 2)));
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("[None, 'a', b'x', {'k': None}, (1,), True]", Arrays.asList(null, "a", "x".getBytes(), dict, PyTuple.of(1), true));
        values.put("frozenset({3})", PyFrozenSet.of(3));
        values.put("frozenset()", PyFrozenSet.of());
        values.put("set()", new LinkedHashSet<>());
        values.put("complex(1, 2)", new PyComplex(1, 2));
        values.put("complex(0, 2)", new PyComplex(0, 2));
        values.put("complex(-0.0, -2.5)", new PyComplex(-0.0, -2.5));
        values.put("complex(1, -0.0)", new PyComplex(1, -0.0));
        values.put("complex(float('nan'), float('inf'))", new PyComplex(Double.NaN, Double.POSITIVE_INFINITY));
        values.put("complex(1e300, 1e-7)", new PyComplex(1e300, 1e-7));
        values.put("float('nan')", Double.NaN);
        values.put("float('-inf')", Double.NEGATIVE_INFINITY);
        values.put("-0.0", -0.0);
        values.put("1e16", 1e16);
        values.put("123456789012345.6", 123456789012345.6);
        values.put("0.0001", 0.0001);
        values.put("0.00001", 0.00001);
        values.put("0.5", 0.5f);
        values.put("2 ** 100", BigInteger.TWO.pow(100));
        values.put("-2 ** 63", Long.MIN_VALUE);
        values.put("()", PyTuple.of());
        values.put("((((1,),),),)", PyTuple.of(PyTuple.of(PyTuple.of(PyTuple.of(1)))));
        values.put("{(1, 'a'): [], -7: {1, 2}}", keys);
        values.put("\"it's\"", "it's");
        values.put("'say \"hi\"'", "say \"hi\"");
        values.put("'both \\' and \"'", "both ' and \"");
        values.put("'tab\\tnl\\ncr\\r bs\\\\ nul\\x00 del\\x7f nbsp\\xa0 zwsp\\u200b é € 𝄞 \\U000e0001'",
                "tab\tnl\ncr\r bs\\ nul\0 del\u007f nbsp\u00a0 zwsp\u200b é € \ud834\udd1e \udb40\udc01");
        values.put("bytes(range(256))", bytes256());
        values.put("b\"'\"", "'".getBytes(StandardCharsets.US_ASCII));
        values.put("'x'", 'x');
        values.put("[1, 2, 3]", new int[] {1, 2, 3});
        values.put("[[b'']]", new Object[] {new ArrayList<>(List.of(new byte[0]))});

        List<String> expressions = new ArrayList<>(values.keySet());
        List<String> python = python("import sys\nfor line in sys.stdin.read().splitlines():\n    print(repr(eval(line)))\n",
                String.join("\n", expressions));
        for (int i = 0; i < expressions.size(); i++) {
            assertEquals(python.get(i), PyRepr.repr(values.get(expressions.get(i))), expressions.get(i));
        }
    }

    @Test
    void randomFloatsPrintWithPythonsShortestDigits() throws Exception {
        Random random = new Random(20261202);
        double[] doubles = new double[3000];
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < doubles.length; i++) {
            double d = i % 3 == 0 ? random.nextDouble() * Math.pow(10, random.nextInt(40) - 20)
                    : Double.longBitsToDouble(random.nextLong());
            doubles[i] = d;
            hex.append(Double.toHexString(d)).append('\n');
        }
        List<String> python = python("import sys\nfor line in sys.stdin.read().splitlines():\n"
                + "    print(repr(float.fromhex(line)) if 'N' not in line and 'I' not in line else repr(float(line)))\n",
                hex.toString());
        for (int i = 0; i < doubles.length; i++) {
            assertEquals(python.get(i), PyRepr.reprFloat(doubles[i]), Double.toHexString(doubles[i]));
        }
    }

    @Test
    void aContainerThatHoldsItselfPrintsAnEllipsis() {
        List<Object> list = new ArrayList<>();
        list.add(1);
        list.add(list);
        assertEquals("[1, [...]]", PyRepr.repr(list));
        Map<String, Object> dict = new LinkedHashMap<>();
        dict.put("me", dict);
        assertEquals("{'me': {...}}", PyRepr.repr(dict));
        List<Object> shared = List.of(1);
        assertEquals("[[1], [1]]", PyRepr.repr(List.of(shared, shared)));
    }

    private static byte[] bytes256() {
        byte[] bytes = new byte[256];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }

    /** Runs a Python program with this standard input; its output lines. */
    private static List<String> python(String program, String input) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("python3", "-c", program).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("PYTHONIOENCODING", "utf-8");
        Process process = builder.start();
        try (var in = process.getOutputStream()) {
            in.write(input.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new AssertionError("python3 failed on: " + input);
        }
        return output.lines().toList();
    }
}
