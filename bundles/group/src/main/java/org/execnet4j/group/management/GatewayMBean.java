package org.execnet4j.group.management;

/** One gateway, as JMX shows it ({@code org.execnet4j:type=Gateway,group=NAME,id=ID}). */
public interface GatewayMBean {

    /**
     * The gateway's id in its group.
     *
     * @return e.g. {@code gw0}
     */
    String getId();

    /**
     * The group the gateway is in.
     *
     * @return the group's name
     */
    String getGroup();

    /**
     * The spec it was started from.
     *
     * @return the spec string
     */
    String getSpec();

    /**
     * Whether the remote interpreter runs and answers.
     *
     * @return false once it ended or died
     */
    boolean isAlive();

    /**
     * The remote interpreter's process id (on its own host).
     *
     * @return the pid, or -1 when the gateway is dead or does not answer in time
     */
    long getPid();

    /**
     * The channels open on the remote side.
     *
     * @return the count, or -1 when the gateway is dead or does not answer in time
     */
    int getChannels();

    /**
     * The remote_exec tasks running on the remote side.
     *
     * @return the count, or -1 when the gateway is dead or does not answer in time
     */
    int getExecuting();

    /**
     * Bytes of frames (headers included) the host sent to the remote; final once it ended.
     *
     * @return the count
     */
    long getBytesSent();

    /**
     * Bytes of frames (headers included) the host received from the remote.
     *
     * @return the count
     */
    long getBytesReceived();

    /**
     * Frames the host sent.
     *
     * @return the count
     */
    long getMessagesSent();

    /**
     * Frames the host received.
     *
     * @return the count
     */
    long getMessagesReceived();

    /**
     * Channels open on the host side now (counted locally, without asking the remote).
     *
     * @return the count
     */
    int getOpenChannels();

    /**
     * Channels opened since the gateway started, by either side.
     *
     * @return the count
     */
    long getChannelsOpened();

    /**
     * How long the gateway has been known to this MBean's group registry.
     *
     * @return seconds since it was first seen
     */
    long getUptimeSeconds();

    /**
     * Exits the gateway, killing it if it does not exit in time; a configured group starts it again.
     *
     * @return how it ended: {@code exited}, {@code killed} or {@code already dead}
     */
    String restart();

    /**
     * Exits the gateway, killing it if it does not exit in time.
     *
     * @return how it ended: {@code exited}, {@code killed} or {@code already dead}
     */
    String terminate();
}
