package org.execnet4j.core.internal;

/** The small Python programs the engine runs on every gateway with remote_exec. */
final class RemoteScripts {
    /**
     * Applies a spec's chdir, nice and env (protocol.md §4.5); receives (path, nice, env). Unlike
     * execnet, nice reaches every thread of the remote, not only the one that runs this.
     */
    static final String SETUP = """
            import os
            path, nice, env = channel.receive()
            if path:
                if not os.path.exists(path):
                    os.mkdir(path)
                os.chdir(path)
            if nice and hasattr(os, 'nice'):
                os.nice(nice)
                # Linux keeps a niceness per thread: the agent's other threads (and those they start) get it too
                if hasattr(os, 'setpriority') and os.path.exists('/proc/thread-self'):
                    me = os.path.basename(os.readlink('/proc/thread-self'))
                    for tid in os.listdir('/proc/self/task'):
                        if tid != me:
                            try:
                                now = os.getpriority(os.PRIO_PROCESS, int(tid))
                                os.setpriority(os.PRIO_PROCESS, int(tid), min(19, now + nice))
                            except OSError:
                                pass
            for name, value in env.items():
                os.environ[name] = value
            """;

    /** Sends the facts of protocol.md §5.8 about the interpreter, in execnet's key order. */
    static final String RINFO = """
            import os, sys
            channel.send({
                'executable': sys.executable,
                'version_info': tuple(sys.version_info[:5]),
                'platform': sys.platform,
                'cwd': os.getcwd(),
                'pid': os.getpid(),
            })
            """;

    private RemoteScripts() {
    }
}
