"""Test-only host harness for the execnet4j Python agent.

Starts the agent exactly like the Java host does:

    <python> -u -c "import sys;exec(eval(sys.stdin.readline()))"

and sends one line: repr(<agent.py source> + "\\n" + "_execnet4j_main(<config>)\\n").
After the handshake byte b"1" it speaks raw frames.  The agent's own serializer
(loaded from agent.py as a module) is used to build and decode payloads; the
serializer itself is checked separately against the golden vectors.
"""

import os
import queue
import struct
import subprocess
import sys
import threading
import time
import types

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", "..", "..", ".."))
AGENT_PATH = os.path.join(REPO, "bundles", "core", "src", "main", "resources",
                          "org", "execnet4j", "core", "internal", "agent.py")
# the golden data in the repository's vectors/ folder (the build passes the same path)
VECTORS_DIR = os.environ.get("EXECNET4J_VECTORS_DIR") or os.path.join(REPO, "vectors")
BOOTSTRAP_CMD = "import sys;exec(eval(sys.stdin.readline()))"

STATUS, RECONFIGURE, GATEWAY_TERMINATE, CHANNEL_EXEC = 0, 1, 2, 3
CHANNEL_DATA, CHANNEL_CLOSE, CHANNEL_CLOSE_ERROR, CHANNEL_LAST_MESSAGE = 4, 5, 6, 7
CHANNEL_CREDIT = 8
HEADER = struct.Struct("!bii")

_agent_module = None


# the cold sections agent_<name>.py, as AgentProgram.COLD_SECTIONS lists them
COLD_SECTIONS = ("green", "files")


def _read(path):
    with open(path, "r", encoding="utf-8") as f:
        return f.read()


def agent_source():
    """The agent program as the Java host sends it (AgentProgram.assemble)."""
    program = _read(AGENT_PATH)
    for name in COLD_SECTIONS:
        path = os.path.join(os.path.dirname(AGENT_PATH), "agent_%s.py" % name)
        program += "\n_COLD_SECTIONS[%r] = %r\n" % (name, _read(path))
    return program


def load_agent():
    """The agent program as a module (nothing runs at import time)."""
    global _agent_module
    if _agent_module is None:
        module = types.ModuleType("execnet4j_agent")
        module.__file__ = AGENT_PATH
        exec(compile(agent_source(), AGENT_PATH, "exec"), module.__dict__)
        _agent_module = module
    return _agent_module


def dumps(obj, version=2):
    """execnet's public dump form (test only, not in the agent): version byte + wire form."""
    return bytes([version]) + load_agent().dumps_internal(obj)


def loads(data, py2str_as_py3str=False, py3str_as_py2str=False, versions=(1, 2)):
    """execnet's public load form (test only, not in the agent): version byte checked."""
    agent = load_agent()
    if not data or data[0] not in versions:
        raise agent.LoadError("wrong dumpformat version %r" % (bytes(data[:1]),))
    return agent.loads_internal(data[1:], (py2str_as_py3str, py3str_as_py2str))


def bootstrap_line(config):
    program = agent_source() + "\n" + "_execnet4j_main(" + repr(config) + ")\n"
    line = repr(program) + "\n"
    line.encode("ascii")    # the Java host sends printable ASCII only
    return line


class ChanRef(object):
    """A channel reference decoded by the host."""

    def __init__(self, id):
        self.id = id

    def __eq__(self, other):
        return isinstance(other, ChanRef) and other.id == self.id

    def __hash__(self):
        return hash(("chan", self.id))

    def __repr__(self):
        return "ChanRef(%d)" % self.id


def chanref(id):
    """An object the agent's serializer encodes as channel reference `id`."""
    agent = load_agent()
    ch = object.__new__(agent.Channel)
    ch.id = id
    return ch


def encode(value):
    return load_agent().dumps_internal(value)


def decode(payload, strconfig=(True, False)):
    return load_agent().loads_internal(payload, strconfig, ChanRef)


class HandshakeError(Exception):
    pass


class AgentProcess(object):
    """One agent worker process driven by raw frames."""

    def __init__(self, config=None, python=None, env=None, handshake=True, extra_env=None):
        self.config = {"id": "gw0-worker"} if config is None else config
        argv = [python or sys.executable, "-u", "-c", BOOTSTRAP_CMD]
        if env is None:
            env = dict(os.environ)
            env.pop("EXECNET_DEBUG", None)
        if extra_env:
            env.update(extra_env)
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env=env, bufsize=0)
        self._stderr = []
        self._stderr_thread = threading.Thread(target=self._read_stderr, daemon=True)
        self._stderr_thread.start()
        self._queues = {}
        self._qlock = threading.Lock()
        self.frames = []            # every frame received, in order
        self.eof = threading.Event()
        self.proc.stdin.write(bootstrap_line(self.config).encode("ascii"))
        self.proc.stdin.flush()
        self._reader = None
        if handshake:
            first = self.proc.stdout.read(1)
            if first != b"1":
                self.proc.wait(10)
                raise HandshakeError("expected b'1', got %r; stderr=%s"
                                     % (first, self.stderr_text()))
            self._reader = threading.Thread(target=self._read_frames, daemon=True)
            self._reader.start()

    # -- reading ---------------------------------------------------------

    def _read_stderr(self):
        while True:
            data = self.proc.stderr.read1(65536) if hasattr(self.proc.stderr, "read1") \
                else os.read(self.proc.stderr.fileno(), 65536)
            if not data:
                return
            self._stderr.append(data)

    def stderr_text(self, wait=False):
        if wait:
            self._stderr_thread.join(10)
        return b"".join(self._stderr).decode("utf-8", "replace")

    def _readexact(self, n):
        chunks = []
        while n:
            data = self.proc.stdout.read(n)
            if not data:
                return None
            chunks.append(data)
            n -= len(data)
        return b"".join(chunks)

    def _read_frames(self):
        try:
            while True:
                header = self._readexact(9)
                if header is None:
                    return
                code, cid, length = HEADER.unpack(header)
                payload = self._readexact(length) if length else b""
                if payload is None:
                    return
                frame = (code, cid, payload)
                self.frames.append(frame)
                # flow control credits have a queue of their own per channel
                self.queue(cid if code != CHANNEL_CREDIT else ("credit", cid)).put(frame)
        finally:
            self.eof.set()

    def queue(self, cid):
        with self._qlock:
            q = self._queues.get(cid)
            if q is None:
                q = self._queues[cid] = queue.Queue()
            return q

    def next_frame(self, cid, timeout=10.0):
        """The next frame received on channel cid."""
        try:
            return self.queue(cid).get(timeout=timeout)
        except queue.Empty:
            raise AssertionError("no frame on channel %d within %ss; stderr:\n%s"
                                 % (cid, timeout, self.stderr_text()))

    def no_frame(self, cid):
        return self.queue(cid).empty()

    def receive(self, cid, timeout=10.0, strconfig=(True, False)):
        """Expect CHANNEL_DATA on cid and return its decoded value."""
        code, _cid, payload = self.next_frame(cid, timeout)
        if code != CHANNEL_DATA:
            detail = decode(payload) if code == CHANNEL_CLOSE_ERROR else payload
            raise AssertionError("expected CHANNEL_DATA on %d, got type %d: %s"
                                 % (cid, code, detail))
        return decode(payload, strconfig)

    def expect_close(self, cid, timeout=10.0):
        """Expect CHANNEL_CLOSE (returns None) or CHANNEL_CLOSE_ERROR (returns text)."""
        code, _cid, payload = self.next_frame(cid, timeout)
        if code == CHANNEL_CLOSE:
            assert payload == b""
            return None
        if code == CHANNEL_CLOSE_ERROR:
            return decode(payload)
        raise AssertionError("expected close on %d, got type %d payload %r"
                             % (cid, code, payload))

    # -- writing -----------------------------------------------------------

    def send_frame(self, code, cid, payload=b""):
        self.proc.stdin.write(HEADER.pack(code, cid, len(payload)) + payload)
        self.proc.stdin.flush()

    def send_raw(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, cid, value):
        self.send_frame(CHANNEL_DATA, cid, encode(value))

    def remote_exec(self, cid, source, filename=None, callname=None, kwargs=None):
        self.send_frame(CHANNEL_EXEC, cid,
                        encode((source, filename, callname, kwargs or {})))

    def close_channel(self, cid, error=None):
        if error is None:
            self.send_frame(CHANNEL_CLOSE, cid)
        else:
            self.send_frame(CHANNEL_CLOSE_ERROR, cid, encode(error))

    def status(self, cid):
        self.send_frame(STATUS, cid)
        value = self.receive(cid)
        assert self.expect_close(cid) is None
        return value

    # -- ending ------------------------------------------------------------

    def terminate(self, close_stdin=True, budget=None):
        """GATEWAY_TERMINATE, with the cleanup budget (seconds) as payload if given."""
        self.send_frame(GATEWAY_TERMINATE, 0, b"" if budget is None else encode(float(budget)))
        if close_stdin:
            self.proc.stdin.close()

    def close_stdin(self):
        self.proc.stdin.close()

    def wait(self, timeout=10.0):
        """Wait for the exit; return (returncode, seconds waited)."""
        start = time.monotonic()
        rc = self.proc.wait(timeout)
        return rc, time.monotonic() - start

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        try:
            self.proc.stdin.close()
        except Exception:
            pass
        # Close our read ends only after the reader threads saw EOF: closing an fd
        # that another thread is blocked on lets a later pipe reuse the number.
        readers = [(self._stderr_thread, self.proc.stderr)]
        if getattr(self, "_reader", None) is not None:
            readers.append((self._reader, self.proc.stdout))
        else:
            readers.append((None, self.proc.stdout))
        for thread, f in readers:
            if thread is not None:
                thread.join(10)
                if thread.is_alive():
                    continue
            try:
                f.close()
            except Exception:
                pass
