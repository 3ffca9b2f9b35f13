package org.execnet4j.benchmarks;

import java.util.concurrent.TimeUnit;
import org.execnet4j.serializer.DumpFormat;
import org.execnet4j.serializer.Serializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH benchmark of {@link Serializer#dumps} and {@link Serializer#loads} on the {@link Payloads} value.
 *
 * <p>Each fork's heap is fixed and touched when the JVM starts ({@code -XX:+AlwaysPreTouch}, as
 * servers commonly run): every call allocates 2-3 MB (dumps 2.3 MB, half of it the result; loads
 * 3.1 MB), and without it the first touch of each page of the growing young generation (20-70 us
 * per page on a Firecracker VM) lands in the iterations until the young generation has reached
 * its size, seconds into the measurement.
 * Three forks, so the 99.9% error covers the JVM-to-JVM spread (JIT and heap layout) too.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
public class SerializerBenchmark {
    private Object payload;
    private byte[] dump;

    /** Builds the payload and its dump once per trial. */
    @Setup
    public void setUp() {
        payload = Payloads.build();
        dump = Serializer.dumps(payload, DumpFormat.V1);
    }

    /** Encodes the whole payload (execnet 1.x dump form). */
    @Benchmark
    public byte[] dumps() {
        return Serializer.dumps(payload, DumpFormat.V1);
    }

    /** Decodes the payload's dump into fresh Java values. */
    @Benchmark
    public Object loads() {
        return Serializer.loads(dump);
    }
}
