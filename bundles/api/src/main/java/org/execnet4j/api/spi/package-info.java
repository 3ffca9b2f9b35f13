/**
 * Helpers for those who write a {@link org.execnet4j.api.Transport} (quoting command lines for a
 * remote shell), not for application code.
 */
@Export
@Version("0.1.0")
package org.execnet4j.api.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
