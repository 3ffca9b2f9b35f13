/**
 * Helpers for those who write a {@link org.execnet4j.api.Transport} (quoting command lines for a
 * remote shell, the descendants of a local process), and what a transport implements to let
 * gateways be forked on the machine its interpreters run on ({@link org.execnet4j.api.spi.UnixSocketReach});
 * not for application code.
 */
@Export
@Version("0.1.0")
package org.execnet4j.api.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
