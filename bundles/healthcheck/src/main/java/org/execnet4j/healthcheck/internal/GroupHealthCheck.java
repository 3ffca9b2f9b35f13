package org.execnet4j.healthcheck.internal;

import java.util.Map;
import java.util.function.Supplier;

import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.execnet4j.group.GroupHealth;

/**
 * The health check of one configured group: CRITICAL for a configuration that cannot be used and
 * for each configured gateway that is down and does not come back by itself, WARN for each one
 * that is starting or waits for its transport, OK otherwise.
 */
final class GroupHealthCheck implements HealthCheck {
    private final GroupHealth group;
    private final Supplier<String> configurationError;

    /**
     * @param group the group's state
     * @param configurationError the group's configuration error now, or {@code null}
     */
    GroupHealthCheck(GroupHealth group, Supplier<String> configurationError) {
        this.group = group;
        this.configurationError = configurationError;
    }

    @Override
    public Result execute() {
        FormattingResultLog log = new FormattingResultLog();
        String error = configurationError.get();
        if (error != null) {
            log.critical("group {}: configuration not used: {}", group.name(), error);
        }
        if (group.isWaitingForFirstUse()) {
            log.info("group {}: lazy, its gateways start on first use", group.name());
        }
        Map<String, String> down = group.down();
        Map<String, String> restarting = group.restarting();
        down.forEach((spec, why) -> log.critical("group {}: {}: {}", group.name(), spec, why));
        restarting.forEach((spec, why) -> log.warn("group {}: {}: {}", group.name(), spec, why));
        if (error == null && down.isEmpty() && restarting.isEmpty()) {
            log.info("group {}: every configured gateway runs", group.name());
        }
        return new Result(log);
    }
}
