package org.execnet4j.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.execnet4j.api.Group;

/** Asks for a group nobody configured. */
@ApplicationScoped
public class MissingGroupUser {
    @Inject
    @ExecnetGroup("nosuch")
    Group nosuch;
}
