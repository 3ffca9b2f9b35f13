package org.execnet4j.cdi.internal;

import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.BeforeShutdown;
import jakarta.enterprise.inject.spi.DefinitionException;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.enterprise.inject.spi.ProcessInjectionPoint;

import org.execnet4j.api.GatewayFactory;
import org.execnet4j.api.Group;
import org.execnet4j.cdi.ExecnetGroup;
import org.execnet4j.group.GroupConfiguration;
import org.execnet4j.group.GroupConfiguration.Problem;
import org.execnet4j.group.GroupConfiguration.UnknownKeys;
import org.execnet4j.group.InvalidGroupConfigurationException;

/**
 * The portable extension (registered in {@code META-INF/services}): adds an application-scoped
 * {@link GatewayFactory} bean and one application-scoped {@link Group} bean per configured or
 * injected {@link ExecnetGroup} name; validates every group's keys while the container boots,
 * starts the eager groups once the deployment is valid (a gateway that does not start fails the
 * deployment), and terminates everything before the application context goes (container
 * shutdown, undeploy).
 */
public final class ExecnetExtension implements Extension {
    /** Group name to the first injection point that asked for it, for messages. */
    private final Map<String, String> injected = new TreeMap<>();
    private ExecnetRuntime runtime;

    /** Creates the extension; the container does, through ServiceLoader. */
    public ExecnetExtension() {
        // state arrives with the container's events
    }

    void collectGroupNames(@Observes ProcessInjectionPoint<?, ?> event) {
        InjectionPoint point = event.getInjectionPoint();
        for (Annotation qualifier : point.getQualifiers()) {
            if (qualifier instanceof ExecnetGroup group) {
                injected.putIfAbsent(group.value(), String.valueOf(point.getMember()));
            }
        }
    }

    void addBeans(@Observes AfterBeanDiscovery event, BeanManager beans) {
        ClassLoader loader = applicationLoader();
        ConfigValues source = ConfigValues.of(loader);
        Map<String, Map<String, String>> keys = GroupKeys.byGroup(source.startingWith(GroupKeys.PREFIX));
        Set<String> names = new TreeSet<>(keys.keySet());
        names.addAll(injected.keySet());
        Map<String, GroupConfiguration> configurations = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (String name : names) {
            Map<String, String> values = keys.getOrDefault(name, Map.of());
            String needed = injected.containsKey(name)
                    ? " (needed by @ExecnetGroup(\"" + name + "\") at " + injected.get(name) + ")" : "";
            if (values.containsKey(GroupConfiguration.NAME)) {
                problems.add(GroupKeys.prefixOf(name) + GroupConfiguration.NAME
                        + ": not used here, the name is the part after " + GroupKeys.PREFIX);
            }
            try {
                configurations.put(name, GroupConfiguration.parse(name, values, UnknownKeys.REJECT));
            } catch (InvalidGroupConfigurationException e) {
                for (Problem problem : e.problems()) {
                    problems.add(problem.describe(GroupKeys.prefixOf(name)) + needed);
                }
            }
        }
        if (!problems.isEmpty()) {
            event.addDefinitionError(new DefinitionException("execnet4j: invalid group configuration (read from "
                    + source.describe() + "):\n  " + String.join("\n  ", problems)));
            return;
        }
        ExecnetRuntime created = new ExecnetRuntime(configurations, beans, loader);
        runtime = created;
        event.addBean().id(ExecnetExtension.class.getName() + ".GatewayFactory").beanClass(ExecnetExtension.class)
                .types(GatewayFactory.class, Object.class).qualifiers(Default.Literal.INSTANCE, Any.Literal.INSTANCE)
                .scope(ApplicationScoped.class).createWith(context -> created.factory());
        for (String name : configurations.keySet()) {
            event.addBean().id(ExecnetExtension.class.getName() + ".Group." + name).beanClass(ExecnetExtension.class)
                    .types(Group.class, Object.class).qualifiers(ExecnetGroup.Literal.of(name), Any.Literal.INSTANCE)
                    .scope(ApplicationScoped.class).createWith(context -> created.group(name));
        }
    }

    void startEagerGroups(@Observes AfterDeploymentValidation event) {
        if (runtime == null) {
            return;
        }
        try {
            runtime.startEagerGroups();
        } catch (RuntimeException e) {
            runtime.stop();
            event.addDeploymentProblem(e);
        }
    }

    /** Ends every gateway while the application's beans still run, so they observe the last {@code GatewayEnded}s. */
    void stopBeforeApplicationContextEnds(@Observes @BeforeDestroyed(ApplicationScoped.class) Object event) {
        stop();
    }

    /** The last chance, when the application context never started. */
    void stopAtShutdown(@Observes BeforeShutdown event) {
        stop();
    }

    private void stop() {
        if (runtime != null) {
            runtime.stop();
        }
    }

    private static ClassLoader applicationLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : ExecnetExtension.class.getClassLoader();
    }
}
