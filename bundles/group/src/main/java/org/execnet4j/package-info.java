/** The plain-Java entry point of execnet4j: {@link org.execnet4j.Execnet}. */
@Export
@Version("0.1.0")
package org.execnet4j;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
