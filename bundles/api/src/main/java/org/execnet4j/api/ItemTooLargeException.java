package org.execnet4j.api;

/**
 * A value whose encoded form is larger than the gateway's item limit
 * ({@code EngineSettings.maxItemBytes}, the same on both sides): refused at {@code send},
 * on the caller's thread, before anything is written.
 */
public class ItemTooLargeException extends ExecnetException {
    private static final long serialVersionUID = 1L;

    private final long size;
    private final long limit;

    /**
     * @param message what was refused, naming the size and the limit
     * @param size the encoded size in bytes
     * @param limit the limit in bytes
     */
    public ItemTooLargeException(String message, long size, long limit) {
        super(message);
        this.size = size;
        this.limit = limit;
    }

    /** @return the encoded size of the refused item, in bytes */
    public long size() {
        return size;
    }

    /** @return the item limit, in bytes */
    public long limit() {
        return limit;
    }
}
