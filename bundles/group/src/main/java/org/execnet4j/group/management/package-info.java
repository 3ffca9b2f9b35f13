/**
 * The JMX view of execnet4j's groups and gateways: {@link org.execnet4j.group.management.GroupMBean}
 * ({@code org.execnet4j:type=Group,name=NAME}) and {@link org.execnet4j.group.management.GatewayMBean}
 * ({@code org.execnet4j:type=Gateway,group=NAME,id=ID}), registered as OSGi services with a
 * {@code jmx.objectname} property, so Karaf's MBean server and its JMX ACLs pick them up.
 */
@Export
@Version("0.1.0")
package org.execnet4j.group.management;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
