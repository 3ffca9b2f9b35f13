package org.execnet4j.group.internal;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.execnet4j.api.Group;
import org.execnet4j.api.Tracer;
import org.execnet4j.api.Transport;
import org.execnet4j.core.EngineSettings;
import org.execnet4j.core.GatewayLauncher;
import org.execnet4j.group.GroupConfiguration;
import org.execnet4j.trace.SwitchableTracer;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
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
                options = {@Option(label = "eager", value = "eager"), @Option(label = "lazy", value = "lazy")})
        String start() default "eager";

        /** How the Web Console names a configuration. */
        String webconsole_configurationFactory_nameHint() default "{name}: {specs}";
    }

    private final RegistryTransports transports = new RegistryTransports();
    private final SwitchableTracer tracer = new SwitchableTracer();
    private final Object lock = new Object();
    private BundleContext context;
    private ExecutorService worker;
    private ConfiguredGroup group;
    private ServiceRegistration<Group> registration;
    private String name;
    private String defaultSpec;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addTransport(Transport transport, Map<String, Object> properties) {
        transports.add(transport, properties);
        synchronized (lock) {
            if (group != null) {
                ConfiguredGroup current = group;
                worker.execute(current::retryFailed);
            }
        }
    }

    void removeTransport(Transport transport) {
        transports.remove(transport);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setTracer(Tracer service) {
        tracer.set(service);
    }

    void unsetTracer(Tracer service) {
        tracer.unset(service);
    }

    @Activate
    void activate(BundleContext bundleContext, Map<String, Object> properties) {
        GroupConfiguration config = parse(properties);
        synchronized (lock) {
            context = bundleContext;
            worker = Executors.newSingleThreadExecutor(task -> {
                Thread t = new Thread(task, "execnet4j-group-" + config.name());
                t.setDaemon(true);
                return t;
            });
            open(config);
        }
    }

    /**
     * Applies an updated configuration; a bad one is rejected (SCR logs the exception) and the
     * group keeps the configuration it runs with.
     */
    @Modified
    void modified(Map<String, Object> properties) {
        GroupConfiguration config = parse(properties);
        synchronized (lock) {
            if (!config.name().equals(name)) {
                close();
                open(config);
                return;
            }
            ConfiguredGroup current = group;
            current.configure(config.specs(), config.defaultSpec(), config.isLazy(), config.terminateTimeout());
            if (registration != null) {
                registration.setProperties(serviceProperties(current));
            }
            worker.execute(current::reconcile);
        }
    }

    @Deactivate
    void deactivate() {
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

    private void open(GroupConfiguration config) {
        name = config.name();
        defaultSpec = config.defaultSpec();
        GatewayLauncher launcher = new GatewayLauncher(transports,
                EngineSettings.builder().tracer(tracer).exitTimeout(config.terminateTimeout()).build());
        ConfiguredGroup created = new ConfiguredGroup(name, launcher, defaultSpec, config.specs(), config.isLazy(),
                config.terminateTimeout());
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
        props.put(GroupConfiguration.NAME, group.name());
        props.put(GroupConfiguration.SPECS, group.specs().toArray(String[]::new));
        props.put(GroupConfiguration.START, (group.isLazy() ? GroupConfiguration.Start.LAZY : GroupConfiguration.Start.EAGER).value());
        props.put("service.description", "execnet4j group " + group.name());
        return props;
    }

    /**
     * Parses a configuration's properties; the name defaults to the part of the PID after '~'
     * (what FileInstall makes of org.execnet4j.group-NAME.cfg).
     *
     * @throws org.execnet4j.group.InvalidGroupConfigurationException naming every bad key and value
     */
    static GroupConfiguration parse(Map<String, Object> properties) {
        String pid = String.valueOf(properties.get("service.pid"));
        int tilde = pid.indexOf('~');
        return GroupConfiguration.parse(tilde >= 0 ? pid.substring(tilde + 1) : pid, properties,
                GroupConfiguration.UnknownKeys.IGNORE);
    }
}
