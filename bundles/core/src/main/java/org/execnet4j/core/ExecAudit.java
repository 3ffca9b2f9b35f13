package org.execnet4j.core;

import java.util.function.BooleanSupplier;
import java.util.function.Function;

import org.execnet4j.api.Gateway;
import org.execnet4j.api.PythonSource;
import org.execnet4j.core.internal.AuditLog;

/**
 * Told of every {@code remoteExec} a gateway is asked for, before the code is sent (not of the
 * engine's own calls such as {@code remoteInfo}). {@link #log} writes one line per call to the
 * logger {@value #LOGGER}; it is off unless switched on, for plain Java by the system property
 * {@value #PROPERTY}{@code =true} (read when {@link EngineSettings} are built) or
 * {@link EngineSettings.Builder#execAudit}.
 */
public interface ExecAudit {
    /** The audit logger's name. */
    String LOGGER = "org.execnet4j.audit";
    /** The system property that switches the audit on for plain Java ({@code true}). */
    String PROPERTY = "execnet4j.audit";

    /** No audit. */
    ExecAudit OFF = (gateway, source) -> { };

    /**
     * A {@code remoteExec} is about to send this source to the gateway; runs on the caller's thread.
     *
     * @param gateway the gateway asked
     * @param source the code
     */
    void remoteExec(Gateway gateway, PythonSource source);

    /**
     * This audit for the gateways of one group (so its lines can name the group).
     *
     * @param group the group's name
     * @return the audit to give the group's gateways
     */
    default ExecAudit inGroup(String group) {
        return this;
    }

    /**
     * An audit that, while {@code enabled} says so, logs one line to {@value #LOGGER} at INFO:
     * {@code remoteExec caller=WHO class=CLASS group=NAME gateway=ID spec=SPEC sha256=HEX
     * first-line='...'}. WHO is what {@code callerName} says of the class that called
     * {@code remoteExec} (the first frame outside the JDK and the packages of execnet4j's api, core and group).
     *
     * @param callerName names the calling class, e.g. by its OSGi bundle
     * @param enabled asked on every call, so the audit can be switched on and off at run time
     * @return the audit
     */
    static ExecAudit log(Function<Class<?>, String> callerName, BooleanSupplier enabled) {
        return new AuditLog("", callerName, enabled);
    }

    /**
     * The audit plain Java gets by default: {@link #log} with the caller named {@code java},
     * if the system property {@value #PROPERTY} is {@code true} now, else {@link #OFF}.
     *
     * @return the audit
     */
    static ExecAudit fromSystemProperty() {
        return Boolean.getBoolean(PROPERTY) ? log(c -> "java", () -> true) : OFF;
    }

    /**
     * How an audit line names a source: {@code sha256=HEX first-line='...'} (the SHA-256 of its
     * UTF-8 bytes, and its first non-blank line, stripped, cut to 120 characters, in Python repr).
     *
     * @param source the code
     * @return the text for the audit line
     */
    static String describe(String source) {
        return AuditLog.describe(source);
    }
}
