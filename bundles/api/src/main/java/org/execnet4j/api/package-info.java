/**
 * The public API of execnet4j: gateways, channels, groups, the Python value types that travel
 * over channels, gateway specs and the exception tree. Depends on nothing.
 */
@Export
@Version("0.1.0")
package org.execnet4j.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
