package org.execnet4j.transport.ssh.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** POSIX shell word splitting and quoting, for ssh arguments and the remote command line. */
final class Shell {
    private Shell() {
    }

    /** Splits text into words: whitespace separates, '…' and "…" quote, backslash escapes. */
    static List<String> split(String text) throws IOException {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'') {
                int end = text.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IOException("unclosed ' in '" + text + "'");
                }
                word.append(text, i + 1, end);
                i = end;
                inWord = true;
            } else if (c == '"') {
                int j = i + 1;
                for (; j < text.length() && text.charAt(j) != '"'; j++) {
                    char d = text.charAt(j);
                    if (d == '\\' && j + 1 < text.length() && "\\\"$`".indexOf(text.charAt(j + 1)) >= 0) {
                        d = text.charAt(++j);
                    }
                    word.append(d);
                }
                if (j >= text.length()) {
                    throw new IOException("unclosed \" in '" + text + "'");
                }
                i = j;
                inWord = true;
            } else if (c == '\\' && i + 1 < text.length()) {
                word.append(text.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** One word quoted so that a POSIX shell reads it back unchanged. */
    static String quote(String word) {
        if (!word.isEmpty() && word.chars().allMatch(c -> Character.isLetterOrDigit(c) || "@%+=:,./-_".indexOf(c) >= 0)) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** Words quoted and joined with spaces. */
    static String join(List<String> words) {
        StringBuilder sb = new StringBuilder();
        for (String w : words) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(quote(w));
        }
        return sb.toString();
    }
}
