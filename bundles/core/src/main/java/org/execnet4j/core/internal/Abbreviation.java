package org.execnet4j.core.internal;

/** Long values (a spec with a 200 KB {@code python=}) quoted in error messages by their start and length. */
public final class Abbreviation {
    /** Values up to this many characters are quoted whole. */
    static final int MAX_QUOTED = 200;
    private static final int KEPT = 160;

    private Abbreviation() {
    }

    /**
     * @param value anything; its {@code toString()} is quoted
     * @return the text whole when short, else its first characters and its length
     */
    public static String of(Object value) {
        String text = String.valueOf(value);
        if (text.length() <= MAX_QUOTED) {
            return text;
        }
        return text.substring(0, KEPT) + "... (" + text.length() + " characters)";
    }

    /**
     * @param id the gateway's id
     * @param spec its spec
     * @return {@code gateway <id> (<spec>)}, the spec abbreviated
     */
    public static String gateway(String id, Object spec) {
        return "gateway " + id + " (" + of(spec) + ")";
    }
}
