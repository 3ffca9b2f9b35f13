package org.execnet4j.core.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import org.execnet4j.api.Gateway;
import org.execnet4j.api.PyRepr;
import org.execnet4j.api.PythonSource;
import org.execnet4j.core.ExecAudit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link ExecAudit#log}: one line per {@code remoteExec} to the audit logger, while enabled. */
public final class AuditLog implements ExecAudit {
    private static final Logger LOG = LoggerFactory.getLogger(ExecAudit.LOGGER);
    private static final int FIRST_LINE_MAX = 120;
    private static final Set<String> ENGINE_PACKAGES = Set.of("org.execnet4j.api", "org.execnet4j.core",
            "org.execnet4j.core.internal", "org.execnet4j.group", "org.execnet4j.group.internal");
    private static final StackWalker STACK = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    private final String group;
    private final Function<Class<?>, String> callerName;
    private final BooleanSupplier enabled;

    /**
     * @param group the group's name, or empty
     * @param callerName names the calling class
     * @param enabled whether to log now
     */
    public AuditLog(String group, Function<Class<?>, String> callerName, BooleanSupplier enabled) {
        this.group = group;
        this.callerName = callerName;
        this.enabled = enabled;
    }

    @Override
    public void remoteExec(Gateway gateway, PythonSource source) {
        if (!enabled.getAsBoolean()) {
            return;
        }
        Optional<Class<?>> caller = STACK.walk(frames -> frames.<Class<?>>map(StackWalker.StackFrame::getDeclaringClass)
                .filter(c -> !isEngine(c)).findFirst());
        LOG.info("remoteExec caller={} class={} group={} gateway={} spec={} {}",
                caller.map(callerName).orElse("java"), caller.map(Class::getName).orElse("?"),
                group.isEmpty() ? "-" : group, gateway.id(), gateway.spec(), describe(source.text()));
    }

    @Override
    public ExecAudit inGroup(String groupName) {
        return new AuditLog(groupName, callerName, enabled);
    }

    /** Classes between the caller and this audit: the JDK's and execnet4j's engine and groups. */
    private static boolean isEngine(Class<?> c) {
        String name = c.getName();
        return name.startsWith("java.") || name.startsWith("jdk.") || ENGINE_PACKAGES.contains(c.getPackageName());
    }

    /**
     * {@link ExecAudit#describe}.
     *
     * @param source the code
     * @return {@code sha256=HEX first-line='...'}
     */
    public static String describe(String source) {
        String line = source.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
        String first = line.length() > FIRST_LINE_MAX ? line.substring(0, FIRST_LINE_MAX) + "..." : line;
        return "sha256=" + sha256(source) + " first-line=" + PyRepr.repr(first);
    }

    private static String sha256(String source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
