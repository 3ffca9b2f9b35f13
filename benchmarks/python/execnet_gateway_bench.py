#!/usr/bin/env python3
"""One round of the end-to-end gateway workloads through Python execnet.

Usage: execnet_gateway_bench.py --spec SPEC [--ready-reps R] [--echo N]
                                [--small N] [--bulk N] [--channels N]
                                [--group-size N] [--group-timeout S] [--ready-only | --group-only]
       execnet_gateway_bench.py --ssh-ready --spec SSH_SPEC [--ssh-warmups W]
       execnet_gateway_bench.py --ssh-scale --host-spec SPEC1 [--host-spec SPEC2 ...]
                                --per-host N --sshd-pids PID1,PID2,...
       execnet_gateway_bench.py --socket --spec SOCKET_SPEC [--ready-reps R] [--echo N]

Runs the same workloads as org.execnet4j.benchmarks.GatewayWorkloads
(the remote sources below are textually identical to the Java ones) and
prints ONE flat JSON line of figures (seconds, messages/s, MB/s with
MB = 10^6 bytes). If execnet cannot be imported the line says so
("execnet_available": false) and the exit status is still 0.
execnet is used as a black box only (public API).

With --ready-only only the first workload runs (a fresh gateway ready per new group);
with --group-only only the group workload (start, one exec each, terminate).

With --ssh-ready only the ssh workload of org.execnet4j.benchmarks.SshWorkload
runs: in one group, the first gateway of SSH_SPEC ready, then the second one
(while the first is open), then terminate the group; W untimed such pairs
run first in the same process.

With --ssh-scale only the scale run of org.execnet4j.benchmarks.SshScaleWorkload
runs: one thread per host spec, each starting N gateways of its spec in one
shared group (gateway ready = makegateway + remote_exec("channel.send(1)") +
receive), then terminate the group. It reports the times, this process's
CPU with its children's (the ssh clients), the CPU the sshd listeners'
children used per gateway (read from /proc/PID/stat once their connections
ended) and the peak RSS of this process and its descendants (sampled).

With --socket only the socket workloads of org.execnet4j.benchmarks.SocketVsExecnet
run: gateway ready and echo roundtrips over SOCKET_SPEC (a socket= spec of a
running execnet socketserver.py).
"""
import argparse
import json
import os
import resource
import statistics
import sys
import threading
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


def gateway_ready(execnet, spec, reps, idle=0.0):
    times = []
    for _ in range(reps):
        if idle:
            time.sleep(idle)    # not timed
        group = execnet.Group()
        t0 = time.perf_counter()
        gw = group.makegateway(spec)
        ch = gw.remote_exec(READY_SRC)
        ch.receive(TIMEOUT)
        times.append(time.perf_counter() - t0)
        ch.waitclose(TIMEOUT)
        group.terminate(TIMEOUT)
    return statistics.median(times)


def gateway_ready_later(execnet, spec, reps):
    """Mirrors GatewayWorkloads.gatewayReadyLater: in one group, the first
    gateway ready (not timed), then REPS later ones, each timed until its
    first remote_exec answered (they stay open until the group ends)."""
    times = []
    group = execnet.Group()
    try:
        group.makegateway(spec).remote_exec(READY_SRC).receive(TIMEOUT)
        for _ in range(reps):
            t0 = time.perf_counter()
            ch = group.makegateway(spec).remote_exec(READY_SRC)
            ch.receive(TIMEOUT)
            times.append(time.perf_counter() - t0)
            ch.waitclose(TIMEOUT)
    finally:
        group.terminate(TIMEOUT)
    return statistics.median(times)


def ssh_ready(execnet, spec, warmups):
    """Mirrors SshWorkload.java: first, second and third gateway ready, exit all three."""
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
        third = group.makegateway(spec)
        ch3 = third.remote_exec(READY_SRC)
        got = ch3.receive(TIMEOUT)
        assert got == 1, got
        t2b = time.perf_counter()
        ch1.waitclose(TIMEOUT)
        ch2.waitclose(TIMEOUT)
        ch3.waitclose(TIMEOUT)
    finally:
        t3 = time.perf_counter()
        group.terminate(TIMEOUT)
        t4 = time.perf_counter()
    return {"ssh_first_s": t1 - t0, "ssh_second_s": t2 - t1,
            "ssh_third_s": t2b - t2, "ssh_exit_s": t4 - t3}


def proc_children_cpu(pid):
    """user+sys CPU s of the waited-for children of PID (/proc/PID/stat)."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")


def proc_children(pid):
    """The pids of PID's children."""
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            return [int(c) for c in f.read().split()]
    except OSError:
        return []


def rss_kb(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeRssSampler(threading.Thread):
    """Samples the RSS of this process and all its descendants every 5 ms."""

    def __init__(self):
        super().__init__(daemon=True)
        self.peak_kb = 0
        self.running = True

    def sample(self):
        total, todo = 0, [os.getpid()]
        while todo:
            pid = todo.pop()
            total += rss_kb(pid)
            todo.extend(proc_children(pid))
        self.peak_kb = max(self.peak_kb, total)

    def run(self):
        while self.running:
            self.sample()
            time.sleep(0.005)

    def stop(self):
        self.running = False
        self.join()
        self.sample()


def ssh_scale(execnet, host_specs, per_host, sshd_pids):
    """Mirrors SshScaleWorkload.java: per_host gateways on each host, one
    thread per host, one roundtrip each, then terminate."""
    remote0 = sum(proc_children_cpu(p) for p in sshd_pids)
    cpu0 = cpu()
    sampler = TreeRssSampler()
    sampler.start()
    group = execnet.Group()
    errors = []

    def per_host_worker(spec):
        try:
            for _ in range(per_host):
                gw = group.makegateway(spec)
                ch = gw.remote_exec(READY_SRC)
                got = ch.receive(TIMEOUT)
                assert got == 1, got
        except Exception as e:  # reported after the join
            errors.append(e)

    t0 = time.perf_counter()
    threads = [threading.Thread(target=per_host_worker, args=(s,)) for s in host_specs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    t1 = time.perf_counter()
    group.terminate(10.0)
    t2 = time.perf_counter()
    sampler.stop()
    cpu1 = cpu()
    if errors:
        raise errors[0]
    deadline = time.monotonic() + 10
    while any(proc_children(p) for p in sshd_pids) and time.monotonic() < deadline:
        time.sleep(0.01)
    remote1 = sum(proc_children_cpu(p) for p in sshd_pids)
    n = per_host * len(host_specs)
    return {"ssh_scale_total_s": t2 - t0, "ssh_scale_start_s": t1 - t0,
            "ssh_scale_terminate_s": t2 - t1,
            "ssh_scale_cpu_host_s": (cpu1[0] + cpu1[1]) - (cpu0[0] + cpu0[1]),
            "ssh_scale_cpu_remote_per_gw_s": (remote1 - remote0) / n,
            "ssh_scale_peak_rss_mb": sampler.peak_kb * 1024 / 1e6}


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
    p.add_argument("--ssh-scale", action="store_true",
                   help="run only the ssh scale run")
    p.add_argument("--host-spec", action="append", default=[])
    p.add_argument("--per-host", type=int, default=10)
    p.add_argument("--sshd-pids", default="")
    p.add_argument("--ready-only", action="store_true",
                   help="run only the popen gateway-ready workload")
    p.add_argument("--group-only", action="store_true",
                   help="run only the popen group workload")
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
    if a.ssh_scale:
        pids = [int(p) for p in a.sshd_pids.split(",") if p]
        result.update(ssh_scale(execnet, a.host_spec, a.per_host, pids))
        print(json.dumps(result))
        return 0
    if a.socket:
        result["socket_ready_s"] = gateway_ready(execnet, a.spec, a.ready_reps)
        result["socket_ready_idle_s"] = gateway_ready(execnet, a.spec, a.ready_reps, idle=0.1)
        group = execnet.Group()
        try:
            gw = group.makegateway(a.spec)
            result["socket_echo_median_s"], result["socket_echo_mean_s"] = echo(gw, a.echo)
        finally:
            group.terminate(TIMEOUT)
        print(json.dumps(result))
        return 0
    if a.group_only:
        result.update(group_start_terminate(execnet, a.spec, a.group_size,
                                            a.group_timeout))
        print(json.dumps(result))
        return 0
    result["ready_s"] = gateway_ready(execnet, a.spec, a.ready_reps)
    if a.ready_only:
        print(json.dumps(result))
        return 0
    result["ready_later_s"] = gateway_ready_later(execnet, a.spec, a.ready_reps)
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
