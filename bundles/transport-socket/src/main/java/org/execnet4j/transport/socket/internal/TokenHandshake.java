package org.execnet4j.transport.socket.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The client side of the socket server's token challenge: the server sends
 * {@code execnet4j-auth-1 <nonce>}, the client answers the hex HMAC-SHA256 of that line (without
 * newline) keyed with the token, and the server answers {@code ok} or {@code denied}. The token
 * never travels. Lines end with {@code \n}; nothing is read beyond the server's verdict.
 */
public final class TokenHandshake {
    /** The first word of the server's challenge line. */
    public static final String PROTOCOL = "execnet4j-auth-1";
    private static final int MAX_LINE = 256;

    private TokenHandshake() {
    }

    /**
     * Reads a token file: its bytes without leading and trailing whitespace.
     *
     * @param file the token file
     * @return the token
     * @throws IOException when the file cannot be read or holds no token
     */
    public static byte[] readToken(Path file) throws IOException {
        byte[] raw;
        try {
            raw = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IOException("cannot read the token file " + file + ": " + e, e);
        }
        int start = 0;
        int end = raw.length;
        while (start < end && isSpace(raw[start])) {
            start++;
        }
        while (end > start && isSpace(raw[end - 1])) {
            end--;
        }
        if (start == end) {
            throw new IOException("the token file " + file + " is empty");
        }
        byte[] token = new byte[end - start];
        System.arraycopy(raw, start, token, 0, token.length);
        return token;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == 0x0b || b == 0x0c;
    }

    /**
     * Proves knowledge of the token to the server at the other end of the socket.
     *
     * @param socket the connected socket; its read timeout is restored to none afterwards
     * @param token the token
     * @param timeout how long the server may take for each of its lines
     * @param where the address, for messages
     * @throws IOException when the server sends no challenge, refuses the token or closes
     */
    public static void authenticate(Socket socket, byte[] token, Duration timeout, String where) throws IOException {
        socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        try {
            String challenge = readLine(socket.getInputStream(), where, "its token challenge", timeout);
            if (!challenge.startsWith(PROTOCOL + " ")) {
                throw new IOException("the server at " + where + " sent no token challenge (it sent '"
                        + printable(challenge) + "'): is it execnet4j's socket server started with --token-file?");
            }
            socket.getOutputStream().write((answer(token, challenge) + "\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String verdict = readLine(socket.getInputStream(), where, "its answer to the token", timeout);
            if (!verdict.equals("ok")) {
                throw new IOException("the server at " + where + " refused the token (wrong token)");
            }
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(0);
            }
        }
    }

    /**
     * The answer to a challenge line.
     *
     * @param token the token
     * @param challenge the server's line without newline
     * @return the lower-case hex HMAC-SHA256 of the line keyed with the token
     */
    public static String answer(byte[] token, String challenge) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(token, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(challenge.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    private static String readLine(InputStream in, String where, String what, Duration timeout) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("the server at " + where + " closed the connection instead of sending " + what
                            + (what.startsWith("its answer") ? " (wrong token?)" : ""));
                }
                if (line.size() >= MAX_LINE) {
                    throw new IOException("the server at " + where + " sent a line longer than " + MAX_LINE
                            + " bytes instead of " + what);
                }
                line.write(b);
            }
        } catch (SocketTimeoutException e) {
            throw new IOException("the server at " + where + " did not send " + what + " within " + timeout
                    + (line.size() == 0 && what.contains("challenge") ? " (does it run without --token-file?)" : ""), e);
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    private static String printable(String text) {
        String shown = text.length() > 60 ? text.substring(0, 60) + "..." : text;
        return shown.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
