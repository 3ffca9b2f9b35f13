package org.execnet4j.api.spi;

import java.util.ArrayList;
import java.util.List;

/**
 * POSIX shell words, for spec values that are command lines ({@code python=env X=1 python3},
 * {@code ssh=-p 2222 user@host}) and for the command a transport has a remote shell run.
 */
public final class ShellWords {
    private ShellWords() {
    }

    /**
     * Splits text into words as a POSIX shell does: whitespace separates, {@code '...'} and
     * {@code "..."} quote, a backslash escapes the next character.
     *
     * @param text the text, e.g. {@code -p 2222 user@host}
     * @return the words
     * @throws IllegalArgumentException on an unclosed quote
     */
    public static List<String> split(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'') {
                int end = text.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unclosed ' in '" + text + "'");
                }
                word.append(text, i + 1, end);
                i = end;
                inWord = true;
            } else if (c == '"') {
                i = doubleQuoted(text, i + 1, word);
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

    /** Appends a double-quoted part starting after its quote; returns the index of the closing quote. */
    private static int doubleQuoted(String text, int from, StringBuilder word) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                return i;
            }
            if (c == '\\' && i + 1 < text.length() && "\\\"$`".indexOf(text.charAt(i + 1)) >= 0) {
                c = text.charAt(++i);
            }
            word.append(c);
        }
        throw new IllegalArgumentException("unclosed \" in '" + text + "'");
    }

    /**
     * One word quoted so that a POSIX shell reads it back unchanged.
     *
     * @param word the word
     * @return the word as is when it needs no quoting, else single-quoted
     */
    public static String quote(String word) {
        if (!word.isEmpty() && word.chars().allMatch(c -> Character.isLetterOrDigit(c) || "@%+=:,./-_".indexOf(c) >= 0)) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /**
     * The command line a remote shell runs: {@code program} verbatim (it may hold several words,
     * e.g. {@code env X=1 python3}), then every argument quoted.
     *
     * @param program the program and its leading words
     * @param args the arguments, each quoted
     * @return the command line
     */
    public static String commandLine(String program, List<String> args) {
        StringBuilder line = new StringBuilder(program.strip());
        for (String arg : args) {
            line.append(' ').append(quote(arg));
        }
        return line.toString();
    }
}
