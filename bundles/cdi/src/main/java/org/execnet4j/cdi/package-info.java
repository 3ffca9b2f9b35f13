/**
 * execnet4j in CDI containers: inject {@link org.execnet4j.api.GatewayFactory} (application
 * scoped) and configured groups with {@link org.execnet4j.cdi.ExecnetGroup}; observe
 * {@link org.execnet4j.cdi.GatewayStarted} and {@link org.execnet4j.cdi.GatewayEnded}. Adding the
 * jar is all it takes: the portable extension is found through {@code META-INF/services}.
 */
@Export
@Version("0.1.0")
package org.execnet4j.cdi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
