package org.execnet4j.rsync.internal;

import java.io.IOException;

/** A source file that was listed is gone by the time it is read: skipped, not an error. */
final class SourceGone extends IOException {
    private static final long serialVersionUID = 1L;

    SourceGone(String path) {
        super(path + " vanished during the sync");
    }
}
