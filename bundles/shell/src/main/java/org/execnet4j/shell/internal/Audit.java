package org.execnet4j.shell.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;

import org.apache.karaf.shell.support.ShellUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail of code run from the shell: one line per {@code execnet:exec} on the logger
 * {@value #LOGGER} with who ran it, where, the SHA-256 of the source and its first line.
 */
final class Audit {
    /** The audit logger's name. */
    static final String LOGGER = "org.execnet4j.audit";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
    private static final int FIRST_LINE_MAX = 120;

    private Audit() {
    }

    /** Records that the shell's current user runs {@code source} on these gateways. */
    static void shellExec(String target, Collection<String> gateways, String source) {
        LOG.info("remoteExec user={} via=execnet:exec target={} gateways={} sha256={} first-line={}",
                ShellUtil.getCurrentUserName(), target, String.join(",", gateways), sha256(source), firstLine(source));
    }

    /** The hex SHA-256 of the UTF-8 source. */
    static String sha256(String source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** The first non-blank line, stripped and cut to {@value #FIRST_LINE_MAX} characters, in Python repr. */
    static String firstLine(String source) {
        String line = source.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
        return org.execnet4j.api.PyRepr.repr(line.length() > FIRST_LINE_MAX ? line.substring(0, FIRST_LINE_MAX) + "..." : line);
    }
}
