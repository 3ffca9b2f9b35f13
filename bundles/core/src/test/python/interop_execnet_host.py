"""Interop check: the real execnet (1.9) as host, the execnet4j agent as worker.

Run with an interpreter that has execnet (Debian: /usr/bin/python3):
    python3 interop_execnet_host.py <path of execnet_agent_wrapper.py>
Prints one line per check; exit status 0 when all checks pass.
"""

import os
import shlex
import sys
import time

import execnet


def check(name, cond, detail=""):
    if not cond:
        print("FAIL %s %s" % (name, detail), flush=True)
        sys.exit(1)
    print("ok   %s" % name, flush=True)


def rfunc(channel, a, b=10):
    channel.send(a + b)


def main():
    wrapper = os.path.abspath(sys.argv[1])
    python = "%s %s" % (shlex.quote(sys.executable), shlex.quote(wrapper))
    group = execnet.Group()
    gw = group.makegateway("popen//id=interop//python=%s" % python)

    ch = gw.remote_exec("channel.send(channel.receive() * 2)")
    ch.send(21)
    check("echo", ch.receive() == 42)
    ch.waitclose(5)

    values = [None, True, 1.5, -2 ** 31, 2 ** 70, b"\x00\xff" * 1000, "h\xe9llo \u2713",
              (1, (2, [3, {"k": frozenset([4])}])), {1, 2, 3}, complex(1, -2)]
    ch = gw.remote_exec("for x in channel: channel.send(x)")
    for v in values:
        ch.send(v)
    check("values roundtrip", [ch.receive() for _ in values] == values)
    ch.close()

    ch = gw.remote_exec("channel.send((-2 ** 100, -2 ** 31 - 1))")
    check("negative big ints from the worker (LONGINT)", ch.receive() == (-2 ** 100, -2 ** 31 - 1))

    ch = gw.remote_exec("raise ValueError('interop boom')")
    try:
        ch.receive()
        check("remote error", False, "no error")
    except execnet.RemoteError as e:
        text = str(e)
        check("remote error", text.startswith("Traceback (most recent call last)")
              and text.rstrip().endswith("ValueError: interop boom"), text)

    ch = gw.remote_exec(rfunc, a=32)
    check("function remote_exec with kwargs", ch.receive() == 42)
    ch.waitclose(5)

    st = gw.remote_status()
    check("remote_status", st.execmodel == "thread" and st.numexecuting == 0
          and st.numchannels == 0, repr(st))

    ri = gw._rinfo()
    check("_rinfo", ri.pid != os.getpid() and ri.version_info[0] == 3
          and ri.cwd == os.getcwd(), repr(ri))

    # channel passing both ways (host channel -> worker, worker channel -> host)
    ch = gw.remote_exec("""
sub = channel.receive()
sub.send('via-sub')
mine = channel.gateway.newchannel()
channel.send(mine)
mine.send('from-remote-channel')
""")
    sub = gw.newchannel()
    ch.send(sub)
    check("host channel used by worker", sub.receive() == "via-sub")
    mine = ch.receive()
    check("worker channel id is even", mine.id % 2 == 0, repr(mine))
    check("worker channel used by host", mine.receive() == "from-remote-channel")
    ch.waitclose(5)

    # host callback + worker close error on a passed channel
    got = []
    ch = gw.remote_exec("c = channel.receive()\nc.send(1)\nc.close('custom error text')")
    c = gw.newchannel()
    c.setcallback(got.append, endmarker="END")
    ch.send(c)
    ch.waitclose(5)
    deadline = time.time() + 5
    while "END" not in got and time.time() < deadline:
        time.sleep(0.01)
    check("callback and endmarker", got == [1, "END"], repr(got))

    # termination: the worker exits promptly even with a busy task (interrupted: status 0)
    ch = gw.remote_exec("channel.send('spinning')\nwhile True: pass")
    check("busy task started", ch.receive() == "spinning")
    popen = getattr(gw._io, "popen", None)
    start = time.time()
    group.terminate(timeout=10)
    took = time.time() - start
    check("terminate with busy worker within 3 s", took < 3.0, "%.2fs" % took)
    if popen is not None:
        check("worker exit status 0 after interrupting the task", popen.wait(5) == 0,
              repr(popen.returncode))

    # clean termination: exit status 0
    group2 = execnet.Group()
    gw2 = group2.makegateway("popen//id=interop2//python=%s" % python)
    check("second gateway echo", gw2.remote_exec("channel.send(1)").receive() == 1)
    popen = getattr(gw2._io, "popen", None)
    start = time.time()
    group2.terminate(timeout=10)
    check("idle terminate fast", time.time() - start < 2.0)
    if popen is not None:
        check("worker exit status 0", popen.wait(5) == 0, repr(popen.returncode))
    print("ALL OK")


if __name__ == "__main__":
    main()
