package org.execnet4j.serializer.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import org.execnet4j.api.DataFormatException;

/**
 * Standard UTF-8 (4 bytes for supplementary characters, NUL as 0x00): strict decoding of
 * untrusted bytes (Python refuses malformed UTF-8, and so do we), and encoding of strings
 * without lone surrogates (which Python cannot encode either).
 */
final class Utf8 {
    private Utf8() {
    }

    /**
     * Writes the UTF-8 of {@code s} at {@code at} of {@code out}, which has room for it: 3 bytes
     * per char, or {@link #encodedLength}.
     *
     * @return where the UTF-8 ends, or {@code -1 - i} if the char at index {@code i} is a lone
     *     surrogate (then the bytes written are no string's)
     */
    static int encode(String s, byte[] out, int at) {
        int n = s.length();
        int p = at;
        int i = 0;
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return encodeFrom(s, i, out, p);
            }
            out[p++] = (byte) c;
        }
        return p;
    }

    /** {@link #encode} from the char at {@code i} on, the first that is not ASCII. */
    private static int encodeFrom(String s, int from, byte[] out, int at) {
        int n = s.length();
        int p = at;
        for (int i = from; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out[p++] = (byte) c;
            } else if (c < 0x800) {
                out[p++] = (byte) (0xC0 | (c >> 6));
                out[p++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                char low = i + 1 < n ? s.charAt(i + 1) : 0;
                if (!Character.isHighSurrogate(c) || !Character.isLowSurrogate(low)) {
                    return -1 - i;
                }
                int cp = Character.toCodePoint(c, low);
                i++;
                out[p++] = (byte) (0xF0 | (cp >> 18));
                out[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                out[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                out[p++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                out[p++] = (byte) (0xE0 | (c >> 12));
                out[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                out[p++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return p;
    }

    /**
     * The length of the UTF-8 of {@code s}, counting 2 bytes for each surrogate char (so a
     * pair's 4 exactly, and a lone one, which {@link #encode} refuses, no less than it writes
     * before it).
     */
    static long encodedLength(String s) {
        long bytes = 0;
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
        }
        return bytes;
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
