package org.execnet4j.group.management;

/** One group of gateways, as JMX shows it ({@code org.execnet4j:type=Group,name=NAME}). */
public interface GroupMBean {
    /** The JMX domain of execnet4j's MBeans. */
    String DOMAIN = "org.execnet4j";

    /**
     * The group's name.
     *
     * @return its {@code name} service property
     */
    String getName();

    /**
     * How the group starts its gateways.
     *
     * @return {@code eager}, {@code lazy}, {@code shell} (made in the shell) or empty
     */
    String getStart();

    /**
     * The configured specs.
     *
     * @return the specs of a configured group; empty for others
     */
    String[] getSpecs();

    /**
     * How many gateways the group has.
     *
     * @return the count, alive or not
     */
    int getGateways();

    /**
     * How many of its gateways are alive.
     *
     * @return the count
     */
    int getAlive();

    /**
     * What is wrong: a configuration error, configured gateways that did not start, with why.
     *
     * @return one line per problem; empty when the group is fine
     */
    String[] getProblems();

    /**
     * Ends every gateway of the group; a configured group then starts its configured ones again.
     *
     * @return how each gateway ended, one {@code "ID: outcome"} each
     */
    String[] restart();

    /**
     * Ends every gateway of the group (a configured group starts them again on its next configuration update).
     *
     * @return how each gateway ended, one {@code "ID: outcome"} each
     */
    String[] terminate();
}
