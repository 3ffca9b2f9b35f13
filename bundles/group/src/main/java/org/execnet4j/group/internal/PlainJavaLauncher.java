package org.execnet4j.group.internal;

import org.execnet4j.core.EngineSettings;
import org.execnet4j.core.GatewayLauncher;
import org.execnet4j.core.TransportLocator;
import org.execnet4j.trace.Tracing;

/**
 * The one launcher of plain Java (no OSGi): transports found through {@link java.util.ServiceLoader},
 * tracing as {@code EXECNET_DEBUG} says, default settings. Made on first use and shared by the
 * {@code Execnet} facade and every {@code DefaultGatewayFactory} built without a launcher.
 */
public final class PlainJavaLauncher {
    private PlainJavaLauncher() {
    }

    private static final class Holder {
        static final GatewayLauncher INSTANCE = new GatewayLauncher(
                TransportLocator.serviceLoader(PlainJavaLauncher.class.getClassLoader()),
                EngineSettings.builder().tracer(Tracing.fromEnvironment()).build());
    }

    /** @return the shared launcher */
    public static GatewayLauncher get() {
        return Holder.INSTANCE;
    }
}
