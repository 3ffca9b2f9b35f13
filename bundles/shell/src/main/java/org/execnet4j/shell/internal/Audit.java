package org.execnet4j.shell.internal;

import java.util.Collection;

import org.apache.karaf.shell.support.ShellUtil;
import org.execnet4j.core.ExecAudit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail of code run from the shell: one line per {@code execnet:exec} on the logger
 * {@value ExecAudit#LOGGER} with who ran it, where, the SHA-256 of the source and its first line
 * (always, whether or not the audit of every {@code remoteExec} is on).
 */
final class Audit {
    private static final Logger LOG = LoggerFactory.getLogger(ExecAudit.LOGGER);

    private Audit() {
    }

    /** Records that the shell's current user runs {@code source} on these gateways. */
    static void shellExec(String target, Collection<String> gateways, String source) {
        LOG.info("remoteExec user={} via=execnet:exec target={} gateways={} {}",
                ShellUtil.getCurrentUserName(), target, String.join(",", gateways), ExecAudit.describe(source));
    }
}
