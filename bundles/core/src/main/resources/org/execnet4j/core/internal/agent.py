"""execnet4j remote agent: the worker side of the execnet wire protocol.

This file is sent, as program text, to a freshly started Python interpreter
(``python3 -u -c "import sys;exec(eval(sys.stdin.readline()))"``) followed by
one call ``_execnet4j_main({...config...})``.  It then

* protects the protocol stream from user output (stdio isolation),
* writes the single handshake byte ``b"1"``,
* serves frames (the worker side of a gateway) until the host terminates
  the gateway or closes the stream, and
* exits the process, at the latest ``shutdown_grace`` seconds after the
  end of the gateway.

The agent is self contained: it imports only a handful of standard modules
at start; ``traceback``, ``tempfile`` and the green-thread libraries are
imported on first use.  It runs on CPython 3.8+ and PyPy3.

Start-up is kept lean because this whole text is compiled before the
handshake: code that most gateways never run (the eventlet/gevent execution
models, ``channel.makefile()``) lives in agent_green.py and agent_files.py,
which AgentProgram appends to this text as strings in ``_COLD_SECTIONS``;
they are compiled on first use (``_load_cold``).

Sections: errors, serializer, framing, tracing, queues and thread pool,
execution models, channels, worker gateway, bootstrap (``_execnet4j_main``),
cold sections.
"""

import os
import sys
import threading
try:
    from _collections import deque          # collections.py only re-exports it: its imports stay unloaded
except ImportError:                         # pragma: no cover - an interpreter without _collections
    from collections import deque
from time import monotonic as _monotonic, sleep as _sleep
from _weakref import ref as _weakref_ref
try:
    from _weakref import _remove_dead_weakref
except ImportError:                         # PyPy: the channel table is weakref.py's (_weak_values)
    _remove_dead_weakref = None
try:
    from _struct import Struct as _Struct   # struct.py only re-exports it: one module less to load
except ImportError:                         # pragma: no cover - an interpreter without _struct
    from struct import Struct as _Struct


# ---------------------------------------------------------------------------
# errors
# ---------------------------------------------------------------------------

class DataFormatError(Exception):
    """Base class of serializer errors."""


class DumpError(DataFormatError):
    """A value cannot be serialized."""


class LoadError(DataFormatError):
    """Bytes cannot be decoded into a value."""


class ProtocolError(Exception):
    """The frame stream is corrupt: the gateway cannot continue."""


class RemoteError(Exception):
    """An error reported by the peer (text only, normally a traceback)."""

    def __init__(self, formatted):
        Exception.__init__(self, formatted)
        self.formatted = formatted

    def __str__(self):
        return str(self.formatted)

    def __repr__(self):
        return "%s: %s" % (self.__class__.__name__, self.formatted)

    def warn(self):
        """Report an error that nobody consumed (as execnet does)."""
        if self.formatted != "keyboard-interrupted":
            try:
                sys.stderr.write("[%s] Warning: unhandled %r\n" % (os.getpid(), self))
                sys.stderr.flush()
            except Exception:
                pass


class TimeoutError(IOError):  # noqa: A001 - execnet's name, subclass of IOError
    """receive()/waitclose() timed out."""


# ---------------------------------------------------------------------------
# serializer (wire form: opcodes ... STOP, no version byte)
# ---------------------------------------------------------------------------

_OP_BUILDTUPLE = 0x40   # @
_OP_BYTES = 0x41        # A
_OP_CHANNEL = 0x42      # B
_OP_FALSE = 0x43        # C
_OP_FLOAT = 0x44        # D
_OP_FROZENSET = 0x45    # E
_OP_INT = 0x46          # F
_OP_LONG = 0x47         # G (Python 2 senders)
_OP_LONGINT = 0x48      # H
_OP_LONGLONG = 0x49     # I (Python 2 senders)
_OP_NEWDICT = 0x4A      # J
_OP_NEWLIST = 0x4B      # K
_OP_NONE = 0x4C         # L
_OP_PY2STRING = 0x4D    # M (Python 2 senders)
_OP_PY3STRING = 0x4E    # N
_OP_SET = 0x4F          # O
_OP_SETITEM = 0x50      # P
_OP_STOP = 0x51         # Q
_OP_TRUE = 0x52         # R
_OP_UNICODE = 0x53      # S (Python 2 senders)
_OP_COMPLEX = 0x54      # T

_INT4 = _Struct("!i")
_FLOAT8 = _Struct("!d")
_COMPLEX16 = _Struct("!dd")
_INT32_MIN = -(2 ** 31)
_INT32_MAX = 2 ** 31 - 1
_MAX_LONGINT_TEXT = 10000   # characters of a LONGINT/LONGLONG decimal text

# What one decode may allocate for containers whose size does not follow from the bytes
# they take (a 5-byte NEWLIST announcing n slots, a 1-byte NEWDICT, a 5-byte empty SET):
# _ALLOC_FLOOR + _ALLOC_PER_BYTE * len(data) estimated bytes.  Every other opcode builds
# at most ~16 bytes of objects per input byte, so a decode's peak stays linear in its input.
_ALLOC_FLOOR = 1 << 20
_ALLOC_PER_BYTE = 16
_COST_LIST = 56         # an empty list, plus 8 per slot
_COST_DICT = 64         # an empty dict
_COST_SET = 216         # an empty set, plus 64 per item

DEFAULT_STRCONFIG = (True, False)   # (py2str_as_py3str, py3str_as_py2str)


class Serializer(object):
    """Encode a value into the wire form (list of byte pieces joined at the end).

    ``_dispatch`` maps an exact type to its (unbound) save method; it is
    built once per class (the Channel entry is added after class Channel).
    """

    _dispatch = {}

    def __init__(self):
        self._out = []

    def dumps(self, obj):
        try:
            self._save(obj)
        except RecursionError:
            raise DumpError("object nested too deeply")
        self._out.append(b"Q")
        return b"".join(self._out)

    def _save(self, obj):
        try:
            method = self._dispatch[type(obj)]
        except KeyError:
            raise DumpError("can't serialize %s" % (type(obj),))
        method(self, obj)

    @staticmethod
    def _count(n, what):
        if n > _INT32_MAX:
            raise DumpError("%s is too long" % what)
        return _INT4.pack(n)

    def _save_none(self, obj):
        self._out.append(b"L")

    def _save_bool(self, obj):
        self._out.append(b"R" if obj else b"C")

    def _save_int(self, obj):
        if _INT32_MIN <= obj <= _INT32_MAX:
            self._out.append(b"F" + _INT4.pack(obj))
        else:
            try:
                text = str(obj).encode("ascii")
            except ValueError as exc:   # int_max_str_digits on 3.11+
                raise DumpError("int too large: %s" % exc)
            self._out.append(b"H" + self._count(len(text), "int") + text)

    def _save_float(self, obj):
        self._out.append(b"D" + _FLOAT8.pack(obj))

    def _save_complex(self, obj):
        self._out.append(b"T" + _COMPLEX16.pack(obj.real, obj.imag))

    def _save_bytes(self, obj):
        self._out.append(b"A" + self._count(len(obj), "bytes"))
        self._out.append(obj)

    def _save_str(self, obj):
        try:
            data = obj.encode("utf-8")
        except UnicodeEncodeError:
            raise DumpError("strings must be utf-8 encodable")
        self._out.append(b"N" + self._count(len(data), "string"))
        self._out.append(data)

    def _save_list(self, obj):
        out = self._out
        out.append(b"K" + self._count(len(obj), "list"))
        for i, item in enumerate(obj):
            self._save_int(i)
            self._save(item)
            out.append(b"P")

    def _save_items(self, obj, opcode, what):
        """Tuples, sets and frozensets: their items, then the opcode and the count."""
        for item in obj:
            self._save(item)
        self._out.append(opcode + self._count(len(obj), what))

    def _save_tuple(self, obj):
        self._save_items(obj, b"@", "tuple")

    def _save_dict(self, obj):
        out = self._out
        out.append(b"J")
        for key, value in obj.items():
            self._save(key)
            self._save(value)
            out.append(b"P")

    def _save_set(self, obj):
        self._save_items(obj, b"O", "set")

    def _save_frozenset(self, obj):
        self._save_items(obj, b"E", "frozenset")

    def _save_channel(self, obj):
        self._out.append(b"B" + _INT4.pack(obj.id))


Serializer._dispatch.update({
    type(None): Serializer._save_none,
    bool: Serializer._save_bool,
    int: Serializer._save_int,
    float: Serializer._save_float,
    complex: Serializer._save_complex,
    bytes: Serializer._save_bytes,
    str: Serializer._save_str,
    list: Serializer._save_list,
    tuple: Serializer._save_tuple,
    dict: Serializer._save_dict,
    set: Serializer._save_set,
    frozenset: Serializer._save_frozenset,
})


def dumps_internal(obj):
    """Serialize obj to the wire form (no version byte).

    Small ints and short strings, the most frequent items, skip the
    Serializer object (same bytes as the general path).
    """
    kind = type(obj)
    if kind is int:
        if _INT32_MIN <= obj <= _INT32_MAX:
            return b"F" + _INT4.pack(obj) + b"Q"
    elif kind is str and len(obj) < 65536:
        try:
            data = obj.encode("utf-8")
        except UnicodeEncodeError:
            raise DumpError("strings must be utf-8 encodable")
        return b"N" + _INT4.pack(len(data)) + data + b"Q"
    return Serializer().dumps(obj)


def loads_internal(data, strconfig=DEFAULT_STRCONFIG, resolve_channel=None):
    """Decode one wire-form value from bytes.

    ``strconfig`` is ``(py2str_as_py3str, py3str_as_py2str)`` with execnet 2.x
    semantics on Python 3.  ``resolve_channel(id)`` turns a channel reference
    into a channel object; without it a channel reference is an error.
    Every malformed input raises LoadError; bytes after STOP are ignored.
    """
    end = len(data)
    if type(data) is bytes:
        # fast paths: a lone small int or str (exactly what the general loop returns)
        if end == 6 and data[0] == _OP_INT and data[5] == _OP_STOP:
            return _INT4.unpack_from(data, 1)[0]
        if end >= 6 and data[0] == _OP_PY3STRING and data[end - 1] == _OP_STOP \
                and not strconfig[1] and _INT4.unpack_from(data, 1)[0] == end - 6:
            try:
                return data[5:end - 1].decode("utf-8")
            except UnicodeDecodeError as exc:
                raise LoadError("%s: %s" % (type(exc).__name__, exc))
    if end >= 6 and data[0] == _OP_BYTES and data[end - 1] == _OP_STOP \
            and _INT4.unpack_from(data, 1)[0] == end - 6:
        # a lone bytes item (bulk data, maybe a big frame's bytearray): copied once
        return bytes(memoryview(data)[5:end - 1])
    return _loads_general(data, strconfig, resolve_channel)


def _loads_general(data, strconfig, resolve_channel):
    """The opcode interpreter behind loads_internal."""
    py2str_as_py3str, py3str_as_py2str = strconfig
    data = bytes(data)
    end = len(data)
    budget = _ALLOC_FLOOR + _ALLOC_PER_BYTE * end     # see _ALLOC_FLOOR
    pos = 0
    stack = []
    push = stack.append
    unpack_int4 = _INT4.unpack_from
    try:
        while True:
            if pos >= end:
                raise LoadError("unexpected end of data (no STOP)")
            op = data[pos]
            pos += 1
            if op == _OP_STOP:
                if len(stack) != 1:
                    raise LoadError("internal unserialization error: %d items at STOP"
                                    % len(stack))
                return stack[0]
            if op in _OPS_WITH_INT4:
                if pos + 4 > end:
                    raise LoadError("truncated int4 argument of opcode %r" % chr(op))
                arg = unpack_int4(data, pos)[0]
                pos += 4
                if op in _OPS_WITH_DATA:
                    if arg < 0:
                        raise LoadError("negative length %d" % arg)
                    if pos + arg > end:
                        raise LoadError("length %d exceeds the %d bytes left" % (arg, end - pos))
                    raw = data[pos:pos + arg]
                    pos += arg
                    if op == _OP_PY3STRING:
                        push(raw if py3str_as_py2str else raw.decode("utf-8"))
                    elif op == _OP_BYTES:
                        push(raw)
                    elif op == _OP_PY2STRING:
                        push(raw.decode("latin-1") if py2str_as_py3str else raw)
                    elif op == _OP_UNICODE:
                        push(raw.decode("utf-8"))
                    else:   # LONGINT, LONGLONG
                        if arg > _MAX_LONGINT_TEXT:
                            raise LoadError("integer text too long (%d)" % arg)
                        push(int(raw.decode("ascii")))
                elif op == _OP_INT or op == _OP_LONG:
                    push(arg)
                elif op == _OP_NEWLIST:
                    if arg > end - pos:
                        raise LoadError("list length %d exceeds the %d bytes left"
                                        % (arg, end - pos))
                    budget -= _COST_LIST + 8 * max(arg, 0)
                    if budget < 0:
                        raise _over_budget(end)
                    push([None] * arg if arg > 0 else [])
                elif op == _OP_CHANNEL:
                    if resolve_channel is None:
                        raise LoadError("channel reference not allowed here")
                    push(resolve_channel(arg))
                else:   # BUILDTUPLE, SET, FROZENSET
                    if arg < 0:
                        raise LoadError("negative item count %d" % arg)
                    start = max(len(stack) - arg, 0)
                    items = stack[start:]
                    del stack[start:]
                    if op == _OP_BUILDTUPLE:
                        push(tuple(items))
                        continue
                    budget -= _COST_SET + 64 * len(items)
                    if budget < 0:
                        raise _over_budget(end)
                    if op == _OP_SET:
                        push(set(items))
                    else:
                        push(frozenset(items))
            elif op == _OP_NONE:
                push(None)
            elif op == _OP_SETITEM:
                if len(stack) < 3:
                    raise LoadError("not enough items for setitem")
                value = stack.pop()
                key = stack.pop()
                target = stack[-1]
                if type(target) is dict:
                    target[key] = value
                elif type(target) is list and type(key) is int:
                    target[key] = value
                else:
                    raise LoadError("setitem target %s with key %s"
                                    % (type(target).__name__, type(key).__name__))
            elif op == _OP_NEWDICT:
                budget -= _COST_DICT
                if budget < 0:
                    raise _over_budget(end)
                push({})
            elif op == _OP_TRUE:
                push(True)
            elif op == _OP_FALSE:
                push(False)
            elif op == _OP_FLOAT:
                if pos + 8 > end:
                    raise LoadError("truncated float")
                push(_FLOAT8.unpack_from(data, pos)[0])
                pos += 8
            elif op == _OP_COMPLEX:
                if pos + 16 > end:
                    raise LoadError("truncated complex")
                real, imag = _COMPLEX16.unpack_from(data, pos)
                push(complex(real, imag))
                pos += 16
            else:
                raise LoadError("unknown opcode %r" % (bytes([op]),))
    except DataFormatError:
        raise
    except Exception as exc:   # unhashable key, bad UTF-8, bad int text, index, memory ...
        raise LoadError("%s: %s" % (type(exc).__name__, exc))


def _over_budget(size):
    return LoadError("the value's containers need more memory than a %d-byte input may "
                     "allocate (%d + %d per byte)" % (size, _ALLOC_FLOOR, _ALLOC_PER_BYTE))


_OPS_WITH_DATA = frozenset([_OP_BYTES, _OP_PY3STRING, _OP_PY2STRING, _OP_UNICODE,
                            _OP_LONGINT, _OP_LONGLONG])
_OPS_WITH_INT4 = _OPS_WITH_DATA | frozenset([_OP_INT, _OP_LONG, _OP_NEWLIST, _OP_CHANNEL,
                                             _OP_BUILDTUPLE, _OP_SET, _OP_FROZENSET])


# ---------------------------------------------------------------------------
# framing
# ---------------------------------------------------------------------------

STATUS = 0
RECONFIGURE = 1
GATEWAY_TERMINATE = 2
CHANNEL_EXEC = 3
CHANNEL_DATA = 4
CHANNEL_CLOSE = 5
CHANNEL_CLOSE_ERROR = 6
CHANNEL_LAST_MESSAGE = 7
CHANNEL_CREDIT = 8      # execnet4j flow control (only when the host enabled it)
MESSAGE_NAMES = ("STATUS", "RECONFIGURE", "GATEWAY_TERMINATE", "CHANNEL_EXEC",
                 "CHANNEL_DATA", "CHANNEL_CLOSE", "CHANNEL_CLOSE_ERROR",
                 "CHANNEL_LAST_MESSAGE", "CHANNEL_CREDIT")

_HEADER = _Struct("!bii")
MAX_FRAME_PAYLOAD = 1 << 30     # 1 GiB: larger announcements are a protocol error
                                # (unless max_item is set: larger frames are skipped)


class SkippedPayload(object):
    """Stands for the payload of a frame over ``max_item`` bytes, read and thrown away."""

    __slots__ = ("length",)

    def __init__(self, length):
        self.length = length

    def __len__(self):
        return self.length


def _message_repr(code, channelid, length):
    return "<Message %s channel=%d lendata=%d>" % (MESSAGE_NAMES[code], channelid, length)


class FrameIO(object):
    """Reads and writes frames on two raw file descriptors.

    Reading is done by exactly one thread (the receiver): ``read_frames``
    parses every complete frame out of one ``os.read`` result, so a burst of
    small frames costs one system call and one copy per payload.

    Writing (``send_frame``, any thread) combines concurrent senders: each
    frame is appended, whole, to a FIFO of pending frames; whoever holds the
    write lock writes everything pending with one ``os.write``/``os.writev``
    and marks those frames written.  A sender whose frame was written by
    another lock holder returns as soon as it gets the lock.  Frames thus
    keep their order and are never interleaved, and ``send_frame`` still
    returns only after its frame was written.  ``wait_writable(fd)`` is used
    by green execution models whose output descriptor is non-blocking.
    Whoever releases the write lock looks for frames queued meanwhile
    (``queue_frame`` never waits for the lock), so none is left behind.

    ``max_item`` (bytes, or None): a frame with a larger payload is read in
    pieces and dropped; it is returned with a ``SkippedPayload``.

    Items (``send_item``) may be written late, in batches: the first item
    after a flush goes out at once, later ones of a burst wait in the FIFO
    until ``_MAX_DEFERRED`` are pending, any other frame is sent, the sending
    thread is about to wait for input (``flush_items``: receive, waitclose,
    flow credit), the output is closed, or the flusher thread gets the GIL
    (it writes whatever a burst left behind as soon as the sender blocks,
    sleeps, or is switched out).  A failed deferred write makes every later
    send fail.  Only for execution models whose threads may all write
    (``enable_deferred``).
    """

    _READ_CHUNK = 65536         # os.read size (below glibc's mmap threshold)
    _BIG_FRAME = 2 * 65536      # larger frames are read straight into their own buffer
    _JOIN_LIMIT = 65536         # batches up to this size are joined, larger use writev
    _IOV_MAX = 512              # buffers per writev call
    _MAX_DEFERRED = 256         # deferred items written at once when this many wait
    _MAX_DEFERRED_ITEM = 4096   # larger items are never deferred
    _BIG_INPUT = 1 << 18        # a pipe input grows to this on the first big frame (F_SETPIPE_SZ):
                                # 4 wakeups per MiB instead of 16, and 256 such pipes before a user
                                # reaches Linux's pipe-user-pages-soft (64 MiB)

    def __init__(self, fd_in, fd_out, wait_writable=None, lock=None):
        self.fd_in = fd_in
        self.fd_out = fd_out
        self._rbuf = b""                # received bytes of an incomplete frame
        self._wait_writable = wait_writable
        self._wlock = threading.Lock() if lock is None else lock
        self._pending = deque()         # [header, payload] slots; header None once written
        self.closed_write = False
        self.max_item = None
        self.trace_id = ""              # gateway id for "sent" trace lines
        self._deferring = False         # enable_deferred() was called
        self._burst = False             # an item was written since the last flush_items
        self._flusher = None            # started on the first deferred item
        self._flusher_armed = False     # the flusher was told about deferred items
        self._flusher_wake = threading.Event()
        self._write_failed = False
        self._input_grown = False       # _grow_input was tried

    # -- reading ---------------------------------------------------------------

    def read_frames(self):
        """Block until at least one frame is complete and return all complete ones.

        Returns a list of (code, channelid, payload), or None on EOF at a frame
        boundary; the payload of a frame over _BIG_FRAME is a bytearray.  EOFError on EOF inside a frame; ProtocolError on a bad header
        (raised only after the frames before it were returned).
        """
        while True:
            data = self._rbuf
            if len(data) >= 9:
                self._parse(data)       # raises for a bad header left by the last call
                length = _HEADER.unpack_from(data)[2]
                if self.max_item is not None and length > self.max_item:
                    return [self._skip_big(data, length)]
                if 9 + length > self._BIG_FRAME:
                    return [self._read_big(data, length)]
            try:
                chunk = os.read(self.fd_in, self._READ_CHUNK)
            except InterruptedError:
                continue
            except OSError as exc:
                raise EOFError("read error: %s" % exc)
            if not chunk:
                if data:
                    need = 9 if len(data) < 9 else 9 + _HEADER.unpack_from(data)[2]
                    raise EOFError("expected %d bytes, got %d" % (need, len(data)))
                return None
            data = data + chunk if data else chunk
            frames, pos = self._parse(data)
            self._rbuf = data[pos:]
            if frames:
                return frames

    def _parse(self, data):
        """Split bytes into complete frames; return (frames, bytes consumed).

        Stops before a frame over max_item (read_frames skips it).
        """
        frames = []
        pos = 0
        end = len(data)
        unpack_from = _HEADER.unpack_from
        max_item = self.max_item
        max_length = MAX_FRAME_PAYLOAD if max_item is None else 0x7fffffff
        while end - pos >= 9:
            code, channelid, length = unpack_from(data, pos)
            if not 0 <= code <= 8 or length < 0 or length > max_length:
                if frames:
                    break       # deliver the good frames first, fail on the next call
                if not 0 <= code <= 8:
                    raise ProtocolError("unknown message type %d" % code)
                raise ProtocolError("invalid payload length %d" % length)
            stop = pos + 9 + length
            if stop > end or (max_item is not None and length > max_item):
                break
            frames.append((code, channelid, data[pos + 9:stop]))
            pos = stop
        return frames, pos

    def _read_big(self, data, length):
        """Read the rest of one large frame into a buffer of its exact size."""
        code, channelid, _length = _HEADER.unpack_from(data)
        if not self._input_grown:
            self._input_grown = True
            self._grow_input()
        buf = bytearray(length)
        have = len(data) - 9
        buf[:have] = data[9:]
        self._rbuf = b""
        view = memoryview(buf)
        fd = self.fd_in
        while have < length:
            if _readv is not None:
                n = self._read_more(lambda: _readv(fd, [view[have:]]), length, have)
            else:
                chunk = self._read_more(lambda: os.read(fd, min(length - have, 1 << 20)),
                                        length, have)
                n = len(chunk)
                view[have:have + n] = chunk
            have += n
        view.release()
        return code, channelid, buf     # not copied into bytes: loads_internal reads it as it is

    def _grow_input(self):
        """Let a pipe input hold more of a big frame: its writer wakes us once per _BIG_INPUT, not per 64 KiB.

        Linux only, and only up to /proc/sys/fs/pipe-max-size for an unprivileged process;
        anything else (a socket, another system, a limit) keeps the input as it is.
        """
        try:
            import fcntl
            fcntl.fcntl(self.fd_in, fcntl.F_SETPIPE_SZ, self._BIG_INPUT)
        except (ImportError, AttributeError, OSError):
            pass

    @staticmethod
    def _read_more(read, length, have):
        """read() retried on EINTR: what it returned, EOFError at the end of the stream."""
        while True:
            try:
                result = read()
            except InterruptedError:
                continue
            except OSError as exc:
                raise EOFError("read error: %s" % exc)
            if not result:
                raise EOFError("expected %d bytes, got %d" % (9 + length, 9 + have))
            return result

    def _skip_big(self, data, length):
        """Read and drop the payload of one frame over max_item."""
        code, channelid, _length = _HEADER.unpack_from(data)
        have = len(data) - 9
        if have >= length:
            self._rbuf = data[9 + length:]
            return code, channelid, SkippedPayload(length)
        self._rbuf = b""
        fd = self.fd_in
        while have < length:
            have += len(self._read_more(lambda: os.read(fd, min(length - have, 1 << 20)),
                                        length, have))
        return code, channelid, SkippedPayload(length)

    # -- writing ---------------------------------------------------------------

    def send_frame(self, code, channelid, payload=b""):
        """Write one frame, together with frames other threads queued meanwhile.

        Returns once the frame is written; OSError if it could not be.
        """
        slot = [_HEADER.pack(code, channelid, len(payload)), payload]
        self._pending.append(slot)
        with self._wlock:
            while slot[0] is not None:      # not yet written by another lock holder
                self._drain()
        if self._pending:
            self.flush_nowait()     # queued while we held the lock
        if slot[1] is _WRITE_FAILED:
            raise OSError("cannot write frame")

    def enable_deferred(self):
        """Let send_item defer items (all threads of the execution model may write)."""
        self._deferring = True

    def send_item(self, code, channelid, payload):
        """Send an item frame, perhaps later together with the next ones (see the class).

        OSError if it, or an item deferred before it, could not be written.
        """
        if self._write_failed:
            raise OSError("cannot write frame")
        if not self._burst or not self._deferring or len(payload) > self._MAX_DEFERRED_ITEM:
            self._burst = True
            self.send_frame(code, channelid, payload)
            return
        pending = self._pending
        pending.append([_HEADER.pack(code, channelid, len(payload)), payload])
        if len(pending) >= self._MAX_DEFERRED:
            self._write_pending()
        elif not self._flusher_armed:
            self._flusher_armed = True
            if self._flusher is None:
                self._flusher = threading.Thread(target=self._flush_loop, name="execnet4j-flush")
                self._flusher.daemon = True
                self._flusher.start()
            self._flusher_wake.set()

    def flush_items(self):
        """Write deferred items now: the calling thread is about to wait for input."""
        self._burst = False
        if self._deferring and self._pending:
            self._write_pending()

    def _write_pending(self):
        with self._wlock:
            while self._pending:
                self._drain()
        if self._pending:
            self.flush_nowait()     # queued while we held the lock
        if self._write_failed:
            raise OSError("cannot write frame")

    def _flush_loop(self):
        wake = self._flusher_wake
        while not self.closed_write:
            wake.wait()
            wake.clear()
            self._flusher_armed = False
            self._burst = False
            try:
                self._write_pending()
            except OSError:
                return

    def queue_frame(self, code, channelid, payload=b""):
        """Queue a frame without waiting for the write lock (for finalisers).

        flush_nowait writes it, or else the current lock holder does once it
        released the lock.
        """
        self._pending.append([_HEADER.pack(code, channelid, len(payload)), payload])

    def flush_nowait(self):
        """Write queued frames if the write lock is free right now (never waits for it)."""
        lock = self._wlock
        while self._pending and lock.acquire(False):
            try:
                while self._pending:
                    self._drain()
            finally:
                lock.release()

    def has_pending(self):
        """True while queued frames wait to be written."""
        return bool(self._pending)

    def _drain(self):
        """Write the frames pending now as one batch (the write lock is held)."""
        pending = self._pending
        slots = []
        pieces = []
        size = 0
        while pending and len(pieces) < self._IOV_MAX:
            slot = pending.popleft()
            slots.append(slot)
            pieces.append(slot[0])
            if slot[1]:
                pieces.append(slot[1])
                size += len(slot[1])
        size += 9 * len(slots)
        try:
            if self.closed_write:
                raise OSError("closed")
            if len(pieces) == 1:
                self._write_all(pieces[0])
            elif size <= self._JOIN_LIMIT or _writev is None:
                self._write_all(b"".join(pieces))
            else:
                self._writev_all(pieces)
        except OSError:
            self._write_failed = True
            for slot in slots:
                slot[0] = None
                slot[1] = _WRITE_FAILED
            return
        for slot in slots:
            if _tracing:
                code, channelid, length = _HEADER.unpack(slot[0])
                _trace(self.trace_id, "sent", _message_repr(code, channelid, length))
            slot[0] = None

    def _write_all(self, data):
        view = None
        while True:
            try:
                n = os.write(self.fd_out, data)
            except BlockingIOError:
                self._wait_writable(self.fd_out)
                continue
            except InterruptedError:
                continue
            if n == len(data):
                return
            if view is None:
                view = data = memoryview(data)
            data = data[n:]

    def _writev_all(self, pieces):
        while pieces:
            try:
                n = _writev(self.fd_out, pieces)
            except BlockingIOError:
                self._wait_writable(self.fd_out)
                continue
            except InterruptedError:
                continue
            done = 0
            while done < len(pieces) and n >= len(pieces[done]):
                n -= len(pieces[done])
                done += 1
            pieces = pieces[done:]
            if n:
                pieces[0] = memoryview(pieces[0])[n:]

    def close_read(self):
        try:
            os.close(self.fd_in)
        except OSError:
            pass

    def close_write(self, timeout=1.0):
        """Close the output once no frame is being written; False if that took too long.

        A writer stuck on a peer that does not read keeps the write lock; the
        descriptor is then left open (closing it under the writer could let a
        new file take its number) and the process exit closes it.
        """
        if not self._wlock.acquire(True, timeout):
            return False
        try:
            if not self.closed_write:
                while self._pending:        # deferred items go out first
                    self._drain()
                self.closed_write = True
                self._flusher_wake.set()
                try:
                    os.close(self.fd_out)
                except OSError:
                    pass
        finally:
            self._wlock.release()
        return True


_WRITE_FAILED = object()                # slot marker: the write of this frame failed
_writev = getattr(os, "writev", None)   # not on Windows: batches are joined instead
_readv = getattr(os, "readv", None)     # not on Windows: big frames are read in chunks


# ---------------------------------------------------------------------------
# tracing (EXECNET_DEBUG)
# ---------------------------------------------------------------------------

_tracing = False
_tracefile = None


def _trace(*args):
    """Write one trace line (only called when tracing is on, or cheap no-op)."""
    if not _tracing:
        return
    try:
        line = " ".join(str(a) for a in args)
        if _tracefile is None:
            sys.stderr.write("[%s] %s\n" % (os.getpid(), line))
            sys.stderr.flush()
        else:
            _tracefile.write(line + "\n")
            _tracefile.flush()
    except Exception:
        pass


def _debug_setting(configured=None):
    """The effective EXECNET_DEBUG value: the 'debug' config key if set, else the env var."""
    if configured is not None and configured is not False and configured != "":
        return str(configured)
    return os.environ.get("EXECNET_DEBUG")


def _setup_tracing(configured=None):
    """Switch tracing on: '2' traces to stderr, any other non-empty value to a private file."""
    global _tracing, _tracefile
    value = _debug_setting(configured)
    if not value:
        return
    if value != "2":
        try:
            import tempfile
            fd, _path = tempfile.mkstemp(prefix="execnet-debug-%d-" % os.getpid())
            _tracefile = os.fdopen(fd, "w")
        except Exception:
            return
    _tracing = True


def _format_exc():
    """The standard formatted traceback of the current exception."""
    excinfo = sys.exc_info()
    try:
        import traceback
        return "".join(traceback.format_exception(*excinfo))
    except Exception:
        return "%s: %s" % (excinfo[0].__name__, excinfo[1])


# ---------------------------------------------------------------------------
# queues and the thread pool (thread models)
# ---------------------------------------------------------------------------

class Empty(Exception):
    """_ItemQueue.get() found no item (non-blocking call or timeout)."""


class _ItemQueue(object):
    """Unbounded FIFO for channel items and main-thread hand-overs.

    ``put`` is a deque append; the condition variable is created and
    signalled only while a getter actually waits.  (A getter registers as
    waiting before it looks at the deque, a putter appends before it looks
    at the waiter count, so no wake-up is lost.)  Interface: the subset of
    ``queue.Queue`` the agent uses.
    """

    __slots__ = ("_items", "_waiting", "_lock", "_cond")

    def __init__(self):
        self._items = deque()
        self._waiting = 0
        self._lock = threading.Lock()
        self._cond = None

    def put(self, item):
        self._items.append(item)
        if self._waiting:
            with self._lock:
                self._cond.notify()

    def get(self, block=True, timeout=None):
        try:
            return self._items.popleft()
        except IndexError:
            pass
        if not block:
            raise Empty()
        if timeout is not None and timeout < 0:
            raise ValueError("'timeout' must be a non-negative number")
        return self._wait(timeout)

    def _wait(self, timeout):
        deadline = None if timeout is None else _monotonic() + timeout
        with self._lock:
            if self._cond is None:
                self._cond = threading.Condition(self._lock)
            self._waiting += 1
            try:
                while True:
                    try:
                        return self._items.popleft()
                    except IndexError:
                        pass
                    if deadline is None:
                        self._cond.wait()
                    else:
                        remaining = deadline - _monotonic()
                        if remaining <= 0:
                            raise Empty()
                        self._cond.wait(remaining)
            finally:
                self._waiting -= 1


class _Worker(object):
    """An idle pool thread's hand-over slot: ``wake`` is released with ``task`` set."""

    __slots__ = ("task", "wake")

    def __init__(self):
        self.task = None
        self.wake = threading.Lock()
        self.wake.acquire()


class _WorkerPool(object):
    """Reusable daemon threads for tasks that cannot run in the main thread.

    ``submit`` never blocks: it hands the task to an idle worker, or queues
    it and asks the spawner thread for one more worker (``Thread.start()``
    waits until the new thread runs, which must not stall the receiver).
    A worker idle for ``idle_timeout`` seconds ends.
    """

    def __init__(self, idle_timeout=10.0, name="execnet4j-task"):
        self.idle_timeout = idle_timeout
        self._name = name
        self._lock = threading.Lock()
        self._tasks = deque()           # submitted, no worker yet
        self._idle = []                 # idle workers, the most recently idle last
        self._starting = 0              # workers asked for and not running yet
        self._wanted = threading.Semaphore(0)
        self._spawner = None
        self.started = 0                # threads started so far
        self.alive = 0                  # worker threads alive now

    def submit(self, task):
        with self._lock:
            if self._idle:
                worker = self._idle.pop()
                worker.task = task
                worker.wake.release()
                return
            self._tasks.append(task)
            if len(self._tasks) <= self._starting:
                return                  # a worker that is starting will take it
            self._starting += 1
            spawner = None
            if self._spawner is None:
                spawner = self._spawner = threading.Thread(
                    target=self._spawn_workers, name=self._name + "-spawner")
                spawner.daemon = True
        self._wanted.release()
        if spawner is not None:
            spawner.start()             # once, by the first submit that needs a thread

    def _spawn_workers(self):
        while True:
            self._wanted.acquire()
            self.started += 1
            thread = threading.Thread(target=self._work, name="%s-%d" % (self._name, self.started))
            thread.daemon = True
            try:
                thread.start()
            except Exception as exc:    # e.g. "can't start new thread": retry later
                _report_stderr("cannot start a worker thread: %s" % exc)
                _sleep(0.05)
                self._wanted.release()

    def _next_task(self, worker):
        """The next task for this worker; None when it has idled long enough."""
        with self._lock:
            if self._tasks:
                return self._tasks.popleft()
            self._idle.append(worker)
        if not worker.wake.acquire(True, self.idle_timeout):
            with self._lock:
                if worker in self._idle:
                    self._idle.remove(worker)
                    return None
            worker.wake.acquire()       # handed a task just as the wait timed out
        task, worker.task = worker.task, None
        return task

    def _work(self):
        worker = _Worker()
        with self._lock:
            self._starting -= 1
            self.alive += 1
        try:
            while True:
                task = self._next_task(worker)
                if task is None:
                    return
                try:
                    task()
                except BaseException:
                    _report_stderr("task failed:\n%s" % _format_exc())
                task = None
        finally:
            with self._lock:
                self.alive -= 1


def _report_stderr(text):
    try:
        sys.stderr.write("[%s] execnet4j agent: %s\n" % (os.getpid(), text))
        sys.stderr.flush()
    except Exception:
        pass


# ---------------------------------------------------------------------------
# execution models
# ---------------------------------------------------------------------------

class _ParkedThread(object):
    """A daemon thread started ahead of need, which waits for the function it is to run.

    A process forked from a socket server (or a warm interpreter) parks one before its connection
    arrives, so the receiver of the gateway it then serves needs no thread start (about a
    millisecond of CPU on a virtual machine, and a hand-over) on the way to its first answer.
    """

    parked = None       # the one parked in this process, until a receiver takes it

    def __init__(self):
        self._func = None
        self._go = threading.Lock()
        self._go.acquire()
        thread = threading.Thread(target=self._wait, name="execnet4j-parked")
        thread.daemon = True
        thread.start()
        self._thread = thread

    def _wait(self):
        self._go.acquire()
        if self._func is not None:
            self._func()

    @classmethod
    def park(cls):
        """Starts the thread the next receiver runs in (once per process)."""
        if cls.parked is None:
            cls.parked = cls()

    @classmethod
    def run(cls, func, name):
        """Runs func in a daemon thread named name: the parked one if there is one, else a new one."""
        parked, cls.parked = cls.parked, None
        if parked is None:
            thread = threading.Thread(target=func, name=name)
            thread.daemon = True
            thread.start()
            return
        parked._thread.name = name
        parked._func = func
        parked._go.release()

    @classmethod
    def release(cls):
        """Ends the parked thread unused (a model that starts no receiver thread)."""
        parked, cls.parked = cls.parked, None
        if parked is not None:
            parked._go.release()


class ThreadModel(object):
    """'thread': a task runs in the main thread if it is idle, else in a pool thread.

    The main thread sits in ``main_loop`` waiting for hand-overs; the receiver
    is a daemon thread.  ``shutdown`` ends the main loop after tasks already
    handed over have run.  Other tasks go to a ``_WorkerPool``.
    """

    backend = "thread"
    green = False
    Queue = _ItemQueue
    Empty = Empty

    def __init__(self):
        self.Lock = threading.Lock
        self.RLock = threading.RLock
        self.Event = threading.Event
        self._lock = threading.Lock()
        self._mainq = _ItemQueue()
        self._main_idle = True
        self._main_running = None
        self._shutting_down = False
        self.pool = _WorkerPool()

    def run_blocking(self, func):
        return func()

    def wait_writable(self, fd):   # pragma: no cover - fds stay blocking
        pass

    def start_receiver(self, func):
        _ParkedThread.run(func, "execnet4j-receiver")

    def spawn(self, task, reject=None):
        """Run task soon; ``reject(error)`` is for models that may refuse it."""
        with self._lock:
            if self._main_idle:
                self._main_idle = False
                self._mainq.put(task)
                return
        self.pool.submit(task)

    def main_loop(self):
        main = threading.current_thread()
        while True:
            task = self._mainq.get()
            if task is None:
                return
            with self._lock:
                self._main_running = main
            task()
            self.task_finishing()

    def task_finishing(self):
        """Called by a task that is about to close its channel: free the main thread."""
        with self._lock:
            if self._main_running is not None and \
                    self._main_running is threading.current_thread():
                self._main_running = None
                if not self._shutting_down:
                    self._main_idle = True

    def shutdown(self):
        with self._lock:
            self._shutting_down = True
            self._main_idle = False
        self._mainq.put(None)


class MainThreadOnlyModel(ThreadModel):
    """'main_thread_only': every task in the main thread, one after the other (FIFO).

    As in execnet 2.x, a task that cannot start within ``deadlock_wait``
    seconds because an earlier one still runs is refused (it could be what
    the earlier one waits for); the receiver never waits for that.
    """

    backend = "main_thread_only"
    deadlock_wait = 1.0
    DEADLOCK = "concurrent remote_exec would cause deadlock for main_thread_only execmodel"

    def __init__(self):
        ThreadModel.__init__(self)
        self._unfinished = 0            # tasks queued or running
        self._running_counted = False   # the running task is in _unfinished

    def spawn(self, task, reject=None):
        with self._lock:
            busy = self._unfinished > 0
            self._unfinished += 1
        claim = [True]      # neither started nor refused yet

        def run():
            with self._lock:
                if not claim[0]:
                    return
                claim[0] = False
                self._running_counted = True
            task()

        def refuse():
            with self._lock:
                if not claim[0]:
                    return
                claim[0] = False
                self._unfinished -= 1
            reject(self.DEADLOCK)

        self._mainq.put(run)
        if busy and reject is not None:
            timer = threading.Timer(self.deadlock_wait, refuse)
            timer.daemon = True
            timer.start()

    def task_finishing(self):
        with self._lock:
            if self._running_counted:
                self._running_counted = False
                self._unfinished -= 1


# execmodel name -> (cold section or None, class name)
EXEC_MODELS = {
    "thread": (None, "ThreadModel"),
    "main_thread_only": (None, "MainThreadOnlyModel"),
    "eventlet": ("green", "EventletModel"),
    "gevent": ("green", "GeventModel"),
}


def _model_class(name):
    """The execution model class for a name (KeyError if unknown)."""
    section, classname = EXEC_MODELS[name]
    if section is not None:
        return _load_cold(section)[classname]
    return globals()[classname]


# ---------------------------------------------------------------------------
# channels
# ---------------------------------------------------------------------------

class _EndMarker(object):
    def __repr__(self):
        return "<end of channel>"


ENDMARKER = _EndMarker()
NO_ENDMARKER_WANTED = object()


class Channel(object):
    """One logical channel of the gateway (the execnet Channel API)."""

    RemoteError = RemoteError
    TimeoutError = TimeoutError

    def __init__(self, gateway, id, strconfig=DEFAULT_STRCONFIG):
        self.gateway = gateway
        self.id = id
        self._strconfig = strconfig
        self._items = gateway._model.Queue()
        self._closed = False
        self._receiveclosed = gateway._model.Event()
        self._remoteerrors = []
        self._executing = False
        # flow control (gateway._window > 0): bytes sent and not yet credited,
        # sizes of the queued items, bytes taken since the last credit sent
        self._unacked = 0
        self._credit_event = None
        self._sizes = deque()
        self._consumed = 0

    def __repr__(self):
        if self._closed:
            state = "closed"
        elif self._receiveclosed.is_set():
            state = "sendonly"
        else:
            state = "open"
        return "<Channel id=%d %s>" % (self.id, state)

    def __del__(self):
        gateway = self.__dict__.get("gateway")
        if gateway is None:
            return
        try:
            if self._closed:
                for error in self._remoteerrors:
                    if hasattr(error, "warn"):
                        error.warn()
            elif not self._receiveclosed.is_set():
                code = CHANNEL_LAST_MESSAGE if self._items is None else CHANNEL_CLOSE
                gateway._send_deferred(code, self.id)
        except Exception:
            pass

    # -- state -----------------------------------------------------------

    def isclosed(self):
        """True after a local close() or a CLOSE/CLOSE_ERROR from the peer."""
        return self._closed

    def _getremoteerror(self):
        try:
            return self._remoteerrors.pop(0)
        except IndexError:
            return self.gateway._error

    # -- sending and receiving -------------------------------------------

    def send(self, item):
        """Send one value (raises IOError if the channel is closed).

        DumpError if the item is not serializable or its wire form is larger
        than the gateway's ``max_item``.  With flow control on, waits while
        the peer has not consumed enough of what was sent before.
        """
        if self._closed:
            raise IOError("cannot send to %r" % (self,))
        payload = dumps_internal(item)
        gateway = self.gateway
        if gateway._max_item is not None and len(payload) > gateway._max_item:
            raise DumpError("cannot send an item of %d bytes on %r: the limit is %d bytes "
                            "(max_item)" % (len(payload), self, gateway._max_item))
        if gateway._window:
            self._wait_for_window(len(payload))
        gateway._send_item(self.id, payload)

    def _wait_for_window(self, size):
        """Account size as sent, once it fits the window (docs/protocol-extensions.md).

        Waits only while a quarter window or more is outstanding and size does
        not fit: the peer keeps less than a quarter window uncredited.
        """
        gateway = self.gateway
        while True:
            with gateway._flowlock:
                window = gateway._window
                unacked = self._unacked
                if not window or unacked <= 0 or unacked < window // 4 or unacked + size <= window:
                    self._unacked += size
                    return
                event = self._credit_event
                if event is None:
                    event = self._credit_event = gateway._model.Event()
                event.clear()
            if self._closed:
                raise IOError("cannot send to %r" % (self,))
            gateway._flush_items()      # the peer credits only what it received
            event.wait()

    def _credit(self, n):
        """CHANNEL_CREDIT(n) from the peer: n more bytes may be sent."""
        with self.gateway._flowlock:
            self._unacked = max(0, self._unacked - n)
            event = self._credit_event
            if event is not None:
                event.set()

    def _wake_senders(self):
        event = self._credit_event
        if event is not None:
            event.set()

    def _took(self, size):
        """The application took an item of size bytes: credit the peer once a quarter window."""
        gateway = self.gateway
        with gateway._flowlock:
            self._consumed += size
            if self._consumed < gateway._window // 4:
                return
            n, self._consumed = self._consumed, 0
        gateway._send_credit(self.id, n)

    def _took_queued(self):
        if self.gateway._window:
            try:
                size = self._sizes.popleft()
            except IndexError:
                return
            self._took(size)

    def receive(self, timeout=None):
        """Return the next item; EOFError/RemoteError at the end; TimeoutError."""
        itemqueue = self._items
        if itemqueue is None:
            raise IOError("cannot receive(), channel has receiver callback")
        self.gateway._flush_items()
        try:
            item = itemqueue.get(timeout=timeout)
        except self.gateway._model.Empty:
            raise self.TimeoutError("no item after %r seconds" % (timeout,))
        if item is ENDMARKER:
            itemqueue.put(item)
            raise self._getremoteerror() or EOFError()
        self._took_queued()
        return item

    def __iter__(self):
        return self

    def __next__(self):
        try:
            return self.receive()
        except EOFError:
            raise StopIteration

    next = __next__

    def setcallback(self, callback, endmarker=NO_ENDMARKER_WANTED):
        """Deliver items to callback(item) in the receiver thread from now on."""
        gateway = self.gateway
        with gateway._receivelock:
            if self._items is None:
                raise IOError("%r has callback already registered" % (self,))
            items = self._items
            self._items = None
            while True:
                try:
                    olditem = items.get(block=False)
                except gateway._model.Empty:
                    if not (self._closed or self._receiveclosed.is_set()):
                        factory = gateway._channelfactory
                        factory._callbacks[self.id] = (callback, endmarker, self._strconfig)
                        if gateway._window:     # the callback's count goes on from ours
                            with gateway._flowlock:
                                n, self._consumed = self._consumed, 0
                            if n:
                                factory._callback_took(self.id, n)
                    break
                if olditem is ENDMARKER:
                    items.put(olditem)
                    if endmarker is not NO_ENDMARKER_WANTED:
                        callback(endmarker)
                    break
                try:
                    callback(olditem)
                finally:
                    self._took_queued()

    def makefile(self, mode="w", proxyclose=False):
        """A file-like view: 'w' sends each write as one item, 'r' reads items."""
        files = _load_cold("files")
        if mode == "w":
            return files["ChannelFileWrite"](self, proxyclose)
        if mode == "r":
            return files["ChannelFileRead"](self, proxyclose)
        raise ValueError("mode %r not available" % (mode,))

    def reconfigure(self, py2str_as_py3str=True, py3str_as_py2str=False):
        """Set string coercion for values received here and tell the peer."""
        self._strconfig = (py2str_as_py3str, py3str_as_py2str)
        self.gateway._send(RECONFIGURE, self.id, dumps_internal(self._strconfig))

    # -- closing ----------------------------------------------------------

    def close(self, error=None):
        """Close the channel, sending CHANNEL_CLOSE or CHANNEL_CLOSE_ERROR(error)."""
        if self._executing:
            raise IOError("cannot explicitly close channel within remote_exec")
        if self._closed:
            return
        payload = None
        if not self._receiveclosed.is_set():
            payload = b"" if error is None else dumps_internal(error)
        if isinstance(error, RemoteError):
            self._remoteerrors.append(error)
        self._closed = True
        self._receiveclosed.set()
        self._wake_senders()
        itemqueue = self._items
        if itemqueue is not None:
            itemqueue.put(ENDMARKER)
        self.gateway._channelfactory._no_longer_opened(self.id)
        if payload is not None:
            code = CHANNEL_CLOSE if error is None else CHANNEL_CLOSE_ERROR
            self.gateway._send(code, self.id, payload)
            if _tracing:
                _trace(self.gateway.id, self.id, "sent channel close message")

    def waitclose(self, timeout=None):
        """Wait until the peer closed (or the gateway ended); raise its error."""
        self.gateway._flush_items()
        if not self._receiveclosed.wait(timeout=timeout):
            raise self.TimeoutError("Timeout after %r seconds" % (timeout,))
        error = self._getremoteerror()
        if error:
            raise error


Serializer._dispatch[Channel] = Serializer._save_channel


class _WeakValues(object):
    """A map key -> object that holds its objects weakly: an entry goes when its object does.

    What the channel table needs of weakref.WeakValueDictionary, on the built-in _weakref:
    importing weakref.py took a fresh agent a quarter millisecond before its first answer.
    """

    def __init__(self):
        self._refs = {}

    def _forget(self, key):
        refs = self._refs

        def forget(_ref):
            _remove_dead_weakref(refs, key)     # only if key still maps to a dead reference
        return forget

    def __setitem__(self, key, value):
        self._refs[key] = _weakref_ref(value, self._forget(key))

    def get(self, key):
        ref = self._refs.get(key)
        return None if ref is None else ref()

    def pop(self, key, default=None):
        ref = self._refs.pop(key, None)
        value = None if ref is None else ref()
        return default if value is None else value

    def __len__(self):
        return len(self._refs)

    def keys(self):
        return [key for key, ref in self._refs.copy().items() if ref() is not None]

    def values(self):
        return [value for value in (ref() for ref in self._refs.copy().values()) if value is not None]


def _weak_values():
    """A new _WeakValues, or where _weakref lacks _remove_dead_weakref, a WeakValueDictionary."""
    if _remove_dead_weakref is not None:
        return _WeakValues()
    import weakref
    return weakref.WeakValueDictionary()


class ChannelFactory(object):
    """The channel table: weak id -> Channel map, callbacks, id allocation."""

    def __init__(self, gateway, startcount=2):
        self.gateway = gateway
        self._channels = _weak_values()
        self._callbacks = {}
        self._callback_consumed = {}    # id -> bytes callbacks took, not yet credited
        self._pending_strconfig = {}
        self._lock = gateway._model.RLock()
        self.count = startcount
        self.finished = False

    def new(self, id=None):
        """Create a channel (fresh even id), or get-or-create the given id."""
        with self._lock:
            if self.finished:
                raise IOError("connexion already closed: %s" % (self.gateway,))
            if id is None:
                id = self.count
                self.count += 2
            channel = self._channels.get(id)
            if channel is None:
                strconfig = self._pending_strconfig.pop(id, self.gateway._strconfig)
                channel = Channel(self.gateway, id, strconfig)
                self._channels[id] = channel
            return channel

    def get(self, id):
        return self._channels.get(id)

    _MAX_PENDING_STRCONFIG = 256

    def _remember_strconfig(self, id, strconfig):
        """A RECONFIGURE for an id not seen yet: keep it (the oldest go beyond a bound)."""
        with self._lock:
            pending = self._pending_strconfig
            pending.pop(id, None)
            pending[id] = strconfig
            while len(pending) > self._MAX_PENDING_STRCONFIG:
                del pending[next(iter(pending))]

    def numchannels(self):
        return len(self._channels)

    def _no_longer_opened(self, id):
        with self._lock:
            self._channels.pop(id, None)
            self._pending_strconfig.pop(id, None)
            self._callback_consumed.pop(id, None)
            entry = self._callbacks.pop(id, None)
        if entry is not None:
            callback, endmarker, _strconfig = entry
            if endmarker is not NO_ENDMARKER_WANTED:
                try:
                    callback(endmarker)
                except Exception:
                    self.gateway._report("callback failed on the end marker of channel "
                                         "%d:\n%s" % (id, _format_exc()))

    def _local_close(self, id, remoteerror=None, sendonly=False):
        channel = self._channels.get(id)
        if channel is None:
            if remoteerror is not None and hasattr(remoteerror, "warn"):
                remoteerror.warn()
        else:
            if remoteerror is not None:
                channel._remoteerrors.append(remoteerror)
            if not sendonly:
                channel._closed = True
                channel._wake_senders()
            channel._receiveclosed.set()
            itemqueue = channel._items
            if itemqueue is not None:
                itemqueue.put(ENDMARKER)
        self._no_longer_opened(id)

    def _local_receive(self, id, payload):
        gateway = self.gateway
        entry = self._callbacks.get(id)
        if entry is not None:
            callback, _endmarker, strconfig = entry
            try:
                value = loads_internal(payload, strconfig, self.new)
                callback(value)
            except Exception:
                text = _format_exc()
                if _tracing:
                    _trace(gateway.id, id, "callback or decoding failed:", text)
                gateway._send_quietly(CHANNEL_CLOSE_ERROR, id, dumps_internal(text))
                self._local_close(id, RemoteError(text))
                return      # closed: the peer's senders stop, no credit needed
            if gateway._window:
                self._callback_took(id, len(payload))
            return
        channel = self._channels.get(id)
        if channel is None or channel._items is None:
            if _tracing:
                _trace(gateway.id, "dropping data for channel", id)
            if channel is not None and gateway._window:
                gateway._send_credit(id, len(payload))
            return
        try:
            value = loads_internal(payload, channel._strconfig, self.new)
        except DataFormatError as exc:
            text = "execnet4j: cannot decode data for channel %d: %s" % (id, exc)
            gateway._send_quietly(CHANNEL_CLOSE_ERROR, id, dumps_internal(text))
            self._local_close(id, LoadError(text))
            return
        if gateway._window:
            channel._sizes.append(len(payload))
        channel._items.put(value)

    def _callback_took(self, id, size):
        """A callback took size bytes (receiver thread): credit them once a quarter window."""
        consumed = self._callback_consumed.get(id, 0) + size
        if consumed < self.gateway._window // 4:
            self._callback_consumed[id] = consumed
            return
        self._callback_consumed.pop(id, None)
        self.gateway._send_credit(id, consumed)

    def _finished_receiving(self):
        with self._lock:
            self.finished = True
        # no credit can come any more: senders stop waiting for it
        self.gateway._window = 0
        for channel in list(self._channels.values()):
            channel._wake_senders()
        for id in list(self._channels.keys()):
            self._local_close(id, sendonly=True)
        for id in list(self._callbacks.keys()):
            self._no_longer_opened(id)


# ---------------------------------------------------------------------------
# worker gateway
# ---------------------------------------------------------------------------

class _CodeCache(object):
    """A small LRU of compiled remote_exec sources, keyed by (source, filename).

    Code objects are immutable, so one can be executed by many tasks at once;
    sources over ``max_source`` characters are compiled but not kept.
    """

    def __init__(self, size=64, max_source=1 << 20):
        self._size = size
        self._max_source = max_source
        self._codes = {}        # insertion order = recency order
        self._lock = threading.Lock()

    def get(self, source, filename):
        """The code object of source (SyntaxError etc. as compile() raises them)."""
        key = (source, filename)
        with self._lock:
            code = self._codes.pop(key, None)
            if code is not None:
                self._codes[key] = code
                return code
        code = compile(source + "\n", filename, "exec")
        if len(source) <= self._max_source:
            with self._lock:
                self._codes[key] = code
                while len(self._codes) > self._size:
                    del self._codes[next(iter(self._codes))]
        return code

    def __len__(self):
        return len(self._codes)


class _ExecModelInfo(object):
    """What user code sees as channel.gateway.execmodel."""

    def __init__(self, backend):
        self.backend = backend

    def __repr__(self):
        return "<ExecModel %r>" % (self.backend,)


class WorkerGateway(object):
    """The worker side of one gateway connection."""

    def __init__(self, io, id, model, shutdown_grace=1.0, max_item=None, flow_window=0, exit_process=True):
        self.id = id
        self._exit_process = exit_process   # False when the process is shared (socket server)
        self._io = io
        self._model = model
        self.execmodel = _ExecModelInfo(model.backend)
        self._grace = shutdown_grace
        self._budget = shutdown_grace       # GATEWAY_TERMINATE's float replaces it
        self._max_item = max_item
        io.max_item = max_item
        self._window = flow_window          # 0: no flow control
        self._flowlock = model.Lock()
        self._tasklock = threading.Lock()
        self._task_threads = {}             # thread ident -> running user code there
        self._strconfig = DEFAULT_STRCONFIG
        self._error = None
        self._receiving = True
        io.trace_id = id
        if not model.green:
            io.enable_deferred()
        self._receivelock = model.RLock()
        self._codecache = _CodeCache()
        self._channelfactory = ChannelFactory(self, startcount=2)
        self._countlock = model.Lock()
        self._numexecuting = 0
        self._stopped = False
        self._done = model.Event()          # stopped and no task left (model side)
        self._done_os = threading.Event()   # the same, for the OS watchdog thread
        self._watchdog_armed = False
        self._serve_thread = threading.current_thread()

    def __repr__(self):
        return "<WorkerGateway id=%r %s, %s model, %d active channels>" % (
            self.id, "receive-live" if self._receiving else "not-receiving",
            self._model.backend, self._channelfactory.numchannels())

    # -- public API for user code -----------------------------------------

    def newchannel(self):
        """A new channel with a fresh even id (announce it to the peer by sending it)."""
        return self._channelfactory.new()

    def hasreceiver(self):
        return self._receiving

    def reconfigure(self, py2str_as_py3str=True, py3str_as_py2str=False):
        """Gateway-wide default string coercion for channels created later."""
        self._strconfig = (py2str_as_py3str, py3str_as_py2str)
        self._send(RECONFIGURE, 0, dumps_internal(self._strconfig))

    # -- sending ------------------------------------------------------------

    def _send(self, code, channelid, payload=b""):
        """Write one frame (thread safe); IOError if the stream is closed."""
        io = self._io
        try:
            io.send_frame(code, channelid, payload)
        except OSError:
            raise IOError("cannot send (already closed?)")

    def _send_item(self, channelid, payload):
        """Send CHANNEL_DATA, perhaps batched with the next items (FrameIO.send_item)."""
        try:
            self._io.send_item(CHANNEL_DATA, channelid, payload)
        except OSError:
            raise IOError("cannot send (already closed?)")

    def _flush_items(self):
        """Write deferred items before this thread waits for the peer (errors surface on send)."""
        try:
            self._io.flush_items()
        except OSError:
            pass

    def _send_quietly(self, code, channelid, payload=b""):
        try:
            self._send(code, channelid, payload)
        except IOError:
            pass

    def _send_credit(self, channelid, n):
        self._send_quietly(CHANNEL_CREDIT, channelid, dumps_internal(n))

    def _send_deferred(self, code, channelid):
        """Used by finalisers: never blocks, never writes inside another frame.

        With green models only the hub's OS thread may write; a finaliser run
        by another OS thread leaves the frame for the next send or dispatch.
        """
        self._io.queue_frame(code, channelid)
        if self._model.green and threading.current_thread() is not self._serve_thread:
            return
        self._flush_deferred()

    def _flush_deferred(self):
        self._io.flush_nowait()

    # -- receiving ----------------------------------------------------------

    def _read_frames(self):
        """Runs in a real OS thread; arms the exit watchdog when reading ends."""
        try:
            frames = self._io.read_frames()
        except BaseException:
            self._arm_watchdog()
            raise
        if frames is None:
            self._arm_watchdog()
        else:
            for code, _channelid, payload in frames:
                if code == GATEWAY_TERMINATE:
                    self._budget = self._termination_budget(payload)
                    self._arm_watchdog()
                    break
        return frames

    def _termination_budget(self, payload):
        """The seconds GATEWAY_TERMINATE grants for cleanup, else shutdown_grace."""
        if type(payload) is bytes and payload:
            try:
                value = loads_internal(payload)
            except DataFormatError:
                value = None
            if type(value) in (float, int) and 0 <= value < 1e9:
                return float(value)
        return self._grace

    def _receiver(self):
        if _tracing:
            _trace(self.id, "[receiver-thread] RECEIVERTHREAD: starting to run")
        error = None
        try:
            while True:
                frames = self._model.run_blocking(self._read_frames)
                if frames is None:
                    error = EOFError("couldn't load message header, expected 9 bytes, got 0")
                    if _tracing:
                        _trace(self.id, "[receiver-thread] EOF without prior gateway "
                                        "termination message")
                    break
                if not self._dispatch_frames(frames):
                    break
                if self._io.has_pending():
                    self._flush_deferred()
        except EOFError as exc:
            error = exc
            if _tracing:
                _trace(self.id, "[receiver-thread] EOF:", exc)
        except ProtocolError as exc:
            error = EOFError("protocol error: %s" % exc)
            self._report("fatal protocol error: %s" % exc)
        except BaseException as exc:
            error = EOFError("receiver failed: %r" % (exc,))
            self._report("receiver failed:\n%s" % _format_exc())
        finally:
            self._stop_receiving(error)

    def _dispatch_frames(self, frames):
        """Dispatch a batch of frames in order; False once GATEWAY_TERMINATE is seen."""
        with self._receivelock:
            for code, channelid, payload in frames:
                if _tracing:
                    _trace(self.id, "[receiver-thread] received",
                           _message_repr(code, channelid, len(payload)))
                if code == GATEWAY_TERMINATE:
                    return False
                try:
                    if type(payload) is SkippedPayload or (
                            self._max_item is not None and len(payload) > self._max_item):
                        self._oversized(code, channelid, len(payload))
                        continue
                    self._dispatch(code, channelid, payload)
                except Exception:
                    self._report("internal error while handling %s:\n%s"
                                 % (_message_repr(code, channelid, len(payload)),
                                    _format_exc()))
        return True

    def _report(self, text):
        try:
            sys.stderr.write("[%s] execnet4j agent %s: %s\n" % (os.getpid(), self.id, text))
            sys.stderr.flush()
        except Exception:
            pass
        if _tracing:
            _trace(self.id, text)

    def _oversized(self, code, channelid, length):
        """A frame over max_item was dropped: it ends only its own channel."""
        text = ("execnet4j: %s of %d bytes on channel %d exceeds the limit of %d bytes "
                "(max_item)" % (MESSAGE_NAMES[code], length, channelid, self._max_item))
        factory = self._channelfactory
        if code in (CHANNEL_DATA, CHANNEL_EXEC):
            self._send_quietly(CHANNEL_CLOSE_ERROR, channelid, dumps_internal(text))
            factory._local_close(channelid, LoadError(text))
        elif code == CHANNEL_CLOSE_ERROR:
            factory._local_close(channelid, RemoteError(text))
        else:
            self._report(text)

    def _dispatch(self, code, channelid, payload):
        factory = self._channelfactory
        if code == CHANNEL_DATA:
            factory._local_receive(channelid, payload)
        elif code == CHANNEL_CREDIT:
            self._handle_credit(channelid, payload)
        elif code == CHANNEL_EXEC:
            self._handle_exec(channelid, payload)
        elif code == CHANNEL_CLOSE:
            factory._local_close(channelid)
        elif code == CHANNEL_CLOSE_ERROR:
            try:
                value = loads_internal(payload, DEFAULT_STRCONFIG)
            except DataFormatError as exc:
                value = "execnet4j: undecodable error from peer: %s" % exc
            factory._local_close(channelid, RemoteError(value))
        elif code == CHANNEL_LAST_MESSAGE:
            factory._local_close(channelid, sendonly=True)
        elif code == STATUS:
            status = {
                "numchannels": factory.numchannels(),
                "numexecuting": self._numexecuting,
                "execmodel": self._model.backend,
            }
            self._send(CHANNEL_DATA, channelid, dumps_internal(status))
            self._send(CHANNEL_CLOSE, channelid)
        elif code == RECONFIGURE:
            self._handle_reconfigure(channelid, payload)

    def _handle_credit(self, channelid, payload):
        channel = self._channelfactory.get(channelid)
        if channel is None or not self._window:
            return      # unknown or closed channel, or flow control off: ignored
        try:
            n = loads_internal(payload, DEFAULT_STRCONFIG)
        except DataFormatError as exc:
            n = exc
        if type(n) is not int or n < 0:
            self._report("bad CHANNEL_CREDIT payload for channel %d: %r" % (channelid, n))
            return
        channel._credit(n)

    def _handle_reconfigure(self, channelid, payload):
        try:
            value = loads_internal(payload, DEFAULT_STRCONFIG)
            if type(value) is not tuple or len(value) != 2:
                raise LoadError("RECONFIGURE needs a 2-tuple, got %r" % (value,))
            strconfig = (bool(value[0]), bool(value[1]))
        except DataFormatError as exc:
            text = "execnet4j: bad RECONFIGURE payload: %s" % exc
            if channelid == 0:
                self._report(text)
            else:
                self._send_quietly(CHANNEL_CLOSE_ERROR, channelid, dumps_internal(text))
                self._channelfactory._local_close(channelid, LoadError(text))
            return
        if channelid == 0:
            self._strconfig = strconfig
            return
        channel = self._channelfactory.get(channelid)
        if channel is not None:
            channel._strconfig = strconfig
        else:
            # remember it for when the id shows up (execnet would close the channel)
            self._channelfactory._remember_strconfig(channelid, strconfig)

    def _handle_exec(self, channelid, payload):
        channel = self._channelfactory.new(channelid)
        try:
            value = loads_internal(payload, DEFAULT_STRCONFIG)
            if type(value) is not tuple or len(value) != 4:
                raise LoadError("CHANNEL_EXEC needs a 4-tuple")
            source, filename, callname, kwargs = value
            if type(source) is not str:
                raise LoadError("source must be a str")
            if filename is not None and type(filename) is not str:
                raise LoadError("filename must be a str or None")
            if callname is not None and type(callname) is not str:
                raise LoadError("callname must be a str or None")
            if kwargs is None:
                kwargs = {}
            if type(kwargs) is not dict or not all(type(k) is str for k in kwargs):
                raise LoadError("kwargs must be a dict with str keys")
        except DataFormatError as exc:
            text = "execnet4j: cannot decode CHANNEL_EXEC payload: %s" % exc
            self._report(text)
            channel.close(text)
            return
        with self._countlock:
            self._numexecuting += 1
            self._done.clear()

        def task():
            error = None
            try:
                error = self._execute(channel, source, filename, callname, kwargs)
            finally:
                # account for the end before the peer can see the close, so that
                # a STATUS or exec sent after it finds the task gone / main idle
                self._model.task_finishing()
                self._task_ended()
                self._close_quietly(channel, error)
                self._flush_items()     # its burst ended: the next task's first item goes at once
                if _after_first_task is not None:
                    _first_task_ended()

        def reject(error):
            self._task_ended()
            self._close_quietly(channel, error)

        self._model.spawn(task, reject)

    def _task_ended(self):
        with self._countlock:
            self._numexecuting -= 1
        self._check_done()

    def _check_done(self):
        if self._stopped and self._numexecuting == 0:
            self._done.set()
            self._done_os.set()

    def _execute(self, channel, source, filename, callname, kwargs):
        """Run one remote_exec task (protocol section 3.3).

        Returns the error to close the channel with (None for a clean close).
        """
        if _tracing:
            _trace(self.id, "execution starts[%s]: %s" % (channel.id, repr(source)[:50]))
        namespace = {"channel": channel, "__name__": "__channelexec__"}
        channel._executing = True
        me = None if self._model.green else threading.get_ident()   # see _interrupt_tasks
        try:
            with self._tasklock:
                self._task_threads[me] = True
            try:
                code = self._codecache.get(source, filename or "<remote exec>")
                exec(code, namespace)
                if callname:
                    namespace[callname](channel, **kwargs)
            finally:
                with self._tasklock:
                    self._task_threads.pop(me, None)
        except EOFError:
            error = None
        except KeyboardInterrupt:
            error = "keyboard-interrupted"
        except BaseException:
            error = _format_exc()
            if _tracing:
                _trace(self.id, "got exception:", error)
            if not self._receiving:
                error = None
        else:
            error = None
        finally:
            channel._executing = False
        if _tracing:
            _trace(self.id, "execution finished[%s]" % channel.id)
        return error

    def _close_quietly(self, channel, error):
        try:
            channel.close(error)
        except Exception:
            if _tracing:
                _trace(self.id, channel.id, "close failed:", _format_exc())

    # -- lifecycle -----------------------------------------------------------

    def _stop_receiving(self, error):
        self._error = error
        self._receiving = False
        self._arm_watchdog()
        if _tracing:
            _trace(self.id, "shutting down execution pool")
        try:
            self._channelfactory._finished_receiving()
        finally:
            self._stopped = True
            self._model.shutdown()
            self._check_done()

    def _arm_watchdog(self):
        """Start (once) an OS thread that ends the tasks, then the process, within the budget.

        The budget (GATEWAY_TERMINATE's float, else shutdown_grace): tasks get
        half of it to end by themselves, then they are interrupted
        (KeyboardInterrupt, so their finally blocks run) and get the rest;
        then the process ends with status 1.
        """
        if self._watchdog_armed:
            return
        self._watchdog_armed = True
        budget = self._budget

        def watchdog():
            deadline = _monotonic() + budget
            if self._done_os.wait(budget / 2):
                return
            if self._exit_process:
                self._interrupt_tasks()
            if self._done_os.wait(max(0.0, deadline - _monotonic())):
                return
            if not self._exit_process:
                self._report("tasks still running %.3gs after the gateway ended; "
                             "leaving them to the server process" % budget)
                self._done_os.set()
                self._done.set()
                return
            self._report("tasks still running %.3gs after the gateway ended; "
                         "exiting with status 1" % budget)
            try:
                self._flush_deferred()
            except Exception:
                pass
            _end_process(1)

        t = threading.Thread(target=watchdog, name="execnet4j-watchdog")
        t.daemon = True
        t.start()

    def _interrupt_tasks(self):
        """Raise KeyboardInterrupt in every thread that runs user code (thread models).

        The main thread gets SIGINT (which interrupts a blocking call; see
        _on_sigint), other threads an asynchronous exception where the
        interpreter offers one (CPython), raised at their next bytecode.
        Green tasks are not interrupted.
        """
        if self._model.green:
            return
        main = threading.main_thread().ident
        with self._tasklock:
            for ident in list(self._task_threads):
                try:
                    if ident == main:
                        _interrupt_main()
                    else:
                        _async_interrupt(ident)
                except Exception as exc:
                    self._report("cannot interrupt a task: %s" % exc)

    def runs_user_code_in_main(self):
        """True while a task runs user code in the main thread."""
        return threading.main_thread().ident in self._task_threads

    def serve(self):
        """Serve until the gateway ends and all tasks have finished."""
        if _tracing:
            _trace(self.id, "[serve] integrating as primary thread")
        self._model.start_receiver(self._receiver)
        _warm_compiler()    # while the receiver waits for the first request
        self._model.main_loop()
        self._done.wait()
        self._flush_deferred()
        if _tracing:
            _trace(self.id, "[serve] finished")


# ---------------------------------------------------------------------------
# bootstrap
# ---------------------------------------------------------------------------

def _isolate_stdio(stdout_mode):
    """Protect the protocol stream (protocol section 4.4); return (fd_in, fd_out) for frames."""
    fd_in = os.dup(0)
    fd_out = os.dup(1)
    devnull_r = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull_r, 0)
    os.close(devnull_r)
    if stdout_mode == "devnull":
        devnull_w = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull_w, 1)
        os.close(devnull_w)
    else:
        os.dup2(2, 1)
    encoding = getattr(sys.stderr, "encoding", None) or "utf-8"
    sys.stdin = open(0, "r", closefd=False)
    sys.stdout = open(1, "w", buffering=1, closefd=False, encoding=encoding,
                      errors="backslashreplace")
    return fd_in, fd_out


# -- interrupting tasks and ending the process ---------------------------------

_gateway = None     # the gateway this process serves (for the SIGINT handler)


def _on_sigint(signum, frame):
    """SIGINT: KeyboardInterrupt in a task that runs user code in the main thread, else ignored."""
    if _gateway is not None and _gateway.runs_user_code_in_main():
        raise KeyboardInterrupt()


def _interrupt_main():
    """SIGINT to the main thread itself: it also ends a blocking call there."""
    import _signal
    _signal.pthread_kill(threading.main_thread().ident, _signal.SIGINT)


def _async_interrupt(ident):
    """KeyboardInterrupt in another thread at its next bytecode (CPython; elsewhere nothing)."""
    try:
        import ctypes
        set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc
    except (ImportError, AttributeError):
        return False
    set_async_exc.argtypes = (ctypes.c_ulong, ctypes.py_object)
    return set_async_exc(ident, KeyboardInterrupt) == 1


def _warm_compiler():
    """Have compile() do the set-up of its first call (CPython then builds its AST node types,
    about 1 ms), so that a first remote_exec coming later finds it done."""
    compile("", "<execnet4j>", "exec")


_after_first_task = None    # set in a socket server's spare: tells the server that this gateway answered


def _prepare_forked_start():
    """In a process forked to serve the next gateway, before its connection comes: parks the
    receiver's thread (_ParkedThread), and builds and drops once what _execnet4j_main builds for
    the 'thread' model, so that the real objects find the memory they take already this process's
    own (a forked process's first writes to a page of its parent's memory each cost a fault).
    """
    _ParkedThread.park()
    _warm_compiler()
    model = ThreadModel()
    WorkerGateway(FrameIO(-1, -1, model.wait_writable, model.Lock()), "spare", model, exit_process=False)


def _first_task_ended():
    """Calls _after_first_task once, after the first task's channel closed."""
    global _after_first_task
    hook, _after_first_task = _after_first_task, None
    if hook is not None:
        hook()


def _start_process_group():
    """Lead a new session and process group: what remote code starts inherits it."""
    try:
        os.setsid()
    except (AttributeError, OSError):   # already a group leader, or no setsid here
        pass


def _group_alone(pgid):
    """True if (per /proc) no live process but this one is in process group pgid."""
    try:
        names = os.listdir("/proc")
    except OSError:
        return False
    me = str(os.getpid())
    found_self = False
    for name in names:
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name, "rb") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2:].split()     # state ppid pgrp ...
        if name == me:
            found_self = True
        elif len(fields) > 2 and fields[2] == str(pgid).encode() and fields[0] != b"Z":
            return False
    return found_self


_group_killed_by = None     # pid of the server that forked us and kills our group once we ended


def _kill_group():
    """Last step of every exit: SIGKILL the process group we lead, if anyone else is in it.

    Only a group this process leads (see _start_process_group) is killed,
    this process with it (its exit status is then lost: the host sees
    SIGKILL).  A process that made its own session escapes.  Nothing to do
    while the socket server that forked this process (_group_killed_by) is
    still its parent: the server kills the group as it reaps this process,
    which spares the scan of /proc.
    """
    pid = os.getpid()
    if _group_killed_by is not None and os.getppid() == _group_killed_by:
        return
    try:
        if os.getpgid(0) != pid or _group_alone(pid):
            return
    except OSError:
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:
        pass
    os.killpg(pid, 9)


def _end_process(status):
    """Exit now (no cleanup of other threads), killing the process group first."""
    # busy task threads hold the GIL for a whole switch interval each time this thread gives
    # it up for I/O, which made the group scan below take seconds: hand it back at once
    sys.setswitchinterval(1e-5)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:
        pass
    _kill_group()
    os._exit(status)


def _execnet4j_main(config):
    """Bootstrap entry point: isolate stdio, write b"1", serve, exit the process.

    config keys: 'id' (str, default 'gw-worker'), 'execmodel' ('thread',
    'main_thread_only', 'eventlet', 'gevent'; default 'thread'), 'io'
    ('stdio', or 'socket': the connection is the global ``clientsock`` a
    socket server defines, stdio stays as it is, and the function returns
    instead of ending the process, protocol section 4.8), 'shutdown_grace' (float seconds, default 1.0), 'stdout'
    ('stderr' default, or 'devnull'), 'debug' (an EXECNET_DEBUG value: '2'
    traces to stderr, anything else to a private file; when present and
    non-empty it wins over the EXECNET_DEBUG environment variable).
    'max_item' (int bytes: larger items are refused at send and dropped,
    with their channel closed, on receipt), 'flow_window' (int bytes > 0:
    credit-based flow control per channel, frame type CHANNEL_CREDIT).
    Unknown keys are ignored.

    The agent leads its own process group (os.setsid) and kills it as the
    last step of its exit, so processes started by remote code end with it.
    """
    global _gateway
    _setup_tracing(config.get("debug"))
    gwid = str(config.get("id") or "gw-worker")
    modelname = config.get("execmodel") or "thread"
    try:
        grace = float(config.get("shutdown_grace", 1.0))
    except (TypeError, ValueError):
        grace = 1.0
    stdout_mode = config.get("stdout") or "stderr"
    iomode = config.get("io") or "stdio"
    max_item = _positive_int(config.get("max_item"))
    flow_window = _positive_int(config.get("flow_window")) or 0

    try:
        model_class = _model_class(modelname)
    except KeyError:
        sys.stderr.write("execnet4j agent: unknown execmodel %r\n" % (modelname,))
        sys.stderr.flush()
        raise SystemExit(2)
    if iomode not in ("stdio", "socket"):
        sys.stderr.write("execnet4j agent: unsupported io %r\n" % (iomode,))
        sys.stderr.flush()
        raise SystemExit(2)
    if model_class.green:
        _ParkedThread.release()
    try:
        model = model_class()
    except Exception as exc:
        sys.stderr.write("execnet4j agent: execmodel %r is not available: %s\n"
                         % (modelname, exc))
        sys.stderr.flush()
        raise SystemExit(3)

    sock = globals().get("clientsock") if iomode == "socket" else None
    if iomode == "socket" and sock is None:
        raise RuntimeError("execnet4j agent: io 'socket' needs the global clientsock")
    if sock is not None:
        # a socket server's process (maybe shared with other gateways): no session, no
        # SIGINT handler, no stdio isolation, and return instead of ending the process
        fd_in, fd_out = _socket_fds(sock)
        io = FrameIO(fd_in, fd_out, model.wait_writable, model.Lock())
        _write_all(io, b"1")
        gateway = WorkerGateway(io, gwid, model, grace, max_item, flow_window, exit_process=False)
        try:
            gateway.serve()
        finally:
            io.close_write()
            io.close_read()
            _shutdown_socket(sock)
        return
    _start_process_group()
    fd_in, fd_out = _isolate_stdio(stdout_mode)
    if model.green:
        os.set_blocking(fd_out, False)
    io = FrameIO(fd_in, fd_out, model.wait_writable, model.Lock())
    _write_all(io, b"1")
    gateway = _gateway = WorkerGateway(io, gwid, model, grace, max_item, flow_window)
    import _signal
    _signal.signal(_signal.SIGINT, _on_sigint)
    if _tracing:
        _trace(gwid, "[serve] starting, execmodel", modelname, "pid", os.getpid())
    try:
        gateway.serve()
        io.close_write()
        io.close_read()
        if _tracing:
            _trace(gwid, "[serve] exiting")
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except Exception:
            pass
    finally:
        _kill_group()
    main = threading.main_thread()
    lingering = [t for t in threading.enumerate()
                 if t is not main and t.is_alive() and not t.daemon]
    if lingering:
        os._exit(0)   # user threads must not keep the worker alive
    raise SystemExit(0)


def _socket_fds(sock):
    """Blocking descriptors (in, out) of a socket server's connection, for FrameIO."""
    import socket
    sock.setblocking(True)
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except OSError:
        pass
    return os.dup(sock.fileno()), os.dup(sock.fileno())


def _shutdown_socket(sock):
    """End the connection for the peer although the server may still hold the socket."""
    import socket
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def _positive_int(value):
    """value if it is an int > 0, else None."""
    return value if type(value) is int and value > 0 else None


def _write_all(io, data):
    """Write raw bytes on the (possibly non-blocking) protocol output."""
    view = memoryview(data)
    while view:
        try:
            n = os.write(io.fd_out, view)
        except BlockingIOError:
            io._wait_writable(io.fd_out)
            continue
        view = view[n:]


# ---------------------------------------------------------------------------
# cold sections: compiled on first use (see _load_cold)
# ---------------------------------------------------------------------------

_COLD_SECTIONS = {}             # name -> source text (appended by AgentProgram)
_cold_loaded = {}               # name -> namespace
_cold_lock = threading.Lock()


def _load_cold(name):
    """The namespace of one cold section (agent_<name>.py), compiled and run on first use."""
    namespace = _cold_loaded.get(name)
    if namespace is None:
        with _cold_lock:
            namespace = _cold_loaded.get(name)
            if namespace is None:
                namespace = {"__name__": "execnet4j_agent_" + name}
                exec(compile(_COLD_SECTIONS[name], "<execnet4j agent: %s>" % name, "exec"),
                     namespace)
                _cold_loaded[name] = namespace
    return namespace
