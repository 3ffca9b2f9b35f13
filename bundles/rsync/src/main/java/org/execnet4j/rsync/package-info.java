/**
 * Directory sync through gateways, execnet's {@code RSync} and more: {@link org.execnet4j.rsync.RSync}
 * sends a local tree to many gateways at once (only what changed, large files as rsync deltas,
 * streamed in chunks, each file renamed into place), {@link org.execnet4j.rsync.Pull} copies a
 * remote tree here. Depends on the API bundle only; the remote side is Python sent with
 * {@code remoteExec}.
 */
@Export
@Version("0.1.0")
package org.execnet4j.rsync;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
