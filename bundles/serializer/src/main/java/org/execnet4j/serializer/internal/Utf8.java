package org.execnet4j.serializer.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import org.execnet4j.api.DataFormatException;

/** Strict UTF-8 decoding of untrusted bytes (Python refuses malformed UTF-8, and so do we). */
final class Utf8 {
    private Utf8() {
    }

    /**
     * The JDK's fast decoder first (ASCII becomes a Latin-1 string in one copy); it replaces
     * malformed input with U+FFFD, so only a string containing U+FFFD is decoded again strictly,
     * to tell a real U+FFFD from an error.
     *
     * @throws DataFormatException if the bytes are not valid UTF-8
     */
    static String decode(byte[] in, int start, int n) {
        String s = new String(in, start, n, StandardCharsets.UTF_8);
        return s.indexOf('\uFFFD') < 0 ? s : strict(in, start, n);
    }

    private static String strict(byte[] in, int start, int n) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(in, start, n))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new DataFormatException("string at byte " + start + " is not valid UTF-8", e);
        }
    }
}
