package org.execnet4j.transport.socket.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.execnet4j.api.Connection;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.ServiceProperties;
import org.execnet4j.api.Spec;
import org.execnet4j.api.Transport;
import org.execnet4j.transport.socket.SocketTransport;
import org.execnet4j.transport.socket.SocketTransportOptions;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The socket transport as an OSGi service ({@code execnet.transport=socket}), configured by the
 * optional PID {@value #PID}: {@code token.file} (the token for servers started with
 * {@code --token-file}, unless a spec names one), {@code connect.timeout} and
 * {@code handshake.timeout} (seconds).
 */
@Component(service = Transport.class, configurationPid = SocketTransportComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, property = ServiceProperties.TRANSPORT_TYPE + "=" + SocketTransport.TYPE)
@Designate(ocd = SocketTransportComponent.Config.class)
public final class SocketTransportComponent implements Transport {
    /** The configuration PID. */
    public static final String PID = "org.execnet4j.transport.socket";

    /** The configuration's form, for the Web Console and other Metatype tools. */
    @ObjectClassDefinition(name = "execnet4j socket transport",
            description = "How socket=HOST:PORT gateways connect to a socket server.")
    public @interface Config {

        /** {@return the token file's path, or empty} */
        @AttributeDefinition(name = "Token file", required = false, description = "The token for servers started "
                + "with --token-file, unless a spec names its own (token-file=PATH). Empty: no token.")
        String token_file() default "";

        /** {@return the connect timeout in seconds} */
        @AttributeDefinition(name = "Connect timeout", description = "Seconds a connection may take to open.")
        double connect_timeout() default 10;

        /** {@return the token-challenge timeout in seconds} */
        @AttributeDefinition(name = "Handshake timeout", description = "Seconds the server may take for each line "
                + "of its token challenge.")
        double handshake_timeout() default 10;
    }

    private final SocketTransport transport;

    /**
     * Builds the transport from the configuration.
     *
     * @param config the component properties
     * @throws IllegalArgumentException naming the property when a timeout is not a positive number
     */
    @Activate
    public SocketTransportComponent(Map<String, Object> config) {
        this.transport = new SocketTransport(options(config));
    }

    /**
     * The options a configuration asks for.
     *
     * @param config the component properties
     * @return the options
     * @throws IllegalArgumentException naming the property when a timeout is not a positive number
     */
    static SocketTransportOptions options(Map<String, Object> config) {
        SocketTransportOptions options = SocketTransportOptions.DEFAULTS.withTimeouts(
                seconds(config, "connect.timeout", SocketTransportOptions.DEFAULT_CONNECT_TIMEOUT),
                seconds(config, "handshake.timeout", SocketTransportOptions.DEFAULT_HANDSHAKE_TIMEOUT));
        Object file = config.get("token.file");
        return file == null || String.valueOf(file).isBlank() ? options : options.withTokenFile(Path.of(String.valueOf(file).strip()));
    }

    private static Duration seconds(Map<String, Object> config, String key, Duration fallback) {
        Object value = config.get(key);
        if (value == null || String.valueOf(value).isBlank()) {
            return fallback;
        }
        try {
            double s = Double.parseDouble(String.valueOf(value).strip());
            if (s > 0) {
                return Duration.ofMillis(Math.round(s * 1000));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(PID + ": " + key + " = " + value + " is not a positive number of seconds");
    }

    @Override
    public String type() {
        return transport.type();
    }

    @Override
    public boolean connectsToServer() {
        return true;
    }

    @Override
    public Connection open(Spec spec, List<String> pythonArgs) throws IOException {
        return transport.open(spec, pythonArgs);
    }

    @Override
    public Connection openInstalledVia(Spec spec, Gateway host) throws IOException {
        return transport.openInstalledVia(spec, host);
    }
}
