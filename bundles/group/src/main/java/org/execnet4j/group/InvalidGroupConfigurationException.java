package org.execnet4j.group;

import java.util.List;
import java.util.stream.Collectors;

import org.execnet4j.api.ExecnetException;

/** A group configuration with bad or missing keys; {@link #problems()} names each key and value. */
public final class InvalidGroupConfigurationException extends ExecnetException {
    private static final long serialVersionUID = 1L;

    private final String groupName;
    private final transient List<GroupConfiguration.Problem> problems;

    /**
     * An exception listing every problem of one group's configuration.
     *
     * @param groupName the group the configuration is for
     * @param problems what is wrong, at least one
     */
    public InvalidGroupConfigurationException(String groupName, List<GroupConfiguration.Problem> problems) {
        super("invalid configuration of group " + groupName + ": "
                + problems.stream().map(GroupConfiguration.Problem::toString).collect(Collectors.joining("; ")));
        this.groupName = groupName;
        this.problems = List.copyOf(problems);
    }

    /**
     * The group the configuration is for.
     *
     * @return its name
     */
    public String groupName() {
        return groupName;
    }

    /**
     * Every problem found, in key order of checking.
     *
     * @return an immutable list
     */
    public List<GroupConfiguration.Problem> problems() {
        return problems;
    }
}
