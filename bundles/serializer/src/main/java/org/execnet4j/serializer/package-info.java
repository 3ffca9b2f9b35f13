/**
 * execnet's value format: {@link org.execnet4j.serializer.Serializer} for the public dump form
 * (a version byte, then the opcodes) and {@link org.execnet4j.serializer.WireFormat} for the
 * form inside gateway frames, where channel references are resolved through
 * {@link org.execnet4j.serializer.ChannelRefs}.
 */
@Export
@Version("0.1.0")
package org.execnet4j.serializer;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
