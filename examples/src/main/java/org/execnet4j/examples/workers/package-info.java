/**
 * An example bundle using execnet4j as a bundle of yours would:
 * {@link org.execnet4j.examples.workers.WorkersReport} gets the {@code GatewayFactory} and the
 * configured group {@code workers} injected by Declarative Services.
 */
@Export
@Version("0.1.0")
package org.execnet4j.examples.workers;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
