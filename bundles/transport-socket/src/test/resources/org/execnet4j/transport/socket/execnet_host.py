"""A Python execnet host (run with /usr/bin/python3) against a socket server: argv[1] is HOST:PORT.

Prints one line "ok PID1 PID2" when two gateways at once, channels both ways, a remote error,
remote_status and termination all worked; any failure raises (non-zero exit status).
"""
import sys

import execnet

spec = "socket=" + sys.argv[1]
group = execnet.Group()
try:
    first = group.makegateway(spec + "//id=first")
    second = group.makegateway(spec + "//id=second")
    pids = [gw.remote_exec("import os; channel.send(os.getpid())").receive(30) for gw in (first, second)]
    assert pids[0] != pids[1], pids

    echo = first.remote_exec("for x in channel:\n    channel.send(x)\n")
    for value in (1, "two", (3.0, [4 << 40]), {"k": b"v"}):
        echo.send(value)
        assert echo.receive(30) == value
    echo.close()
    echo.waitclose(30)

    mine = first.newchannel()
    passer = first.remote_exec(
        "theirs = channel.receive()\ntheirs.send('over yours')\n"
        "new = channel.gateway.newchannel()\nchannel.send(new)\nnew.send('over mine')\n")
    passer.send(mine)
    assert mine.receive(30) == "over yours"
    assert passer.receive(30).receive(30) == "over mine"

    failing = second.remote_exec("raise ValueError('boom')")
    try:
        failing.waitclose(30)
        raise AssertionError("no remote error")
    except execnet.RemoteError as e:
        assert "ValueError: boom" in str(e), str(e)

    busy = second.remote_exec("channel.receive()")
    status = second.remote_status()
    assert status.numexecuting >= 1, status.numexecuting   # the failed task may still be counted
    busy.send(None)
    busy.waitclose(30)
finally:
    group.terminate(10)
print("ok %d %d" % tuple(pids))
