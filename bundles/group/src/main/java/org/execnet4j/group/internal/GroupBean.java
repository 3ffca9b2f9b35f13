package org.execnet4j.group.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.management.NotCompliantMBeanException;
import javax.management.StandardMBean;

import org.execnet4j.api.ExitOutcome;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.Group;
import org.execnet4j.api.ServiceProperties;
import org.execnet4j.group.GroupConfiguration;
import org.execnet4j.group.management.GroupMBean;

/** The MBean of one group service; its facts come from the group and its service properties. */
final class GroupBean extends StandardMBean implements GroupMBean {
    private final String name;
    private final Group group;
    private volatile Map<String, Object> properties;

    GroupBean(String name, Group group, Map<String, Object> properties) throws NotCompliantMBeanException {
        super(GroupMBean.class);
        this.name = name;
        this.group = group;
        this.properties = properties;
    }

    void update(Map<String, Object> newProperties) {
        properties = newProperties;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getStart() {
        Object start = properties.get(ServiceProperties.GROUP_START);
        return start == null ? "" : start.toString();
    }

    @Override
    public String[] getSpecs() {
        return texts(properties.get(ServiceProperties.GROUP_SPECS));
    }

    @Override
    public int getGateways() {
        return group.gateways().size();
    }

    @Override
    public int getAlive() {
        return (int) group.gateways().stream().filter(Gateway::isAlive).count();
    }

    @Override
    public String[] getProblems() {
        List<String> problems = new ArrayList<>();
        for (String error : texts(properties.get(ServiceProperties.GROUP_ERROR))) {
            problems.add("configuration error: " + error);
        }
        problems.addAll(List.of(texts(properties.get(ServiceProperties.GROUP_FAILURES))));
        return problems.toArray(String[]::new);
    }

    @Override
    public String[] restart() {
        String[] outcomes = terminate();
        if (group instanceof ConfiguredGroup configured) {
            configured.reconcile();
        }
        return outcomes;
    }

    @Override
    public String[] terminate() {
        Map<String, ExitOutcome> outcomes = group.terminate(GroupConfiguration.DEFAULT_TERMINATE_TIMEOUT);
        return outcomes.entrySet().stream().map(e -> e.getKey() + ": " + GatewayBean.describe(e.getValue())).toArray(String[]::new);
    }

    private static String[] texts(Object value) {
        return value instanceof String[] values ? values.clone() : value == null ? new String[0] : new String[] {value.toString()};
    }
}
