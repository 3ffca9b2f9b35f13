/**
 * Tracing as execnet's {@code EXECNET_DEBUG} does it: {@link org.execnet4j.trace.Tracing} turns
 * the setting into a {@link org.execnet4j.api.Tracer}.
 */
@Export
@Version("0.1.0")
package org.execnet4j.trace;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
