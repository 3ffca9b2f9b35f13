package org.execnet4j.api.spi;

import java.io.IOException;
import java.time.Duration;

/**
 * Implemented by an {@link java.io.InputStream} whose {@code available()} never blocks (a polled
 * input, see {@link UnixSocketReach}) and that a reader can wait on until it has something to
 * read, instead of looking again and again: a remote's stderr is read that way, since a blocking
 * read of a stream that a process the remote left behind holds open would never end.
 */
public interface AwaitableInput {

    /**
     * Waits until {@code available()} reports bytes, the stream ends or is closed, {@link #wake()}
     * is called (also just before), or the timeout passes.
     *
     * @param timeout how long to wait at most
     * @return false once the stream has ended (end of file, or closed) and everything before was
     *     read; true otherwise
     * @throws IOException when waiting fails
     */
    boolean await(Duration timeout) throws IOException;

    /** Ends the current wait at once; the next one if none is waiting. Any thread may call it. */
    void wake();
}
