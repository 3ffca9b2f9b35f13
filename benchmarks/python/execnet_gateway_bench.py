#!/usr/bin/env python3
"""One round of the end-to-end gateway workloads through Python execnet.

Usage: execnet_gateway_bench.py --spec SPEC [--ready-reps R] [--echo N]
                                [--small N] [--bulk N] [--channels N]
                                [--group-size N] [--group-timeout S]
       execnet_gateway_bench.py --ssh-ready --spec SSH_SPEC [--ssh-warmups W]
       execnet_gateway_bench.py --socket --spec SOCKET_SPEC [--ready-reps R] [--echo N]

Runs the same workloads as org.execnet4j.benchmarks.GatewayWorkloads
(the remote sources below are textually identical to the Java ones) and
prints ONE flat JSON line of figures (seconds, messages/s, MB/s with
MB = 10^6 bytes). If execnet cannot be imported the line says so
("execnet_available": false) and the exit status is still 0.
execnet is used as a black box only (public API).

With --ssh-ready only the ssh workload of org.execnet4j.benchmarks.SshWorkload
runs: in one group, the first gateway of SSH_SPEC ready, then the second one
(while the first is open), then terminate the group; W untimed such pairs
run first in the same process.

With --socket only the socket workloads of org.execnet4j.benchmarks.SocketVsExecnet
run: gateway ready and echo roundtrips over SOCKET_SPEC (a socket= spec of a
running execnet socketserver.py).
"""
import argparse
import json
import resource
import statistics
import sys
import time

TIMEOUT = 120.0
MIB = 1 << 20

# --- remote sources: keep identical to GatewayWorkloads.java ---
READY_SRC = "channel.send(1)"
ECHO_SRC = "for x in channel:\n    channel.send(x)\n"
COUNT_SRC = ("n = channel.receive()\n"
             "channel.send('ready')\n"
             "c = 0\n"
             "for i in range(n):\n"
             "    channel.receive()\n"
             "    c += 1\n"
             "channel.send(c)\n")
PRODUCE_SRC = ("n = channel.receive()\n"
               "items = [i if i % 2 == 0 else 'item-%d' % i for i in range(n)]\n"
               "channel.send('ready')\n"
               "channel.receive()\n"
               "for x in items:\n"
               "    channel.send(x)\n")
BULK_SINK_SRC = ("n = channel.receive()\n"
                 "channel.send('ready')\n"
                 "total = 0\n"
                 "for i in range(n):\n"
                 "    total += len(channel.receive())\n"
                 "channel.send(total)\n")
BULK_SOURCE_SRC = ("n = channel.receive()\n"
                   "blob = bytes(range(256)) * 4096\n"
                   "channel.send('ready')\n"
                   "channel.receive()\n"
                   "for i in range(n):\n"
                   "    channel.send(blob)\n")
ONE_ECHO_SRC = "channel.send(channel.receive())"


def small_items(n):
    return [i if i % 2 == 0 else "item-%d" % i for i in range(n)]


def gateway_ready(execnet, spec, reps):
    times = []
    for _ in range(reps):
        group = execnet.Group()
        t0 = time.perf_counter()
        gw = group.makegateway(spec)
        ch = gw.remote_exec(READY_SRC)
        ch.receive(TIMEOUT)
        times.append(time.perf_counter() - t0)
        ch.waitclose(TIMEOUT)
        group.terminate(TIMEOUT)
    return statistics.median(times)


def ssh_ready(execnet, spec, warmups):
    """Mirrors SshWorkload.java: first and second gateway ready, exit both."""
    for _ in range(warmups):
        _ssh_pair(execnet, spec)
    return _ssh_pair(execnet, spec)


def _ssh_pair(execnet, spec):
    group = execnet.Group()
    try:
        t0 = time.perf_counter()
        first = group.makegateway(spec)
        ch1 = first.remote_exec(READY_SRC)
        got = ch1.receive(TIMEOUT)
        assert got == 1, got
        t1 = time.perf_counter()
        second = group.makegateway(spec)
        ch2 = second.remote_exec(READY_SRC)
        got = ch2.receive(TIMEOUT)
        assert got == 1, got
        t2 = time.perf_counter()
        ch1.waitclose(TIMEOUT)
        ch2.waitclose(TIMEOUT)
    finally:
        t3 = time.perf_counter()
        group.terminate(TIMEOUT)
        t4 = time.perf_counter()
    return {"ssh_first_s": t1 - t0, "ssh_second_s": t2 - t1,
            "ssh_exit_s": t4 - t3}


def cpu():
    """(user+sys CPU s of this process, of its waited-for children)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def group_start_terminate(execnet, spec, size, timeout):
    """Mirrors GroupWorkload.java: start SIZE gateways in one group, one
    remote_exec roundtrip on each (all sent, then all received), terminate."""
    group = execnet.Group()
    cpu0 = cpu()
    t0 = time.perf_counter()
    gateways = [group.makegateway(spec) for _ in range(size)]
    channels = [gw.remote_exec(READY_SRC) for gw in gateways]
    for ch in channels:
        got = ch.receive(TIMEOUT)
        assert got == 1, got
    t1 = time.perf_counter()
    group.terminate(timeout)
    t2 = time.perf_counter()
    cpu1 = cpu()
    return {"group_total_s": t2 - t0, "group_start_s": t1 - t0,
            "group_terminate_s": t2 - t1,
            "group_cpu_host_s": cpu1[0] - cpu0[0],
            "group_cpu_remote_s": cpu1[1] - cpu0[1]}


def echo(gw, n):
    ch = gw.remote_exec(ECHO_SRC)
    for i in range(max(100, n // 10)):          # warm-up
        ch.send(i)
        ch.receive(TIMEOUT)
    times = []
    for i in range(n):
        t0 = time.perf_counter()
        ch.send(i)
        ch.receive(TIMEOUT)
        times.append(time.perf_counter() - t0)
    ch.close()
    ch.waitclose(TIMEOUT)
    return statistics.median(times), sum(times) / n


def host_to_remote(gw, n):
    items = small_items(n)
    ch = gw.remote_exec(COUNT_SRC)
    ch.send(n)
    ch.receive(TIMEOUT)
    t0 = time.perf_counter()
    for x in items:
        ch.send(x)
    count = ch.receive(TIMEOUT)
    elapsed = time.perf_counter() - t0
    assert count == n, count
    ch.waitclose(TIMEOUT)
    return n / elapsed


def remote_to_host(gw, n):
    ch = gw.remote_exec(PRODUCE_SRC)
    ch.send(n)
    ch.receive(TIMEOUT)
    t0 = time.perf_counter()
    ch.send("go")
    for _ in range(n):
        ch.receive(TIMEOUT)
    elapsed = time.perf_counter() - t0
    ch.waitclose(TIMEOUT)
    return n / elapsed


def bulk_to_remote(gw, n):
    blob = bytes(range(256)) * 4096
    ch = gw.remote_exec(BULK_SINK_SRC)
    ch.send(n)
    ch.receive(TIMEOUT)
    t0 = time.perf_counter()
    for _ in range(n):
        ch.send(blob)
    total = ch.receive(TIMEOUT)
    elapsed = time.perf_counter() - t0
    assert total == n * MIB, total
    ch.waitclose(TIMEOUT)
    return n * MIB / 1e6 / elapsed


def bulk_to_host(gw, n):
    ch = gw.remote_exec(BULK_SOURCE_SRC)
    ch.send(n)
    ch.receive(TIMEOUT)
    t0 = time.perf_counter()
    ch.send("go")
    total = 0
    for _ in range(n):
        total += len(ch.receive(TIMEOUT))
    elapsed = time.perf_counter() - t0
    assert total == n * MIB, total
    ch.waitclose(TIMEOUT)
    return n * MIB / 1e6 / elapsed


def many_channels(gw, n):
    t0 = time.perf_counter()
    channels = [gw.remote_exec(ONE_ECHO_SRC) for _ in range(n)]
    for i, ch in enumerate(channels):
        ch.send(i)
    for i, ch in enumerate(channels):
        got = ch.receive(TIMEOUT)
        assert got == i, (got, i)
    for ch in channels:
        ch.waitclose(TIMEOUT)
    return time.perf_counter() - t0


def main(argv):
    p = argparse.ArgumentParser()
    p.add_argument("--spec", default="popen//python=/usr/bin/python3")
    p.add_argument("--ready-reps", type=int, default=5)
    p.add_argument("--echo", type=int, default=5000)
    p.add_argument("--small", type=int, default=50000)
    p.add_argument("--bulk", type=int, default=100)
    p.add_argument("--channels", type=int, default=500)
    p.add_argument("--group-size", type=int, default=16)
    p.add_argument("--group-timeout", type=float, default=10.0)
    p.add_argument("--ssh-ready", action="store_true",
                   help="run only the ssh gateway-ready workload")
    p.add_argument("--ssh-warmups", type=int, default=1)
    p.add_argument("--socket", action="store_true",
                   help="run only the socket workloads (ready, echo)")
    a = p.parse_args(argv[1:])
    result = {"python": sys.executable, "python_version": sys.version.split()[0]}
    try:
        import execnet
    except ImportError as e:
        result.update(execnet_available=False, error=repr(e))
        print(json.dumps(result))
        return 0
    result.update(execnet_available=True, execnet_version=getattr(execnet, "__version__", "?"))
    if a.ssh_ready:
        result.update(ssh_ready(execnet, a.spec, a.ssh_warmups))
        print(json.dumps(result))
        return 0
    if a.socket:
        result["socket_ready_s"] = gateway_ready(execnet, a.spec, a.ready_reps)
        group = execnet.Group()
        try:
            gw = group.makegateway(a.spec)
            result["socket_echo_median_s"], result["socket_echo_mean_s"] = echo(gw, a.echo)
        finally:
            group.terminate(TIMEOUT)
        print(json.dumps(result))
        return 0
    result["ready_s"] = gateway_ready(execnet, a.spec, a.ready_reps)
    result.update(group_start_terminate(execnet, a.spec, a.group_size,
                                        a.group_timeout))
    group = execnet.Group()
    try:
        gw = group.makegateway(a.spec)
        result["echo_median_s"], result["echo_mean_s"] = echo(gw, a.echo)
        result["small_h2r_per_s"] = host_to_remote(gw, a.small)
        result["small_r2h_per_s"] = remote_to_host(gw, a.small)
        result["bulk_h2r_mb_s"] = bulk_to_remote(gw, a.bulk)
        result["bulk_r2h_mb_s"] = bulk_to_host(gw, a.bulk)
        result["channels_s"] = many_channels(gw, a.channels)
    finally:
        group.terminate(TIMEOUT)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
