package org.execnet4j.trace.internal;

import java.nio.file.Path;
import java.util.Map;

import org.execnet4j.api.Tracer;
import org.execnet4j.trace.SwitchableTracer;
import org.execnet4j.trace.Tracing;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * The {@link Tracer} service of an OSGi framework, switched by the configuration
 * {@value #PID}: its {@code debug} key takes {@code EXECNET_DEBUG}'s values; without it the
 * environment decides, as in plain Java. The service object stays the same when the
 * configuration changes, so users see the switch at once.
 */
@Component(configurationPid = TraceComponent.PID, service = Tracer.class)
@Designate(ocd = TraceComponent.Config.class)
public final class TraceComponent extends SwitchableTracer {
    /** The configuration PID. */
    public static final String PID = "org.execnet4j.trace";

    /** What the configuration {@value TraceComponent#PID} holds. */
    @ObjectClassDefinition(name = "execnet4j tracing",
            description = "Traces the frames and life-cycle events of every gateway, as EXECNET_DEBUG does for execnet.")
    public @interface Config {

        /** {@return the {@code EXECNET_DEBUG} value} */
        @AttributeDefinition(name = "Debug", description = "Empty: off; 1: a trace file per process; 2: stderr. "
                + "Remote agents get the same setting.",
                options = {@Option(label = "off", value = ""), @Option(label = "trace file", value = "1"),
                    @Option(label = "stderr", value = "2")})
        String debug() default "";

        /** {@return where trace files go} */
        @AttributeDefinition(name = "Directory", description = "Where trace files are created; empty: java.io.tmpdir.")
        String directory() default "";
    }

    @Activate
    @Modified
    void configure(Config config, Map<String, Object> properties) {
        Tracer next;
        if (properties.containsKey("debug")) {
            String dir = config.directory().isBlank() ? System.getProperty("java.io.tmpdir") : config.directory();
            next = Tracing.forSetting(config.debug(), Path.of(dir));
        } else {
            next = Tracing.fromEnvironment();
        }
        close(set(next));
    }

    @Deactivate
    void deactivate() {
        close(set(Tracer.OFF));
    }

    private static void close(Tracer tracer) {
        if (tracer instanceof FileTracer file) {
            file.close();
        }
    }
}
