/**
 * Plain implementations of the group API for dependency injection:
 * {@link org.execnet4j.group.DefaultGatewayFactory} carries {@code jakarta.inject} annotations,
 * so Guice, CDI or Spring can build it.
 */
@Export
@Version("0.1.0")
package org.execnet4j.group;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
