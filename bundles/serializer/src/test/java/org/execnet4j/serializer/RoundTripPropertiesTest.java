package org.execnet4j.serializer;

import static org.execnet4j.serializer.Vectors.assertPyEquals;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import org.execnet4j.api.PyComplex;
import org.execnet4j.api.PyFrozenSet;
import org.execnet4j.api.PyTuple;

/** Random nested Python values survive dumps then loads, in both dump formats and the wire form. */
class RoundTripPropertiesTest {

    @Property(tries = 400)
    void dumpThenLoadGivesTheSameValue(@ForAll("values") Object value) {
        assertPyEquals(value, Serializer.loads(Serializer.dumps(value)), "$");
        assertPyEquals(value, Serializer.loads(Serializer.dumps(value, DumpFormat.V1)), "$");
        byte[] wire = WireFormat.encode(value, null, 9);
        assertPyEquals(value, WireFormat.decode(wire, 9, wire.length - 9, LoadOptions.DEFAULTS, null), "$");
    }

    @Property(tries = 300)
    void encodingIsDeterministicForOrderedValues(@ForAll("values") Object value) {
        byte[] once = Serializer.dumps(value);
        byte[] again = Serializer.dumps(Serializer.loads(once));
        org.junit.jupiter.api.Assertions.assertArrayEquals(once, again);
    }

    @Provide
    Arbitrary<Object> values() {
        return value(3);
    }

    private Arbitrary<Object> value(int depth) {
        if (depth == 0) {
            return leaf();
        }
        Arbitrary<Object> inner = value(depth - 1);
        Arbitrary<Object> hashable = hashable();
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, leaf()),
                net.jqwik.api.Tuple.of(1, inner.list().ofMaxSize(6).map(l -> (Object) new ArrayList<>(l))),
                net.jqwik.api.Tuple.of(1, inner.list().ofMaxSize(6).map(l -> (Object) PyTuple.copyOf(l))),
                net.jqwik.api.Tuple.of(1, Arbitraries.maps(hashable, inner).ofMaxSize(5)
                        .map(m -> (Object) new LinkedHashMap<>(m))),
                net.jqwik.api.Tuple.of(1, hashable.set().ofMaxSize(5).map(s -> (Object) new LinkedHashSet<>(s))),
                net.jqwik.api.Tuple.of(1, hashable.set().ofMaxSize(5).map(s -> (Object) PyFrozenSet.copyOf(s))));
    }

    /** Values Python can hash and Java compares by value (so no byte[]). */
    private Arbitrary<Object> hashable() {
        Arbitrary<Object> scalar = Arbitraries.oneOf(ints(), text(), Arbitraries.of(true, false),
                Arbitraries.doubles().map(d -> (Object) d));
        return Arbitraries.oneOf(scalar, scalar.list().ofMaxSize(3).map(l -> (Object) PyTuple.copyOf(l)));
    }

    private Arbitrary<Object> leaf() {
        return Arbitraries.oneOf(
                Arbitraries.just(null),
                Arbitraries.of(true, false),
                ints(),
                Arbitraries.doubles().withSpecialValue(Double.NaN).withSpecialValue(-0.0)
                        .withSpecialValue(Double.NEGATIVE_INFINITY).map(d -> (Object) d),
                Combinators.combine(Arbitraries.doubles(), Arbitraries.doubles()).as(PyComplex::new).map(c -> (Object) c),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(b -> (Object) b),
                text());
    }

    /** Ints of every size, as the smallest Java type that holds them (which is what loads returns). */
    private static Arbitrary<Object> ints() {
        return Arbitraries.bigIntegers().between(BigInteger.TWO.pow(130).negate(), BigInteger.TWO.pow(130))
                .edgeCases(c -> c.includeOnly(BigInteger.valueOf(Integer.MIN_VALUE), BigInteger.valueOf(Integer.MAX_VALUE),
                        BigInteger.valueOf(Integer.MAX_VALUE).add(BigInteger.ONE),
                        BigInteger.valueOf(Long.MIN_VALUE), BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE)))
                .map(b -> b.bitLength() < 32 ? (Object) b.intValue() : b.bitLength() < 64 ? (Object) b.longValue() : b);
    }

    /** Any Unicode text without lone surrogates (Python cannot encode those either). */
    private static Arbitrary<Object> text() {
        return Arbitraries.integers().between(0, 0x10FFFF)
                .filter(cp -> cp < 0xD800 || cp > 0xDFFF)
                .list().ofMaxSize(12)
                .map(cps -> {
                    StringBuilder sb = new StringBuilder();
                    cps.forEach(sb::appendCodePoint);
                    return (Object) sb.toString();
                });
    }

    @Property(tries = 50)
    void javaOnlyTypesArriveAsTheirPythonCounterparts(@ForAll short s, @ForAll byte b, @ForAll float f, @ForAll char c) {
        List<Object> sent = new ArrayList<>(List.of(s, b, f, new int[] {1, 2}, Map.of()));
        Object back = Serializer.loads(Serializer.dumps(sent));
        assertPyEquals(List.of((int) s, (int) b, (double) f, new ArrayList<>(List.of(1, 2)), new LinkedHashMap<>()), back, "$");
        if (!Character.isSurrogate(c)) {
            assertPyEquals(String.valueOf(c), Serializer.loads(Serializer.dumps(c)), "$");
        }
    }
}
