#!/usr/bin/env python3
"""Where an ssh gateway's start time goes, on the wire and in sshd: a phase table per connection.

Usage (as root, Linux):
  ssh_start_timeline.py capture SECONDS > segments.txt
      prints every TCP segment on the loopback interface (time, ports, flags, payload bytes)
      for SECONDS, like tcpdump without its dependency
  strace --seccomp-bpf -f -ttt -e trace=execve,bind,accept,accept4,connect,clone,clone3 \\
         -o sshd.strace -p SSHD_PID
      (beside it) records the processes sshd starts for each connection, on the same clock
  ssh_start_timeline.py table segments.txt sshd.strace SSHD_PORT [CONNECTION ...]
      the phases of each connection to SSHD_PORT (numbered in the order they were opened)

Run both around SshVsExecnet's "pair" part (-Dexecnet4j.bench.parts=pair; the sshd is the one
with execnet4j-ssh-bench in its command line): execnet4j's rounds are the connections that carry a
warm interpreter (the table shows its socket being bound), execnet's open one connection per gateway.
The phases are found by the packets' sizes (SSH packets are encrypted once the keys are
exchanged), so they fit OpenSSH 9.x servers with an ECDSA user key; a phase not found shows "?".
"""
import collections
import re
import socket
import struct
import sys
import time


def capture(seconds):
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.ntohs(0x0003))
    sock.bind(("lo", 0))
    sock.settimeout(0.5)
    end = time.time() + seconds
    while time.time() < end:
        try:
            packet, address = sock.recvfrom(65535)
        except socket.timeout:
            continue
        if address[2] == socket.PACKET_OUTGOING:    # the loopback shows each packet twice
            continue
        now = time.time()
        ip = packet[14:]
        if ip[9] != 6:
            continue
        header = (ip[0] & 15) * 4
        tcp = ip[header:]
        source, destination, _, _, offset = struct.unpack("!HHIIB", tcp[:13])
        payload = struct.unpack("!H", ip[2:4])[0] - header - (offset >> 4) * 4
        flags = "".join(c for c, bit in zip("FSRPAU", (1, 2, 4, 8, 16, 32)) if tcp[13] & bit)
        print("%.6f %d %d %s len=%d" % (now, source, destination, flags, payload), flush=True)


def read_segments(path, port):
    segments = collections.defaultdict(list)
    for line in open(path):
        t, source, destination, flags, length = line.split()
        source, destination = int(source), int(destination)
        if port in (source, destination):
            client = destination if source == port else source
            segments[client].append((float(t), "S" if source == port else "C", int(length.split("=")[1])))
    return segments


def read_processes(path):
    children, events, accepted = collections.defaultdict(list), collections.defaultdict(list), {}
    for line in open(path):
        match = re.match(r"(\d+)\s+([\d.]+)\s+(.*)", line)
        if not match:
            continue
        pid, t, call = int(match.group(1)), float(match.group(2)), match.group(3)
        events[pid].append((t, call))
        forked = re.match(r"(clone3?|fork|vfork)\(.*= (\d+)", call)
        if forked:
            children[pid].append(int(forked.group(2)))
        accept = re.match(r"accept4?\(3, .*htons\((\d+)\)", call)
        if accept:
            accepted[int(accept.group(1))] = (pid, t)
    return children, events, accepted


def descendants(pid, children, events):
    found = list(events[pid])
    for child in children[pid]:
        found += descendants(child, children, events)
    return sorted(found)


def table(segments_path, strace_path, port, which):
    segments = read_segments(segments_path, port)
    children, events, accepted = read_processes(strace_path)
    order = sorted(segments, key=lambda c: segments[c][0][0])
    for number in which or range(len(order)):
        client = order[number]
        segs = segments[client]
        calls = []
        if client in accepted:
            listener, at = accepted[client]
            own = [k for k in children[listener] if events[k] and events[k][0][0] >= at]
            calls = descendants(own[0], children, events) if own else []
        print_phases(number, client, segs, calls)


def print_phases(number, client, segs, calls):
    def segment(after, test):
        return next((t for t, side, length in segs if t > after and test(side, length)), None)

    def call(after, text):
        return next((t for t, c in calls if t > after and text in c), None)

    marks = []

    def mark(name, t):
        marks.append((name, t))
        return t if t is not None else float("inf")

    t0 = segs[0][0]
    t = mark("TCP connect, sshd forks and re-executes itself, its version line", segment(t0, lambda s, n: s == "S" and n > 0))
    t = mark("server's algorithms (KEXINIT)", segment(t, lambda s, n: s == "S" and n > 0))
    t = mark("client: sntrup761 + X25519 key pair -> its key exchange message", segment(t, lambda s, n: s == "C" and n > 1150))
    t = mark("server: encapsulation + host key signature -> its reply", segment(t, lambda s, n: s == "S" and n > 1500))
    t = mark("client: decapsulation + host key check -> NEWKEYS", segment(t, lambda s, n: s == "C" and n == 16))
    t = mark("login (service, 'none', public key query, signed request)", segment(t, lambda s, n: s == "S" and n == 28))
    t = mark("session channel + exec request -> sshd starts the shell", call(t, 'execve("/bin/bash"'))
    t = mark("shell -> python", call(t, "execve(\"/usr/bin/python"))
    if call(t, 'execnet4j-warm-') is not None:
        t = mark("python start + warm boot (cached bytecode, imports) -> socket bound", call(t, "bind("))
        t = mark("warm interpreter's rehearsal -> ready line at the client", segment(t, lambda s, n: s == "S" and n > 100))
        mark("client opens a stream-local channel -> sshd connects to the socket", call(t, "connect("))
    else:
        mark("python start + bootstrap (compiles execnet's source) -> first bytes back", segment(t, lambda s, n: s == "S" and n > 0))
    print("%-78s %8s %8s" % ("connection %d (client port %d)" % (number, client), "ms", "at ms"))
    previous = t0
    for name, at in marks:
        if at is None:
            print("%-78s %8s" % (name, "?"))
            continue
        print("%-78s %8.1f %8.1f" % (name, (at - previous) * 1e3, (at - t0) * 1e3))
        previous = at


def main(argv):
    if len(argv) >= 2 and argv[0] == "capture":
        capture(float(argv[1]))
    elif len(argv) >= 4 and argv[0] == "table":
        table(argv[1], argv[2], int(argv[3]), [int(a) for a in argv[4:]])
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
