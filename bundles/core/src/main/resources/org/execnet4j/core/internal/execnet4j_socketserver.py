#!/usr/bin/env python3
"""execnet4j socket server: serves execnet socket gateways (spec socket=HOST:PORT).

Speaks the protocol of execnet's script/socketserver.py, so execnet4j's Java host
and Python execnet hosts both work with it: a client sends one line, a Python
string literal holding a program, and the program runs with the globals
``clientsock`` (the connection) and ``address`` (the peer), then speaks frames
over the connection.  Unlike execnet's server it

* listens on 127.0.0.1 unless --bind says otherwise (a warning is printed for
  any other address: whoever can reach the port can run code as this user);
* serves many connections at once: each runs in its own forked process (of this
  already started interpreter), so a gateway that crashes or calls os._exit
  never takes the server down;
* with --token-file F, requires each client to prove that it knows the token
  before anything it sends is evaluated: the server sends
  "execnet4j-auth-1 <nonce>\\n" (a fresh random nonce per connection), the client
  answers the hex HMAC-SHA256 of "execnet4j-auth-1 <nonce>" keyed with the
  token, the server compares in constant time and answers "ok\\n" (or
  "denied\\n" and closes).  The token itself never travels;
* reads the first line as a literal only (ast.literal_eval), bounded in length
  and in time (--handshake-timeout);
* offers --once, --max-clients N, a clean stop on SIGTERM/SIGINT (its gateway
  processes are terminated too) and one log line per connection on stderr;
* keeps execnet4j's agent loaded (the copy embedded below by execnet4j's Java
  side, or --agent FILE): a forked process then starts an execnet4j gateway
  without unmarshalling and executing the agent again.  The agent is
  announced to a connection as the global ``_execnet4j_warm`` (the agent's
  namespace, with its SHA-256 as ``_execnet4j_agent_sha256``); execnet4j's
  host sends a short first line that starts it if the hash is its agent's, and
  otherwise answers "?" and reads a second line with the whole agent.  Other
  clients' programs run in a namespace of their own as before;
* makes each forked process copy, while it waits for its connection, the pages
  a gateway's start writes (see HotPages), and kills the process group of each
  process it reaps, so what a gateway started ends with it.

With --unix PATH --host-pipe (or --private-unix --host-pipe) it is
execnet4j's warm interpreter for popen and ssh gateways: it listens on a Unix
domain socket (in a directory only its user can enter; --private-unix makes
that directory itself, in $TMPDIR or /tmp, and names the socket in its ready
line), each gateway takes two connections in a row (its protocol stream and
its stderr), learns its process id in the first line and runs as a fresh
interpreter would: stdin and stdout are the protocol stream, stderr the second
connection, and the agent leads its own session.  The host talks to the server
over stdin and stdout: the server writes "ready <sha256>" once it listens
("ready <sha256> <socket path>" with --private-unix) and
"exit <pid> <status>" whenever a gateway process ended (status as a shell
shows it, 128+N for signal N); the host writes "kill <pid>" to kill a gateway's
process group; end of stdin stops the server.  The host starts it with
execnet4j_warm_boot.py, which loads this program and the agent as bytecode kept
in a cache file (--booted).

Usage: python3 execnet4j_socketserver.py [--bind HOST:PORT | --unix PATH | --private-unix]
           [--token-file F] [--once] [--max-clients N]
           [--handshake-timeout SECONDS] [--agent FILE|-] [--host-pipe] [--booted]

Run with remote_exec (``__name__ == "__channelexec__"``) it is the one-connection
server of installvia: it receives (host, port, token or None), binds, sends the
bound (host, port) back, accepts one connection and runs that gateway in the
calling thread.

Only the standard library is used; Python 3.8 or newer.
"""
import os

# A spare process copies the hot pages (HotPages) the moment it is forked, in this handler: it is
# registered before any other module's, so it runs before threading's, which alone writes some
# hundred pages of this server's memory in each forked process (one copy-on-write fault of tens of
# microseconds each; copied ahead in one madvise call, the same pages cost a third of that).
_copy_on_fork = None    # the HotPages of the spare being forked (Server._fork_spare), else None


def _copy_ahead_in_child():
    global _copy_on_fork
    hot, _copy_on_fork = _copy_on_fork, None
    if hot is not None:
        hot.copy_ahead()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_copy_ahead_in_child)

import array    # the modules after the handler above
import binascii
import collections
import gc
import hashlib
import hmac
import marshal
import select
import signal
import socket
import struct
import sys
import threading
import time
import traceback
import warnings
import weakref
import zlib

AUTH_PROTOCOL = "execnet4j-auth-1"
DEFAULT_BIND = "127.0.0.1:8888"
MAX_BOOTSTRAP_LINE = 64 << 20     # execnet's line is about 53 KB, ours about 75 KB
MAX_AUTH_ANSWER = 256
STOP_GRACE = 5.0                  # seconds gateways get to end on SIGTERM before SIGKILL
PAIR_TIMEOUT = 10.0               # seconds a warm gateway's second connection may take
SPARES = 2                        # spare processes forked ahead (one for --once)
SPARE_DELAY = 0.05                # seconds the next spare waits at most for the gateway that took the last one to answer
REHEARSAL_TIMEOUT = 5.0           # seconds the rehearsal that learns the hot pages may take
MADV_POPULATE_WRITE = 23          # madvise(2) advice, Linux 5.14+
KILLS_GROUPS = hasattr(os, "waitid")    # reaping kills a gateway's process group (Server._reap); not PyPy

# execnet4j's agent program (its source text), embedded by execnet4j's Java side; None: no agent
_EMBEDDED_AGENT = None

# exit status of a connection process -> the outcome the log line names
SERVED = 0
REFUSED_NO_TOKEN = 70
REFUSED_WRONG_TOKEN = 71
CLOSED_EARLY = 72
TIMED_OUT = 73
BAD_LINE = 74
PROGRAM_FAILED = 75
OUTCOMES = {
    SERVED: "served",
    REFUSED_NO_TOKEN: "refused: no token (the client did not answer the challenge)",
    REFUSED_WRONG_TOKEN: "refused: wrong token",
    CLOSED_EARLY: "closed by the client before its bootstrap line",
    TIMED_OUT: "timed out waiting for the client",
    BAD_LINE: "refused: the first line is not a Python string literal",
    PROGRAM_FAILED: "the bootstrap program raised an exception",
}

_KEEP_WARM = (binascii, collections, marshal, struct, threading, traceback, weakref, zlib)


class HotPages(object):
    """The pages of this server's memory that a gateway process writes while it starts, copied ahead.

    A process forked from this server shares its memory copy-on-write: each page a gateway
    writes while it starts (reference counts, the allocator's pools, the interpreter's own
    data; some hundreds of pages) costs a page fault and a copy, and a fault costs tens of
    microseconds on a virtual machine.  A spare process copies those pages before its
    connection arrives, with a few madvise(MADV_POPULATE_WRITE) calls that cost a fraction
    of the faults.  Which pages is learned once, by a rehearsal: a forked process serves one
    scripted gateway (bootstrap line, one remote_exec, terminate) over socket pairs and
    reports the pages of the server's writable private mappings that /proc/self/pagemap then
    shows as its own (mapped by no other process: copied since the fork).  Copying ahead only
    pays where a fault costs much more than the copy itself; where it does not, the rehearsal
    would only cost CPU, so the forked process first measures both (FaultProbe) and rehearses
    only if copying ahead pays.  Linux 5.14+ with ctypes only; elsewhere, or when the rehearsal
    fails, nothing is copied ahead.
    """

    def __init__(self, ranges=None, madvise=None):
        self.ranges = ranges if madvise is not None else array.array("Q")  # start, length, ... (bytes)
        self._madvise = madvise

    @classmethod
    def learn(cls, rehearse, pays=None):
        """The pages the forked process that runs rehearse() writes; empty when that cannot be
        learned or copying ahead does not pay (pays(fault_ns, copy_ns), copy_ahead_pays by default)."""
        try:
            madvise = libc_madvise()
            probe = FaultProbe(madvise)
        except (ImportError, OSError, AttributeError, ValueError, TypeError):
            return cls()
        pays = pays or copy_ahead_pays
        report_r, report_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(report_r)
            ranges = array.array("Q")
            try:
                costs = probe.measure()
                if costs is not None and pays(*costs):
                    mappings = _private_mappings()   # the server's; what the rehearsal maps is new in each process
                    rehearse()
                    ranges = _runs(sorted(_exclusive_pages(mappings) - probe.pages()))
            except BaseException:
                ranges = array.array("Q")
            finally:
                try:
                    os.write(report_w, ranges.tobytes())
                finally:
                    os._exit(0)
        os.close(report_w)
        data = b""
        deadline = time.monotonic() + REHEARSAL_TIMEOUT
        try:
            while time.monotonic() < deadline:
                if not select.select([report_r], [], [], max(0.0, deadline - time.monotonic()))[0]:
                    break
                chunk = os.read(report_r, 1 << 16)
                if not chunk:
                    break
                data += chunk
            else:
                data = b""
        finally:
            os.close(report_r)
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
            os.waitpid(pid, 0)
            probe.close()
        ranges = array.array("Q")
        ranges.frombytes(data[:len(data) - len(data) % 16])
        return cls(ranges, madvise)

    def copy_ahead(self):
        """Makes this process's own copy of the hot pages now (in a spare, before its connection)."""
        ranges = self.ranges
        for i in range(0, len(ranges), 2):
            self._madvise(ranges[i], ranges[i + 1], MADV_POPULATE_WRITE)   # a failure only costs the faults

    def __len__(self):
        return sum(self.ranges[1::2]) // PAGE_SIZE


PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
PROBE_PAGES = 128             # pages FaultProbe times each way
COPY_AHEAD_PAYS = 2.0         # copying ahead pays where a fault costs this many times the copy


def libc_madvise():
    """The C library's madvise(addr, length, advice) through ctypes (imported only here: it costs a
    warm interpreter's start 1-1.5 ms)."""
    import ctypes
    madvise = ctypes.CDLL(None, use_errno=True).madvise
    madvise.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int)
    return madvise


def copy_ahead_pays(fault_ns, copy_ns):
    """Whether copying pages ahead saves a gateway's start time: a fault must cost clearly more
    than copying the page ahead (on one VM 15-70 us against a few; on another 1.4 against 1.8)."""
    return fault_ns > COPY_AHEAD_PAYS * copy_ns


class FaultProbe(object):
    """Measures, in a process forked from this one, what a copy-on-write fault costs per page
    against copying the page ahead with madvise(MADV_POPULATE_WRITE).

    The parent makes a private area of 2 x PROBE_PAGES pages and writes them, so a forked
    process shares them copy-on-write; measure() (in that process) writes the first half, one
    fault per page, and copies the second half ahead in one call.  close() in the parent.
    """

    def __init__(self, madvise, pages=PROBE_PAGES):
        import ctypes
        import mmap
        self._madvise = madvise
        self._half = pages * PAGE_SIZE
        self._area = mmap.mmap(-1, 2 * self._half, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
        self._area.write(b"\1" * (2 * self._half))
        self._view = ctypes.c_char.from_buffer(self._area)
        self._start = ctypes.addressof(self._view)
        self._memset = ctypes.memset

    def measure(self):
        """(fault_ns, copy_ns) per page in this forked process; None where madvise cannot copy ahead."""
        start, half = self._start, self._half
        begin = time.perf_counter_ns()
        self._memset(start, 2, half)
        faulted = time.perf_counter_ns()
        if self._madvise(start + half, half, MADV_POPULATE_WRITE) != 0:
            return None     # a kernel older than 5.14
        copied = time.perf_counter_ns()
        pages = half // PAGE_SIZE
        return (faulted - begin) / pages, (copied - faulted) / pages

    def pages(self):
        """The area's page numbers, which the rehearsal's report leaves out."""
        first = self._start // PAGE_SIZE
        return set(range(first, first + 2 * self._half // PAGE_SIZE))

    def close(self):
        del self._view      # the area cannot close while ctypes holds its buffer
        self._area.close()
MAX_MAPPING = 256 << 20       # larger writable mappings are reservations, not the interpreter's data


def _private_mappings():
    """(start, end) of this process's writable private mappings (Linux /proc/self/maps)."""
    mappings = []
    with open("/proc/self/maps") as f:
        for line in f:
            fields = line.split()
            perms = fields[1]
            name = fields[5] if len(fields) > 5 else ""
            if perms[1] == "w" and perms[3] == "p" and not name.startswith("[v"):
                start, end = (int(x, 16) for x in fields[0].split("-"))
                if end - start <= MAX_MAPPING:
                    mappings.append((start, end))
    return mappings


def _exclusive_pages(mappings):
    """Page numbers in these mappings that are present and mapped by this process only (pagemap bits 63, 56)."""
    pages = set()
    fd = os.open("/proc/self/pagemap", os.O_RDONLY)
    try:
        for start, end in mappings:
            first = start // PAGE_SIZE
            entries = memoryview(os.pread(fd, (end - start) // PAGE_SIZE * 8, first * 8)).cast("Q")
            pages.update(first + i for i, entry in enumerate(entries) if entry >> 56 & 0x81 == 0x81)
    finally:
        os.close(fd)
    return pages


def _runs(pages):
    """Sorted page numbers as runs: array of start address, length in bytes, ..."""
    runs = array.array("Q")
    for page in pages:
        if runs and runs[-2] + runs[-1] == page * PAGE_SIZE:
            runs[-1] += PAGE_SIZE
        else:
            runs.extend((page * PAGE_SIZE, PAGE_SIZE))
    return runs


class Refused(Exception):
    """A connection that is not served; .status is its exit status."""

    def __init__(self, status):
        Exception.__init__(self, OUTCOMES[status])
        self.status = status


def parse_address(text):
    """'HOST:PORT', '[IPV6]:PORT' or ':PORT' (loopback) -> (host, port)."""
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit() or int(port) > 65535:
        raise ValueError("%r is not HOST:PORT (e.g. 127.0.0.1:8888 or [::1]:8888)" % (text,))
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    return host or "127.0.0.1", int(port)


def format_address(address):
    host, port = address[0], address[1]
    return "[%s]:%d" % (host, port) if ":" in host else "%s:%d" % (host, port)


def listen_unix(path, backlog=50):
    """A listening Unix domain socket at PATH (its directory decides who may connect)."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.set_inheritable(False)
        sock.bind(path)
        sock.listen(backlog)
    except BaseException:
        sock.close()
        raise
    return sock


def private_socket_path():
    """A socket path in a new directory only this user can enter (0700), in $TMPDIR or /tmp."""
    parent = os.environ.get("TMPDIR") or "/tmp"
    while True:
        directory = os.path.join(parent, "execnet4j-warm-" + binascii.hexlify(os.urandom(8)).decode("ascii"))
        try:
            os.mkdir(directory, 0o700)
        except FileExistsError:
            continue
        return os.path.join(directory, "s")


def load_agent(source):
    """execnet4j's agent executed once in a namespace of its own, its SHA-256 (hex) in it."""
    return run_agent(compile(source, "<string>", "exec"), hashlib.sha256(source.encode("utf-8")).hexdigest())


def run_agent(code, sha256):
    """The agent's code executed once in a namespace of its own, with the SHA-256 (hex) of its source."""
    namespace = {"__name__": "__main__"}
    exec(code, namespace)
    namespace["_execnet4j_agent_sha256"] = sha256
    return namespace


def listen(host, port, backlog=50):
    """A listening socket on the first address HOST resolves to."""
    infos = socket.getaddrinfo(host, port, socket.AF_UNSPEC, socket.SOCK_STREAM, 0, socket.AI_PASSIVE)
    family, kind, proto, _, sockaddr = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.set_inheritable(False)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(sockaddr)
        sock.listen(backlog)
    except BaseException:
        sock.close()
        raise
    return sock


def is_loopback(host):
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror:
        return False
    return all(info[4][0].startswith("127.") or info[4][0] == "::1" for info in infos)


def read_token(path):
    with open(path, "rb") as f:
        token = f.read().strip()
    if not token:
        raise ValueError("token file %s is empty" % (path,))
    return token


def expected_answer(token, nonce):
    message = ("%s %s" % (AUTH_PROTOCOL, nonce)).encode("ascii")
    return hmac.new(token, message, hashlib.sha256).hexdigest().encode("ascii")


def read_line(sock, limit, too_long):
    """Bytes up to (without) the next newline; None on EOF; Refused(too_long) past limit bytes."""
    buf = bytearray()
    searched = 0
    while True:
        end = buf.find(b"\n", searched)
        if end >= 0:
            return bytes(buf[:end])
        if len(buf) > limit:
            raise Refused(too_long)
        searched = len(buf)
        chunk = sock.recv(65536)
        if not chunk:
            return None
        buf += chunk


def check_token(sock, token):
    """Challenge-response: raises Refused unless the client proves it knows the token."""
    nonce = binascii.hexlify(os.urandom(16)).decode("ascii")
    sock.sendall(("%s %s\n" % (AUTH_PROTOCOL, nonce)).encode("ascii"))
    answer = read_line(sock, MAX_AUTH_ANSWER, REFUSED_NO_TOKEN)
    if answer is None:
        raise Refused(CLOSED_EARLY)
    answer = answer.strip()
    if len(answer) != 64 or answer.strip(b"0123456789abcdef"):
        raise Refused(REFUSED_NO_TOKEN)
    if not hmac.compare_digest(expected_answer(token, nonce), answer):
        try:
            sock.sendall(b"denied\n")
        except OSError:
            pass
        raise Refused(REFUSED_WRONG_TOKEN)
    sock.sendall(b"ok\n")


def typical_line(paired):
    """A typical execnet4j host's bootstrap line (without its newline) for the agent a server keeps loaded."""
    config = {"id": "rehearsal-worker", "execmodel": "thread", "io": "stdio" if paired else "socket",
              "shutdown_grace": 1.0, "max_item": 512 << 20, "flow_window": 4 << 20}
    program = "_execnet4j_warm['_execnet4j_main'](%r)\n" % (config,)
    if not paired:
        program = "_execnet4j_warm['clientsock'] = clientsock\n" + program
    return repr(program)


def rehearsal_script(warm, paired):
    """What a host sends for a typical gateway: bootstrap line, one remote_exec, GATEWAY_TERMINATE."""
    task = warm["dumps_internal"](("channel.send(1)", None, None, {}))
    frame = struct.Struct("!bii")
    return (typical_line(paired) + "\n").encode("ascii") + frame.pack(3, 1, len(task)) + task + frame.pack(2, -1, 0)


def literal_text(line):
    """The str or bytes of a line that must be one str/bytes literal; Refused(BAD_LINE) otherwise.

    The line is compiled as an expression and accepted only if its code refers to no name and
    holds nothing but str/bytes constants, so evaluating it runs no code of the client's (this
    is as safe as ast.literal_eval and twenty times faster on a 70 KB line).
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            code = compile(line.strip(), "<bootstrap line>", "eval")
        if code.co_names or code.co_varnames or not code.co_consts \
                or not all(isinstance(c, (str, bytes)) for c in code.co_consts):
            raise Refused(BAD_LINE)
        program = eval(code, {"__builtins__": {}})
    except Refused:
        raise
    except Exception:
        raise Refused(BAD_LINE)
    if not isinstance(program, (str, bytes)):
        raise Refused(BAD_LINE)
    return program


def read_program(sock):
    """The program of the client's first line, which must be one str or bytes literal."""
    line = read_line(sock, MAX_BOOTSTRAP_LINE, BAD_LINE)
    if line is None:
        raise Refused(CLOSED_EARLY)
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(BAD_LINE)
    return literal_text(text)


def serve_connection(sock, address, token, handshake_timeout, warm=None, errsock=None):
    """Authenticate, read the bootstrap line and run its program; returns the outcome status.

    With errsock (a warm popen gateway) the process first tells the client its pid, then runs
    the program as a fresh interpreter would (see become_fresh) and exits as one would.
    """
    if errsock is None:
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass
    try:
        sock.settimeout(handshake_timeout)
        if errsock is not None:
            sock.sendall(("%d\n" % os.getpid()).encode("ascii"))
        if token is not None:
            check_token(sock, token)
        program = read_program(sock)
        sock.settimeout(None)
    except Refused as refused:
        return refused.status
    except socket.timeout:
        return TIMED_OUT
    except OSError:
        return CLOSED_EARLY
    if errsock is not None:
        become_fresh(sock, errsock)
        if KILLS_GROUPS:
            warm["_group_killed_by"] = os.getppid()     # see Server._reap
        return run_as_main(program, {"__name__": "__main__", "_execnet4j_warm": warm})
    namespace = {"clientsock": sock, "address": address, "__name__": "__socketserver__"}
    if warm is not None:
        namespace["_execnet4j_warm"] = warm
    try:
        exec(compile(program, "<socket server>", "exec"), namespace)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else SERVED
    except BaseException:
        traceback.print_exc()
        return PROGRAM_FAILED
    return SERVED


def become_fresh(sock, errsock):
    """This process's stdio as a fresh popen interpreter's: stdin and stdout the connection, stderr errsock."""
    os.dup2(sock.fileno(), 0)
    os.dup2(sock.fileno(), 1)
    os.dup2(errsock.fileno(), 2)
    sock.close()
    errsock.close()
    sys.argv[:] = ["-c"]


def run_as_main(program, namespace):
    """Runs a program as python -c would and returns the exit status it would have."""
    import atexit
    try:
        exec(compile(program, "<string>", "exec"), namespace)
        status = 0
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            status = exc.code or 0
        else:
            sys.stderr.write("%s\n" % (exc.code,))
            status = 1
    except BaseException:
        traceback.print_exc()
        status = 1
    atexit._run_exitfuncs()
    return status


class AcceptTurns(object):
    """Which spare accepts next, where each gateway takes two connections in a row (--unix).

    Spares that waited in accept() at the same time could split a gateway's two connections
    between them, so only the spare that holds the turn accepts; the others wait, prepared,
    until the server hands one of them the turn (a byte on a pipe of its own) once the holder
    took its connections or ended.
    """

    def __init__(self):
        self._pipes = {}        # spare pid -> write end of its turn pipe
        self._holder = None

    def fds(self):
        """The server's ends of the turn pipes (a forked spare closes them)."""
        return list(self._pipes.values())

    def add(self, pid, turn_w):
        self._pipes[pid] = turn_w

    def settle(self, spares):
        """Forgets processes that are no spares any more; hands the turn on if its holder was one."""
        for pid in [pid for pid in self._pipes if pid not in spares]:
            os.close(self._pipes.pop(pid))
        if self._holder not in self._pipes:
            self._holder = min(self._pipes) if self._pipes else None
            if self._holder is not None:
                try:
                    os.write(self._pipes[self._holder], b"t")
                except OSError:
                    pass    # it died: once reaped, it is no spare and the turn goes on

    def close(self):
        self.settle(())

    @staticmethod
    def wait(turn_r, alive_r):
        """In a spare: waits for its turn; exits once the server is gone."""
        if alive_r in select.select([turn_r, alive_r], [], [])[0]:
            os._exit(SERVED)
        os.close(turn_r)


class Server(object):
    """One forked process per connection, forked ahead of time.

    Spare processes (forks of this warm interpreter) wait in accept(), so a new
    connection is served at once, also one that follows the last at once (two spares:
    preparing a spare takes some milliseconds of CPU); when a spare takes a connection it
    tells the parent its pid and peer over a pipe, and the parent forks the next spare
    (unless --max-clients gateways are busy: then the parent itself accepts and refuses
    the one too many, with a log line).  While another spare still waits, the next one is
    forked only once the gateway just connected answered its first remote_exec (the agent
    tells over the same pipe), or SPARE_DELAY later if it did not by then, so that the
    spare's preparation does not share the CPU with that gateway's start.  A spare also does
    ahead what each gateway's start does first (_prepare_gateway).  A warm interpreter's
    (--unix) gateways take two connections in a row, so one spare at a time accepts there
    (AcceptTurns).  The parent logs one line per connection when its process ends.
    """

    def __init__(self, listener, token, once, max_clients, handshake_timeout, log, warm=None, paired=False,
                 host_pipe=False):
        self.listener = listener
        self.warm = warm
        self.hot = HotPages()
        self.typical_line = typical_line(paired)    # what a spare compiles ahead (_prepare_gateway)
        self.ready = None               # called once it serves
        self.paired = paired            # each gateway: two connections, run as a fresh interpreter
        self.host_pipe = host_pipe      # commands on stdin, exits reported on stdout
        self.token = token
        self.once = once
        self.max_clients = max_clients
        self.handshake_timeout = handshake_timeout
        self.log = log
        self.children = {}          # pid -> peer text ("" for a spare)
        self.spares = set()         # pids of the processes waiting in accept() (or for their turn)
        self.pool = 1 if once else SPARES
        self.turns = AcceptTurns() if paired and self.pool > 1 else None
        self.served = 0
        self._next_spare_at = 0.0   # monotonic time before which no spare is forked while one waits
        self._latest = None         # pid of the spare that took the latest connection
        self.stopping = False
        self._news = b""
        self._commands = b""

    def _rehearse(self):
        """Serves one scripted gateway over socket pairs, as a connection is served (see HotPages)."""
        sock, host = socket.socketpair()
        errsock = socket.socketpair()[0] if self.paired else None
        host.sendall(rehearsal_script(self.warm, self.paired))
        host.shutdown(socket.SHUT_WR)       # a host closes its side after GATEWAY_TERMINATE
        self._prepare_gateway()
        serve_connection(sock, None, None, REHEARSAL_TIMEOUT, self.warm, errsock)

    def run(self):
        gc.collect()
        if hasattr(gc, "freeze"):   # CPython 3.7+, not PyPy
            gc.freeze()     # forked processes then do not copy the server's objects when they collect
        if self.warm is not None and sys.platform.startswith("linux"):
            self.hot = HotPages.learn(self._rehearse)
        if self.ready is not None:
            self.ready()
        if self.pool > 1:
            self.listener.setblocking(False)    # spares that lose the race for a connection wait again
        wake_r, wake_w = os.pipe()
        news_r, news_w = os.pipe()
        alive_r, alive_w = os.pipe()    # spares wait on alive_r: its end of file means the server is gone
        for fd in (wake_r, wake_w, news_r):
            os.set_blocking(fd, False)
        signal.set_wakeup_fd(wake_w)
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        signal.signal(signal.SIGCHLD, lambda signum, frame: None)
        own_fds = (wake_r, wake_w, news_r, alive_w)
        try:
            while not self.stopping:
                self._reap(news_r)
                if self.once and self.served and not self.children:
                    break
                while len(self.spares) < self.pool and self._may_fork() and not self._spare_delayed():
                    self._fork_spare(own_fds, news_w, alive_r)
                if self.turns is not None:
                    self.turns.settle(self.spares)
                watched = [wake_r, news_r]
                if not self.spares and not (self.once and self.served):
                    watched.append(self.listener)
                if self.host_pipe:
                    watched.append(0)
                delayed = len(self.spares) < self.pool and self._may_fork()
                timeout = max(0.0, self._next_spare_at - time.monotonic()) if delayed else None
                ready, _, _ = select.select(watched, [], [], timeout)
                if 0 in ready:
                    self._host_commands()
                if wake_r in ready:
                    try:
                        os.read(wake_r, 512)
                    except OSError:
                        pass
                if self.listener in ready and not self.stopping:
                    self._refuse()
        finally:
            self.listener.close()
            self._stop_children(news_r)
            if self.turns is not None:
                self.turns.close()
            signal.set_wakeup_fd(-1)
            for fd in own_fds + (news_w, alive_r):
                os.close(fd)
        self.log("stopped")

    def _host_commands(self):
        """Lines from the host on stdin: "kill <pid>"; end of file stops the server."""
        chunk = os.read(0, 4096)
        if not chunk:
            self.stopping = True
            return
        *lines, self._commands = (self._commands + chunk).split(b"\n")
        for line in lines:
            words = line.split()
            if len(words) == 2 and words[0] == b"kill" and words[1].isdigit():
                self._kill_gateway(int(words[1]))

    def _kill_gateway(self, pid):
        """SIGKILL to a gateway process of ours and its process group (it leads one once its agent runs).

        Its pid cannot have been reused: the process stays a zombie until this server reaps it.
        """
        if pid not in self.children or pid in self.spares:
            return
        for kill in (os.killpg, os.kill):
            try:
                kill(pid, signal.SIGKILL)
            except OSError:
                pass

    def _stop(self, signum, frame):
        self.stopping = True

    def _busy(self):
        return len(self.children) - len(self.spares)

    def _spare_delayed(self):
        """Whether the next spare waits: another one waits for connections and one was taken just now."""
        return bool(self.spares) and time.monotonic() < self._next_spare_at

    def _may_fork(self):
        if self.once and self.served:
            return False
        return not self.max_clients or self._busy() + len(self.spares) < self.max_clients

    def _refuse(self):
        try:
            sock, address = self.listener.accept()
        except OSError:
            return
        self.log("%s refused: %d gateways already served (--max-clients)" % (format_address(address), self._busy()))
        sock.close()

    def _fork_spare(self, own_fds, news_w, alive_r):
        global _copy_on_fork
        turn_r, turn_w = os.pipe() if self.turns is not None else (None, None)
        _copy_on_fork = self.hot
        try:
            pid = os.fork()
        finally:
            _copy_on_fork = None
        if pid:
            self.children[pid] = ""
            self.spares.add(pid)
            if self.turns is not None:
                os.close(turn_r)
                self.turns.add(pid, turn_w)
            return
        status = PROGRAM_FAILED
        try:
            signal.set_wakeup_fd(-1)
            for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGCHLD):
                signal.signal(signum, signal.SIG_DFL)
            for fd in own_fds + (tuple(self.turns.fds()) + (turn_w,) if self.turns is not None else ()):
                os.close(fd)
            devnull = os.open(os.devnull, os.O_RDONLY)
            os.dup2(devnull, 0)
            os.close(devnull)
            self._prepare_gateway()
            if turn_r is not None:
                AcceptTurns.wait(turn_r, alive_r)
            sock, address = self._accept(alive_r)
            errsock = self._accept_pair() if self.paired else None
            self.listener.close()
            os.close(alive_r)
            os.write(news_w, ("took %d %s\n" % (os.getpid(), format_address(address) if address else "unix")).encode("ascii"))
            if self.warm is not None:
                self.warm["_after_first_task"] = lambda: _tell_answered(news_w)
            else:
                os.close(news_w)
            if self.paired and errsock is None:
                status = CLOSED_EARLY
            else:
                status = serve_connection(sock, address, self.token, self.handshake_timeout, self.warm, errsock)
            sock.close()
        finally:
            try:
                sys.stdout.flush()
                sys.stderr.flush()
            finally:
                os._exit(status if isinstance(status, int) and 0 <= status < 256 else 1)

    def _prepare_gateway(self):
        """In a spare: what the start of the gateway it will serve does first, done before its connection.

        The spare leads a session of its own (a warm interpreter's gateway would call os.setsid
        as its agent starts, and then finds it done), the agent prepares its start
        (_prepare_forked_start: the receiver's thread, the objects of a gateway built once), and a
        typical bootstrap line is read and compiled once, so that the real one's two compiles find
        the memory they use already this process's own. A warm interpreter's spares skip the
        latter two: their gateways come in bursts (a group's), where a spare is taken as soon as
        it is ready, and the ~7 ms of CPU the preparation costs delayed the next spare by more
        than it saved (popen later gateways, back to back: 29.5-36.8 ms with it, 28.1-31.0 ms
        without, alternating runs).

        A socket gateway leads its session too, although its agent does not ask for one: its
        process group then holds what the gateway starts, which the server kills as it reaps the
        gateway (_reap), and Linux's scheduler puts a new session in an autogroup of its own.
        In the host's autogroup (where a server the host started is) the gateway's two threads
        and the host's preempted each other at every hand-over: an echo roundtrip with a JVM host
        took 44-67 us instead of 31-32 us (alternating batches, load 5-8), as fast as with a host
        in another session.
        """
        try:
            os.setsid()
        except (AttributeError, OSError):
            pass
        if self.warm is None or self.paired:
            return
        prepare = self.warm.get("_prepare_forked_start")     # absent in another version's agent (--agent)
        if prepare is not None:
            prepare()
        compile(literal_text(self.typical_line), "<socket server>", "exec")

    def _accept(self, alive_r):
        """The next connection; exits this spare once the server is gone."""
        while True:
            ready, _, _ = select.select([self.listener, alive_r], [], [])
            if alive_r in ready:
                os._exit(SERVED)
            try:
                return self.listener.accept()
            except (BlockingIOError, InterruptedError):
                continue

    def _accept_pair(self):
        """A warm gateway's second connection (its stderr), which follows its first at once."""
        ready, _, _ = select.select([self.listener], [], [], PAIR_TIMEOUT)
        return self.listener.accept()[0] if ready else None

    def _read_news(self, news_r):
        """Spares that took a connection ("took <pid> <peer>"), gateways that answered ("answered <pid>")."""
        try:
            self._news += os.read(news_r, 65536)
        except BlockingIOError:
            pass
        *lines, self._news = self._news.split(b"\n")
        for line in lines:
            what, pid, *peer = line.decode("ascii").split(" ", 2)
            pid = int(pid)
            if what == "answered":
                if pid == self._latest:
                    self._next_spare_at = 0.0
                continue
            if pid in self.children:
                self.children[pid] = peer[0]
            if pid in self.spares:
                self.spares.discard(pid)
                self.served += 1
                self._latest = pid
                self._next_spare_at = time.monotonic() + SPARE_DELAY

    def _reap(self, news_r):
        """Reaps the processes that ended; each one's process group (a gateway leads one) is killed first.

        Killing the group of a process that has ended but is not reaped yet hits only that
        group: its id cannot be taken by another process meanwhile.  So what a gateway
        started ends with it, and the gateway's agent need not look for it (_kill_group).
        """
        self._read_news(news_r)
        while self.children:
            try:
                if KILLS_GROUPS:
                    ended = os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOHANG | os.WNOWAIT)
                    if ended is None:
                        return
                    try:
                        os.killpg(ended.si_pid, signal.SIGKILL)
                    except OSError:
                        pass    # it led no group, or nothing else was in it
                    pid, status = os.waitpid(ended.si_pid, 0)
                else:
                    pid, status = os.waitpid(-1, os.WNOHANG)
                    if pid == 0:
                        return
            except ChildProcessError:
                self.children.clear()
                return
            self._ended(pid, status)

    def _ended(self, pid, status):
        peer = self.children.pop(pid, "")
        self.spares.discard(pid)
        if self.host_pipe:
            code = 128 + os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
            _tell_host("exit %d %d" % (pid, code))
        if not peer:
            if not self.stopping:
                self.log("spare process %d ended before a connection (status %d)" % (pid, status))
            return
        if os.WIFSIGNALED(status):
            outcome = "gateway process killed by signal %d" % os.WTERMSIG(status)
        else:
            code = os.WEXITSTATUS(status)
            outcome = OUTCOMES.get(code, "served; the gateway process exited with status %d" % code)
        self.log("%s %s (pid %d)" % (peer, outcome, pid))

    def _stop_children(self, news_r):
        if self.paired:
            # gateways run on like fresh interpreters and end with their host's connection
            self._kill_spares()
            self._reap(news_r)      # those that ended already: their groups end with them
            return
        for pid in list(self.children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + STOP_GRACE
        while self.children and time.monotonic() < deadline:
            self._reap(news_r)
            time.sleep(0.01)
        for pid in list(self.children):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            try:
                _, status = os.waitpid(pid, 0)
                self._ended(pid, status)
            except ChildProcessError:
                self.children.pop(pid, None)


    def _kill_spares(self):
        """Kills the spares all at once, then reaps them (they end meanwhile, in parallel)."""
        for pid in self.spares:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        for pid in list(self.spares):
            try:
                os.waitpid(pid, 0)
            except OSError:
                pass
            self.spares.discard(pid)
            self.children.pop(pid, None)


def _tell_answered(news_w):
    """In a gateway process: tells the server that the gateway answered its first remote_exec."""
    try:
        os.write(news_w, ("answered %d\n" % os.getpid()).encode("ascii"))
        os.close(news_w)
    except OSError:
        pass    # the server is gone


def _tell_host(line):
    """One line to the host on stdout (--host-pipe); a host that is gone is no error."""
    try:
        os.write(1, (line + "\n").encode("ascii"))
    except OSError:
        pass


def _log(text):
    try:
        sys.stderr.write("%s execnet4j-socketserver[%d]: %s\n"
                         % (time.strftime("%Y-%m-%d %H:%M:%S"), os.getpid(), text))
        sys.stderr.flush()
    except (OSError, ValueError):
        pass    # nobody reads the log any more: serving matters more


def main(argv):
    import argparse
    parser = argparse.ArgumentParser(
        description="Serves execnet socket gateways (socket=HOST:PORT), one process per connection.")
    parser.add_argument("address", nargs="?", help="HOST:PORT as execnet's server takes it (same as --bind)")
    parser.add_argument("--bind", help="HOST:PORT to listen on (default %s; port 0 picks a free one)" % DEFAULT_BIND)
    parser.add_argument("--token-file", help="require clients to prove they know the token in this file")
    parser.add_argument("--once", action="store_true", help="serve one connection, then exit")
    parser.add_argument("--max-clients", type=int, default=0, metavar="N",
                        help="serve at most N connections at once, refuse more (default: no limit)")
    parser.add_argument("--handshake-timeout", type=float, default=30.0, metavar="SECONDS",
                        help="how long a client may take to authenticate and send its first line (default 30)")
    parser.add_argument("--agent", metavar="FILE",
                        help="keep this execnet4j agent source loaded ('-': one line of stdin, a Python str literal);"
                             " default: the agent embedded in this file, if any")
    parser.add_argument("--unix", metavar="PATH",
                        help="listen on a Unix domain socket instead, as execnet4j's warm interpreter for popen"
                             " gateways (two connections per gateway, run as a fresh interpreter)")
    parser.add_argument("--private-unix", action="store_true",
                        help="as --unix, on a socket in a new directory only this user can enter (in $TMPDIR or"
                             " /tmp), named in the ready line; the directory goes when the server stops")
    parser.add_argument("--host-pipe", action="store_true",
                        help="take commands from stdin (end of file stops), report 'ready' and gateway exits on stdout")
    parser.add_argument("--booted", action="store_true",
                        help="keep the agent loaded that execnet4j's warm boot program (execnet4j_warm_boot.py) passes"
                             " in the global _execnet4j_boot, as code")
    args = parser.parse_args(argv)
    if args.address and args.bind:
        parser.error("give the address either as argument or with --bind, not both")
    if args.unix and args.private_unix:
        parser.error("give either --unix PATH or --private-unix, not both")
    if (args.unix or args.private_unix) and (args.address or args.bind or args.token_file):
        parser.error("--unix takes no TCP address and no token (the socket's directory decides who connects)")
    if args.max_clients < 0 or args.handshake_timeout <= 0:
        parser.error("--max-clients must be >= 0 and --handshake-timeout > 0")
    try:
        host, port = parse_address(args.bind or args.address or DEFAULT_BIND)
        token = read_token(args.token_file) if args.token_file else None
    except (ValueError, OSError) as exc:
        parser.error(str(exc))
    if args.token_file and os.stat(args.token_file).st_mode & 0o077:
        _log("WARNING: token file %s can be read by other users (chmod 600 it)" % (args.token_file,))
    boot = globals().get("_execnet4j_boot") if args.booted else None
    if args.booted and boot is None:
        parser.error("--booted: execnet4j's warm boot program did not run")
    try:
        if boot is not None:
            warm = run_agent(boot["agent"], boot["sha256"])
        else:
            warm = load_agent(read_agent(args.agent)) if args.agent or _EMBEDDED_AGENT else None
    except Exception as exc:
        parser.error("cannot load the agent: %s" % (exc,))
    if args.private_unix:
        try:
            args.unix = private_socket_path()
        except OSError as exc:
            parser.error("cannot make a private directory for the socket: %s" % (exc,))
    if args.unix:
        try:
            listener = listen_unix(args.unix)
        except OSError as exc:
            if args.private_unix:
                os.rmdir(os.path.dirname(args.unix))
            parser.error("cannot listen on %s: %s" % (args.unix, exc))
        bound = args.unix
    else:
        try:
            listener = listen(host, port)
        except OSError as exc:
            parser.error("cannot listen on %s: %s" % (format_address((host, port)), exc))
        bound = format_address(listener.getsockname())
        if not is_loopback(host):
            _log("WARNING: listening on %s: anyone who can reach this port can %s" % (bound,
                 "try tokens (traffic is not encrypted)" if token else "run any code as this user (use --token-file)"))
    server = Server(listener, token, args.once, args.max_clients, args.handshake_timeout, _log,
                    warm, bool(args.unix), args.host_pipe)

    def ready():
        _log("listening on %s (pid %d)%s%s" % (bound, os.getpid(), ", token required" if token else "",
                                             ", agent loaded (%d hot pages)" % len(server.hot) if warm else ""))
        if args.host_pipe:
            _tell_host("ready %s%s" % (warm["_execnet4j_agent_sha256"] if warm else "-",
                                       " " + args.unix if args.private_unix else ""))
        if boot is not None and boot["after_ready"] is not None:
            boot["after_ready"]()   # stores the compiled code for the next warm interpreter
    server.ready = ready
    try:
        server.run()
    finally:
        if args.unix:
            remove_socket(args.unix, args.host_pipe or args.private_unix)
    if args.host_pipe:
        _exit_at_once()
    return 0


def _exit_at_once():
    """Ends a host's warm interpreter without the interpreter's own finalization.

    Its host waits for its end (a group's terminate does); tearing down the modules and the agent
    it keeps loaded takes tens of milliseconds and cleans up nothing that outlives the process.
    """
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(0)


def remove_socket(path, private_directory):
    """Removes the Unix socket, and for a host's warm interpreter also the private directory it made for it."""
    try:
        os.unlink(path)
        if private_directory:
            os.rmdir(os.path.dirname(path))     # refuses unless empty: only ours goes
    except OSError:
        pass


def read_agent(name):
    """The agent source: --agent's file, one literal line of stdin for '-', else the embedded copy."""
    if name == "-":
        return literal_text(sys.stdin.readline())
    if name:
        with open(name, encoding="utf-8") as f:
            return f.read()
    return _EMBEDDED_AGENT


def serve_one(channel):
    """installvia: one connection, served in this thread."""
    host, port, token = channel.receive()
    listener = listen(host, port, 1)
    try:
        channel.send(tuple(listener.getsockname()[:2]))
        listener.settimeout(30.0)
        sock, address = listener.accept()
    finally:
        listener.close()
    try:
        serve_connection(sock, address, token.encode("ascii") if token else None, 30.0)
    finally:
        sock.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
elif __name__ == "__channelexec__":
    serve_one(globals()["channel"])  # remote_exec defines channel
