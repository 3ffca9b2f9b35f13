package org.execnet4j.group.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.execnet4j.api.Group;
import org.execnet4j.api.ServiceProperties;
import org.execnet4j.core.EngineSettings;
import org.execnet4j.core.GatewayLauncher;
import org.execnet4j.group.GroupConfiguration;
import org.execnet4j.group.GroupHealth;
import org.execnet4j.group.InvalidGroupConfigurationException;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configuration of the factory PID {@value #FACTORY_PID} (a file
 * {@code etc/org.execnet4j.group-NAME.cfg}) becomes one {@link Group} (and {@link GroupHealth}) service with the property
 * {@code name=NAME}. Updates reconcile the gateways; deleting the configuration or stopping the
 * bundle terminates them. Gateways start on a thread of the group's own, never on the caller's,
 * and only once a transport for their type is there (no failed first start at boot). A transport
 * that goes away takes its gateways with it; they come back with it. A configuration that cannot
 * be used leaves the group on its last good configuration (or empty), with the problem in the
 * service property {@value ServiceProperties#GROUP_ERROR}; gateways that did not start are listed in
 * {@value ServiceProperties#GROUP_FAILURES}.
 */
@Component(configurationPid = ConfiguredGroupComponent.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = ConfiguredGroupComponent.Config.class, factory = true)
public final class ConfiguredGroupComponent {
    /** The factory configuration PID. */
    public static final String FACTORY_PID = "org.execnet4j.group";

    /** What one configuration of {@value ConfiguredGroupComponent#FACTORY_PID} holds. */
    @ObjectClassDefinition(name = "execnet4j group",
            description = "A group of gateways (Python interpreters) offered as a Group service with the property name=<name>.")
    public @interface Config {

        /** {@return the group's name; empty for the configuration's name} */
        @AttributeDefinition(name = "Name", required = false,
                description = "The group's name and its service property 'name'; empty: the configuration's name "
                        + "(workers for etc/org.execnet4j.group-workers.cfg).")
        String name() default "";

        /** {@return the gateways' spec strings, one per gateway (or several separated by commas)} */
        @AttributeDefinition(name = "Specs", description = "One gateway per spec, e.g. popen//python=python3, "
                + "ssh=build@host//id=b1; several specs may also be given in one value separated by commas.")
        String[] specs() default {};

        /** {@return the seconds a terminating gateway gets to exit before it is killed} */
        @AttributeDefinition(name = "Terminate timeout", description = "Seconds a terminating gateway gets to exit "
                + "before it is killed with its descendants.")
        double terminate_timeout() default 5.0;

        /** {@return the spec makeGateway() without arguments starts} */
        @AttributeDefinition(name = "Default spec", description = "The spec Group.makeGateway() without arguments uses.")
        String defaultSpec() default "popen";

        /** {@return the start policy: {@code eager} or {@code lazy}} */
        @AttributeDefinition(name = "Start", description = "eager: start the gateways when the configuration arrives; "
                + "lazy: on the first call that needs them.",
                options = {@Option(label = "eager", value = "eager"), @Option(label = "lazy", value = "lazy")})
        String start() default "eager";

        /** {@return whether the group's popen gateways are forked from warm interpreters of its own} */
        @AttributeDefinition(name = "Warm start", required = false, description = "true: popen gateways are forked "
                + "from a warm interpreter of the group's own (one per Python and execution model; it ends with the "
                + "group); false: each starts a fresh interpreter. Empty: the system property execnet4j.warmStart, "
                + "default off. A spec with //fresh always starts fresh.")
        String warmStart() default "";

        /** {@return the pattern the Web Console names a configuration with} */
        String webconsole_configurationFactory_nameHint() default "{name}: {specs}";
    }

    private static final Logger LOG = LoggerFactory.getLogger(ConfiguredGroupComponent.class);
    private static final String FILEINSTALL_FILENAME = "felix.fileinstall.filename";

    private final EngineWiring wiring;
    private final Runnable retryOnArrival = this::retryFailed;
    private final Consumer<String> endOnDeparture = this::transportGone;
    private final Object lock = new Object();
    private final BundleContext context;
    private final ExecutorService worker;
    private ConfiguredGroup group;
    private ServiceRegistration<?> registration;
    private String name;
    private String error;

    /**
     * Applies the first configuration.
     *
     * @param wiring the transports and the tracer
     * @param bundleContext the group bundle's context, to register the group with
     * @param properties the configuration
     */
    @Activate
    public ConfiguredGroupComponent(@Reference EngineWiring wiring, BundleContext bundleContext,
            Map<String, Object> properties) {
        this.wiring = wiring;
        this.context = bundleContext;
        String threadName = "execnet4j-group-" + defaultName(properties);
        this.worker = Executors.newSingleThreadExecutor(task -> {
            Thread t = new Thread(task, threadName);
            t.setDaemon(true);
            return t;
        });
        synchronized (lock) {
            apply(properties);
        }
        wiring.onTransportArrival(retryOnArrival);
        wiring.onTransportDeparture(endOnDeparture);
    }

    /** A transport arrived: gateways that waited for it, or failed for want of it, start now. */
    private void retryFailed() {
        synchronized (lock) {
            if (group != null) {
                ConfiguredGroup current = group;
                worker.execute(() -> {
                    current.retryFailed();
                    publish(current);
                });
            }
        }
    }

    /** A transport went away: its gateways end now (on the unregistering thread), and come back with it. */
    private void transportGone(String type) {
        ConfiguredGroup current;
        synchronized (lock) {
            current = group;
        }
        if (current != null) {
            current.transportGone(type);
            publish(current);
        }
    }

    /** Applies an updated configuration; a bad one is reported and the group keeps the one it runs with. */
    @Modified
    void modified(Map<String, Object> properties) {
        synchronized (lock) {
            apply(properties);
        }
    }

    @Deactivate
    void deactivate() {
        wiring.removeTransportArrival(retryOnArrival);
        wiring.removeTransportDeparture(endOnDeparture);
        synchronized (lock) {
            close();
            worker.shutdown();
        }
        try {
            worker.awaitTermination(EngineSettings.DEFAULT_BOOTSTRAP_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void apply(Map<String, Object> properties) {
        GroupConfiguration config;
        try {
            config = parse(properties);
        } catch (InvalidGroupConfigurationException e) {
            error = e.problems().stream().map(GroupConfiguration.Problem::toString).collect(Collectors.joining("; "));
            LOG.warn("group {}: configuration {} not used: {}", e.groupName(), properties.get("service.pid"), error);
            if (group == null || !e.groupName().equals(name)) {
                close();
                openEmpty(e.groupName());
            } else {
                publish(group);
            }
            return;
        }
        error = null;
        if (group == null || !config.name().equals(name)) {
            close();
            open(config);
            return;
        }
        ConfiguredGroup current = group;
        current.configure(config.specs(), config.defaultSpec(), config.isLazy(), config.terminateTimeout());
        current.setWarmStart(config.warmStart());
        publish(current);
        worker.execute(() -> {
            current.reconcile();
            publish(current);
        });
    }

    private void open(GroupConfiguration config) {
        ConfiguredGroup created = create(config.name(), config.defaultSpec(), config.specs(), config.isLazy(),
                config.terminateTimeout());
        created.setWarmStart(config.warmStart());
        if (created.isLazy()) {
            register(created);
        } else {
            worker.execute(() -> {
                created.reconcile();
                register(created);
            });
        }
    }

    /** A group for a configuration that cannot be used: no gateways, registered with its error. */
    private void openEmpty(String groupName) {
        register(create(groupName, GroupConfiguration.DEFAULT_DEFAULT_SPEC, List.of(), false,
                GroupConfiguration.DEFAULT_TERMINATE_TIMEOUT));
    }

    private ConfiguredGroup create(String groupName, String defaultSpec, List<String> specs, boolean lazy,
            Duration timeout) {
        name = groupName;
        GatewayLauncher launcher = wiring.launcher(timeout);
        group = new ConfiguredGroup(new GatewayGroup(groupName, launcher, defaultSpec, (g, occupied) -> { }, wiring.gatewayEvents()),
                type -> wiring.transportTypes().contains(type), specs, lazy, timeout);
        return group;
    }

    private void register(ConfiguredGroup created) {
        synchronized (lock) {
            if (group == created && registration == null) {
                registration = context.registerService(new String[] {Group.class.getName(), GroupHealth.class.getName()}, created,
                        serviceProperties(created));
            }
        }
    }

    /** Brings the group's service properties (failures, error) up to date. */
    private void publish(ConfiguredGroup current) {
        synchronized (lock) {
            if (group == current && registration != null) {
                registration.setProperties(serviceProperties(current));
            }
        }
    }

    /** Unregisters the current group, if any, and terminates its gateways (on this thread, within the timeout). */
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
        if (ending != null) {
            ending.shutdown();
        }
    }

    private Dictionary<String, Object> serviceProperties(ConfiguredGroup group) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(ServiceProperties.GROUP_NAME, group.name());
        props.put(ServiceProperties.GROUP_SPECS, group.specs().toArray(String[]::new));
        props.put(ServiceProperties.GROUP_START, group.isLazy() ? ServiceProperties.START_LAZY : ServiceProperties.START_EAGER);
        props.put("service.description", "execnet4j group " + group.name());
        Map<String, String> failures = group.failures();
        if (!failures.isEmpty()) {
            props.put(ServiceProperties.GROUP_FAILURES, group.specs().stream().filter(failures::containsKey)
                    .map(spec -> spec + ": " + failures.get(spec)).toArray(String[]::new));
        }
        if (error != null) {
            props.put(ServiceProperties.GROUP_ERROR, error);
        }
        return props;
    }

    /**
     * Parses a configuration's properties; the name defaults to {@link #defaultName}.
     *
     * @throws InvalidGroupConfigurationException naming every bad key and value
     */
    static GroupConfiguration parse(Map<String, Object> properties) {
        return GroupConfiguration.parse(defaultName(properties), properties, GroupConfiguration.UnknownKeys.IGNORE);
    }

    /**
     * The name of a group whose configuration names none: NAME of the file
     * {@code org.execnet4j.group-NAME.cfg} it came from (FileInstall's, or the one Karaf's
     * {@code config:edit --factory --alias NAME} writes), else the part of the PID after '~', else the PID.
     *
     * @param properties the configuration's properties
     * @return the name
     */
    public static String defaultName(Map<String, Object> properties) {
        Object file = properties.get(FILEINSTALL_FILENAME);
        if (file != null) {
            String fileName = Path.of(file.toString().replaceFirst("^file:", "")).getFileName().toString();
            String prefix = FACTORY_PID + "-";
            if (fileName.startsWith(prefix)) {
                return fileName.substring(prefix.length()).replaceFirst("\\.(cfg|config)$", "");
            }
        }
        String pid = String.valueOf(properties.get("service.pid"));
        int tilde = pid.indexOf('~');
        return tilde >= 0 ? pid.substring(tilde + 1) : pid;
    }
}
