package org.execnet4j.api;

/**
 * Facts about a remote interpreter (execnet's {@code gateway._rinfo()}).
 *
 * @param executable {@code sys.executable}
 * @param cwd the current directory
 * @param versionInfo the first five fields of {@code sys.version_info}
 * @param platform {@code sys.platform}
 * @param pid the remote process id
 */
public record RemoteInfo(String executable, String cwd, PyTuple versionInfo, String platform, long pid) {
}
