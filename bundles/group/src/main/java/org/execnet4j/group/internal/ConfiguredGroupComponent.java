package org.execnet4j.group.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.execnet4j.api.Group;
import org.execnet4j.api.ServiceProperties;
import org.execnet4j.core.EngineSettings;
import org.execnet4j.core.GatewayLauncher;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * One configuration of the factory PID {@value #FACTORY_PID} (a file
 * {@code etc/org.execnet4j.group-NAME.cfg}) becomes one {@link Group} service with the property
 * {@code name=NAME}. Updates reconcile the gateways; deleting the configuration or stopping the
 * bundle terminates them. Gateways start on a thread of the group's own, never on the caller's.
 */
@Component(configurationPid = ConfiguredGroupComponent.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = ConfiguredGroupComponent.Config.class, factory = true)
public final class ConfiguredGroupComponent {
    /** The factory configuration PID. */
    public static final String FACTORY_PID = "org.execnet4j.group";
    /** The value of {@code start} that starts the gateways on first use. */
    public static final String LAZY = ServiceProperties.START_LAZY;

    /** What one configuration of {@value ConfiguredGroupComponent#FACTORY_PID} holds. */
    @ObjectClassDefinition(name = "execnet4j group",
            description = "A group of gateways (Python interpreters) offered as a Group service with the property name=<name>.")
    public @interface Config {

        /** The group's name. */
        @AttributeDefinition(name = "Name", required = false,
                description = "The group's name and its service property 'name'; empty: the configuration's name "
                        + "(workers for etc/org.execnet4j.group-workers.cfg).")
        String name() default "";

        /** The gateways. */
        @AttributeDefinition(name = "Specs", description = "One gateway per spec, e.g. popen//python=python3, "
                + "ssh=build@host//id=b1; several specs may also be given in one value separated by commas.")
        String[] specs() default {};

        /** Seconds to wait for gateways to exit. */
        @AttributeDefinition(name = "Terminate timeout", description = "Seconds a terminating gateway gets to exit "
                + "before it is killed with its descendants.")
        double terminate_timeout() default 5.0;

        /** What makeGateway() without a spec starts. */
        @AttributeDefinition(name = "Default spec", description = "The spec Group.makeGateway() without arguments uses.")
        String defaultSpec() default "popen";

        /** The start policy. */
        @AttributeDefinition(name = "Start", description = "eager: start the gateways when the configuration arrives; "
                + "lazy: on the first call that needs them.",
                options = {@Option(label = "eager", value = "eager"), @Option(label = LAZY, value = LAZY)})
        String start() default "eager";

        /** How the Web Console names a configuration. */
        String webconsole_configurationFactory_nameHint() default "{name}: {specs}";
    }

    private final EngineWiring wiring;
    private final Runnable retryOnArrival = this::retryFailed;
    private final Object lock = new Object();
    private BundleContext context;
    private ExecutorService worker;
    private ConfiguredGroup group;
    private ServiceRegistration<Group> registration;
    private String name;
    private String defaultSpec;

    @Activate
    public ConfiguredGroupComponent(@Reference EngineWiring wiring, BundleContext bundleContext, Config config,
            Map<String, Object> properties) {
        this.wiring = wiring;
        synchronized (lock) {
            context = bundleContext;
            String groupName = nameOf(config, properties);
            worker = Executors.newSingleThreadExecutor(task -> {
                Thread t = new Thread(task, "execnet4j-group-" + groupName);
                t.setDaemon(true);
                return t;
            });
            open(config, groupName);
        }
        wiring.onTransportArrival(retryOnArrival);
    }

    /** A transport arrived: gateways that failed for want of it start now. */
    private void retryFailed() {
        synchronized (lock) {
            if (group != null) {
                ConfiguredGroup current = group;
                worker.execute(current::retryFailed);
            }
        }
    }

    @Modified
    void modified(Config config, Map<String, Object> properties) {
        synchronized (lock) {
            String groupName = nameOf(config, properties);
            if (!groupName.equals(name)) {
                close();
                open(config, groupName);
                return;
            }
            ConfiguredGroup current = group;
            current.configure(specs(config), config.defaultSpec(), isLazy(config), timeout(config));
            if (registration != null) {
                registration.setProperties(serviceProperties(current));
            }
            worker.execute(current::reconcile);
        }
    }

    @Deactivate
    void deactivate() {
        wiring.removeTransportArrival(retryOnArrival);
        ExecutorService ending;
        synchronized (lock) {
            close();
            ending = worker;
            ending.shutdown();
        }
        try {
            ending.awaitTermination(EngineSettings.DEFAULT_BOOTSTRAP_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void open(Config config, String groupName) {
        name = groupName;
        defaultSpec = config.defaultSpec();
        Duration timeout = timeout(config);
        GatewayLauncher launcher = wiring.launcher(timeout);
        ConfiguredGroup created = new ConfiguredGroup(groupName, launcher, defaultSpec, specs(config), isLazy(config), timeout);
        group = created;
        if (created.isLazy()) {
            register(created);
        } else {
            worker.execute(() -> {
                created.reconcile();
                register(created);
            });
        }
    }

    private void register(ConfiguredGroup created) {
        synchronized (lock) {
            if (group == created && registration == null) {
                registration = context.registerService(Group.class, created, serviceProperties(created));
            }
        }
    }

    /** Unregisters the current group and terminates its gateways (on this thread, within the timeout). */
    private void close() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregistered it with the bundle
            }
            registration = null;
        }
        ConfiguredGroup ending = group;
        group = null;
        ending.shutdown();
    }

    private static Dictionary<String, Object> serviceProperties(ConfiguredGroup group) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(ServiceProperties.GROUP_NAME, group.name());
        props.put(ServiceProperties.GROUP_SPECS, group.specs().toArray(String[]::new));
        props.put(ServiceProperties.GROUP_START, group.isLazy() ? LAZY : ServiceProperties.START_EAGER);
        props.put("service.description", "execnet4j group " + group.name());
        return props;
    }

    static String nameOf(Config config, Map<String, Object> properties) {
        if (!config.name().isBlank()) {
            return config.name().strip();
        }
        String pid = String.valueOf(properties.get("service.pid"));
        int tilde = pid.indexOf('~');
        return tilde >= 0 ? pid.substring(tilde + 1) : pid;
    }

    static List<String> specs(Config config) {
        List<String> specs = new ArrayList<>();
        for (String value : config.specs()) {
            for (String spec : value.split(",")) {
                if (!spec.isBlank()) {
                    specs.add(spec.strip());
                }
            }
        }
        return specs;
    }

    private static boolean isLazy(Config config) {
        return LAZY.equalsIgnoreCase(config.start().strip());
    }

    private static Duration timeout(Config config) {
        return Duration.ofMillis(Math.round(config.terminate_timeout() * 1000));
    }
}
