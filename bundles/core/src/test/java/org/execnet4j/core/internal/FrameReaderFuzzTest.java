package org.execnet4j.core.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.execnet4j.testing.Allocations;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the frame reader (issue 9): any byte stream yields frames, a clean end, an
 * {@link EOFException} for a stream cut inside a frame, or a {@link ProtocolException}, never
 * another exception, and allocates at most a bounded multiple of its size (plus one declared
 * payload while the reader still allocates it up front). Replayed in the build with the frames
 * of vectors/transcript_popen.json; fuzzed with {@code JAZZER_FUZZ=1} or benchmarks/fuzz.sh.
 */
public class FrameReaderFuzzTest {
    private static final int MAX_PAYLOAD = 1 << 20;
    private static final long PER_INPUT_BYTE = 8;
    private static final long SLACK = MAX_PAYLOAD + (1 << 20);

    /**
     * Reads frames until the stream ends; the entry point of Jazzer's standalone driver.
     *
     * @param input any bytes, as the remote's stream
     */
    public static void fuzzerTestOneInput(byte[] input) {
        Allocations.assertBounded(() -> readAll(input), input.length, PER_INPUT_BYTE, SLACK,
                () -> "stream " + HexFormat.of().formatHex(input, 0, Math.min(input.length, 200)));
    }

    private static void readAll(byte[] input) {
        FrameReader reader = new FrameReader(new ByteArrayInputStream(input), MAX_PAYLOAD);
        try {
            while (reader.read() != null) {
                // next frame
            }
        } catch (ProtocolException | EOFException e) {
            // refused or cut: fine
        } catch (IOException e) {
            throw new AssertionError("unexpected " + e, e);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void read(byte[] input) {
        fuzzerTestOneInput(input);
    }

    @Test
    void theTranscriptsFramesKeepTheInvariants() throws IOException {
        JsonNode transcript = new ObjectMapper().readTree(Files.readString(
                Path.of(System.getProperty("execnet4j.vectors.dir", "../../vectors"), "transcript_popen.json")));
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (String direction : new String[] {"host_to_remote", "remote_to_host"}) {
            transcript.get(direction).forEach(frame -> {
                byte[] bytes = HexFormat.of().parseHex(frame.get("frame_hex").asText());
                fuzzerTestOneInput(bytes);
                fuzzerTestOneInput(Arrays.copyOf(bytes, bytes.length - 1));
                stream.writeBytes(bytes);
            });
        }
        fuzzerTestOneInput(stream.toByteArray());
    }
}
