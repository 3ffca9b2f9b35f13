#!/usr/bin/env python3
"""Stand-in interpreter for execnet's ``popen//python=<this script>`` specs.

execnet starts ``<python> -u -c "import sys;exec(eval(sys.stdin.readline()))"``
and sends its own worker program as one line.  This script reads and discards
that line (taking only the gateway id and execmodel name from it), then runs
the execnet4j agent instead, which writes b"1" and serves the protocol.
Used by the interop tests with the real execnet as host.
"""

import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import agenthost  # noqa: E402 - found through the line above


def read_line():
    """Read exactly one line from fd 0 without reading ahead."""
    chunks = []
    while True:
        c = os.read(0, 1)
        if not c:
            sys.stderr.write("execnet_agent_wrapper: no bootstrap line\n")
            sys.exit(1)
        chunks.append(c)
        if c == b"\n":
            return b"".join(chunks)


def main():
    line = read_line().decode("utf-8", "replace")
    try:
        program = eval(line)    # the host's literal; we only look for two names in it
    except Exception:
        program = line
    config = {"id": "gw-worker", "execmodel": "thread"}
    m = re.search(r"serve\(io, id='([^']*)'\)", program)
    if m:
        config["id"] = m.group(1)
    m = re.search(r"get_execmodel\('([^']*)'\)", program)
    if m:
        config["execmodel"] = m.group(1)
    config.update(eval(os.environ.get("EXECNET4J_AGENT_CONFIG", "{}")))
    text = agenthost.agent_source() + "\n_execnet4j_main(" + repr(config) + ")\n"
    exec(compile(text, "<string>", "exec"), {"__name__": "__main__"})


if __name__ == "__main__":
    main()
