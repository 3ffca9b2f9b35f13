package org.execnet4j.core.internal;

import org.execnet4j.api.RemoteOutput;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLoggerFactory;

/** Remote output to SLF4J, or to stderr with a {@code [gw0]} prefix when SLF4J has no provider. */
public final class Slf4jRemoteOutput implements RemoteOutput {
    private static final String LOGGER_PREFIX = "org.execnet4j.remote.";

    @Override
    public void line(String gatewayId, String line) {
        if (LoggerFactory.getILoggerFactory() instanceof NOPLoggerFactory) {
            System.err.println("[" + gatewayId + "] " + line);
        } else {
            LoggerFactory.getLogger(LOGGER_PREFIX + gatewayId).info(line);
        }
    }
}
