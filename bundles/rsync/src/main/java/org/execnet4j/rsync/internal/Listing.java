package org.execnet4j.rsync.internal;

import java.util.List;

/**
 * A tree listed in pre-order (every directory before what it holds), and what could not be listed.
 *
 * @param entries the entries, the root first
 * @param errors one message per entry that could not be read
 */
record Listing(List<Entry> entries, List<String> errors) {
    /** Copies both lists. */
    public Listing {
        entries = List.copyOf(entries);
        errors = List.copyOf(errors);
    }
}
