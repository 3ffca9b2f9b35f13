/**
 * The gateway engine's entry points: {@link org.execnet4j.core.GatewayLauncher} starts a
 * gateway over any {@link org.execnet4j.api.Transport}, with the timeouts and limits of
 * {@link org.execnet4j.core.EngineSettings}.
 */
@Export
@Version("0.1.0")
package org.execnet4j.core;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
