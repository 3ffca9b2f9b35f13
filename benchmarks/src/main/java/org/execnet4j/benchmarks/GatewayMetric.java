package org.execnet4j.benchmarks;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** One figure of the gateway comparison: its JSON key, how it is shown, and its execnet4j/execnet target. */
enum GatewayMetric {
    READY("gateway ready, 1st in a new group (spawn + 1st exec)", "ready_s", false, 0.6),
    READY_LATER("gateway ready, later ones in one group", "ready_later_s", false, 0.2),
    ECHO_MEDIAN("echo roundtrip, median", "echo_median_s", false, 0.7),
    ECHO_MEAN("echo roundtrip, mean", "echo_mean_s", false, 0.7),
    SMALL_H2R("small msgs host->remote", "small_h2r_per_s", true, 2.0),
    SMALL_R2H("small msgs remote->host", "small_r2h_per_s", true, 2.0),
    BULK_H2R("bulk 1 MiB host->remote", "bulk_h2r_mb_s", true, 1.5),
    BULK_R2H("bulk 1 MiB remote->host", "bulk_r2h_mb_s", true, 1.5),
    CHANNELS("concurrent channels, total", "channels_s", false, 0.5),
    GROUP_TOTAL("group: start + 1 exec each + terminate", "group_total_s", false, 0.3),
    GROUP_START("group: start phase (until all answered)", "group_start_s", false, Double.NaN),
    GROUP_TERMINATE("group: terminate phase", "group_terminate_s", false, Double.NaN),
    GROUP_CPU_HOST("group: host process CPU (user+sys)", "group_cpu_host_s", false, Double.NaN),
    GROUP_CPU_REMOTE("group: remote processes CPU (user+sys)", "group_cpu_remote_s", false, Double.NaN),
    SSH_FIRST("ssh: 1st gateway ready (connect + spawn + exec)", "ssh_first_s", false, 0.7),
    SSH_SECOND("ssh: 2nd gateway ready, same host, 1st open", "ssh_second_s", false, 0.1),
    SSH_THIRD("ssh: 3rd gateway ready, same host, 1st+2nd open", "ssh_third_s", false, 0.1),
    SSH_EXIT("ssh: exit the three gateways", "ssh_exit_s", false, Double.NaN),
    SSH_SCALE_TOTAL("ssh scale: start + roundtrip + terminate", "ssh_scale_total_s", false, 0.2),
    SSH_SCALE_START("ssh scale: start phase (until all answered)", "ssh_scale_start_s", false, Double.NaN),
    SSH_SCALE_TERMINATE("ssh scale: terminate phase", "ssh_scale_terminate_s", false, Double.NaN),
    SSH_SCALE_CPU_HOST("ssh scale: host CPU (user+sys, + ssh clients)", "ssh_scale_cpu_host_s", false, Double.NaN),
    SSH_SCALE_CPU_REMOTE("ssh scale: remote CPU per gateway (sshd+python)", "ssh_scale_cpu_remote_per_gw_s", false,
            Double.NaN),
    SSH_SCALE_PEAK_RSS("ssh scale: peak host RSS (+ ssh clients)", "ssh_scale_peak_rss_mb", false, Double.NaN),
    SOCKET_READY("socket: gateway ready (connect + 1st exec)", "socket_ready_s", false, 0.5),
    SOCKET_READY_IDLE("socket: ready, 100 ms idle before each", "socket_ready_idle_s", false, Double.NaN),
    SOCKET_ECHO_MEDIAN("socket: echo roundtrip, median", "socket_echo_median_s", false, 0.7),
    SOCKET_ECHO_MEAN("socket: echo roundtrip, mean", "socket_echo_mean_s", false, 0.7);

    /** The figures of the popen comparison ({@link GatewayVsExecnet}). */
    static final Set<GatewayMetric> POPEN = Collections.unmodifiableSet(EnumSet.range(READY, GROUP_CPU_REMOTE));
    /** The figures of the ssh comparison ({@link SshVsExecnet}). */
    static final Set<GatewayMetric> SSH = Collections.unmodifiableSet(EnumSet.range(SSH_FIRST, SSH_EXIT));
    /** The figures of the ssh scale run ({@link SshScaleWorkload}). */
    static final Set<GatewayMetric> SSH_SCALE =
            Collections.unmodifiableSet(EnumSet.range(SSH_SCALE_TOTAL, SSH_SCALE_PEAK_RSS));
    /** The figures of the socket comparison ({@link SocketVsExecnet}). */
    static final Set<GatewayMetric> SOCKET = Collections.unmodifiableSet(EnumSet.range(SOCKET_READY, SOCKET_ECHO_MEAN));

    final String label;
    final String jsonKey;
    /** true: a rate (higher is better, target is a minimum ratio); false: a time in s (target is a maximum). */
    final boolean rate;
    /** The ratio to meet: a maximum for times, a minimum for rates; NaN for a figure shown for information only. */
    final double target;

    GatewayMetric(String label, String jsonKey, boolean rate, double target) {
        this.label = label;
        this.jsonKey = jsonKey;
        this.rate = rate;
        this.target = target;
    }

    /** Whether the figure has a target (else it is shown for information only). */
    boolean hasTarget() {
        return !Double.isNaN(target);
    }

    /** Whether the execnet4j/execnet ratio meets the target. */
    boolean met(double ratio) {
        return rate ? ratio >= target : ratio <= target;
    }

    /** The target as shown, e.g. "<= 0.6x". */
    String targetText() {
        if (!hasTarget()) {
            return "-";
        }
        return (rate ? ">= " : "<= ") + target + "x";
    }

    /** A value of this metric with its unit. */
    String format(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (this == SSH_SCALE_PEAK_RSS) {
            return String.format(Locale.ROOT, "%.0f MB", v);
        }
        if (this == BULK_H2R || this == BULK_R2H) {
            return String.format(Locale.ROOT, "%.0f MB/s", v);
        }
        if (rate) {
            return String.format(Locale.ROOT, "%,.0f msg/s", v);
        }
        return v < 0.01 ? String.format(Locale.ROOT, "%.1f us", v * 1e6) : String.format(Locale.ROOT, "%.1f ms", v * 1e3);
    }
}
