package org.execnet4j.api;

/**
 * A Java value that has no Python form (execnet's {@code DumpError}). The message names the
 * offending Java type and where it sat in the value, e.g. {@code $[2]["k"]}.
 */
public class DumpException extends DataFormatException {
    private static final long serialVersionUID = 1L;

    private final String path;

    /**
     * @param problem what cannot be dumped, naming the Java type
     * @param path where in the value it sat, e.g. {@code $[2]["k"]}
     */
    public DumpException(String problem, String path) {
        super(problem + " at " + path);
        this.path = path;
    }

    /** @return where in the dumped value the problem sat: {@code $} is the value itself */
    public String path() {
        return path;
    }
}
