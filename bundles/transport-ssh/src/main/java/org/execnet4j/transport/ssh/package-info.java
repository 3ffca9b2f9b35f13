/**
 * The ssh transport and what users configure about it: host-key checking,
 * credentials and timeouts ({@link org.execnet4j.transport.ssh.SshTransportOptions}).
 */
@Export
@Version("0.1.0")
package org.execnet4j.transport.ssh;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
