package org.execnet4j.api;

/**
 * What a remote reports about itself (execnet's {@code remote_status()}).
 *
 * @param numChannels channel objects alive in the remote
 * @param numExecuting remote_exec tasks running or queued
 * @param execmodel the remote's execution model, e.g. {@code thread}
 */
public record RemoteStatus(int numChannels, int numExecuting, String execmodel) {
}
