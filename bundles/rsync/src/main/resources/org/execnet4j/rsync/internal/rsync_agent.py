"""execnet4j rsync: one side of a directory sync, run on the remote with remote_exec.

The Java host drives it over the channel. The first item is ("root", path, window); every later
request is a tuple (command, id, args...) answered in order by ("ok", id), ("val", id, value) or
("err", id, message). Paths are relative to the root, "/"-separated, and refused when they would
leave it (absolute, "..", ".", empty components, or a parent that is a symlink to elsewhere).
File content travels in chunks under a credit window, so neither side holds a whole file:
while a "put" streams in, this side sends ("credit", nbytes) as it writes; while a "read" streams
out, it waits for ("credit", nbytes) from the host.
"""

import collections
import errno
import hashlib
import os
import shutil
import stat
import struct
import zlib

TMP_MARK = ".execnet4j-tmp-"
CHUNK = 256 * 1024
STRONG = 16


class Refused(Exception):
    """A request that would touch something outside the root, or that makes no sense."""


def _strong(block):
    return hashlib.sha256(block).digest()[:STRONG]


class Side(object):
    def __init__(self, channel, root, window):
        self.channel = channel
        self.root = os.path.abspath(root)
        self.realroot = os.path.realpath(self.root)
        self.window = window
        self.credit = window
        self.pending = collections.deque()
        self.tmpcount = 0
        self.tmpfiles = set()
        self.inside = set()      # directories known to resolve inside the root, until the tree changes shape

    # -- plumbing ----------------------------------------------------------

    def next(self):
        if self.pending:
            return self.pending.popleft()
        return self.channel.receive()

    def path(self, rel):
        if not isinstance(rel, str) or "\0" in rel:
            raise Refused("not a path: %r" % (rel,))
        if rel == "":
            return self.root
        parts = rel.split("/")
        if rel.startswith("/") or any(p in ("", ".", "..") for p in parts):
            raise Refused("refused path %r: it is not a plain path inside %s" % (rel, self.root))
        full = os.path.join(self.root, *parts)
        folder = os.path.dirname(full)
        if folder not in self.inside:
            parent = os.path.realpath(folder)
            if parent != self.realroot and not parent.startswith(self.realroot + os.sep):
                raise Refused("refused path %r: it leaves %s through a symlink" % (rel, self.root))
            if os.path.isdir(folder):
                self.inside.add(folder)
        return full

    # -- queries -----------------------------------------------------------

    def list(self, clean):
        entries, errors = [], []
        try:
            st = os.lstat(self.root)
        except FileNotFoundError:
            return entries, errors
        self._walk("", self.root, st, entries, errors, clean)
        return entries, errors

    def _walk(self, rel, full, st, entries, errors, clean):
        mode = st.st_mode
        if stat.S_ISDIR(mode):
            entries.append((rel, "d", mode, st.st_mtime_ns, 0, None))
            try:
                children = sorted(os.scandir(full), key=lambda e: e.name)
            except OSError as exc:
                errors.append(str(exc))
                return
            for child in children:
                if child.name.startswith(TMP_MARK):
                    if clean:
                        self._unlink_quietly(child.path)
                    continue
                try:
                    cst = child.stat(follow_symlinks=False)
                except OSError as exc:
                    errors.append(str(exc))
                    continue
                self._walk(rel + "/" + child.name if rel else child.name, child.path, cst, entries, errors, clean)
        elif stat.S_ISREG(mode):
            entries.append((rel, "f", mode, st.st_mtime_ns, st.st_size, None))
        elif stat.S_ISLNK(mode):
            try:
                entries.append((rel, "l", mode, st.st_mtime_ns, 0, os.readlink(full)))
            except OSError as exc:
                errors.append(str(exc))
        else:
            entries.append((rel, "o", mode, st.st_mtime_ns, 0, None))

    def sigs(self, rel, blocksize):
        weak, strong = [], []
        whole = hashlib.sha256()
        size = 0
        with open(self.path(rel), "rb") as f:
            while True:
                block = f.read(blocksize)
                if not block:
                    break
                size += len(block)
                whole.update(block)
                weak.append(zlib.adler32(block) & 0xFFFFFFFF)
                strong.append(_strong(block))
        return (struct.pack(">%dI" % len(weak), *weak), b"".join(strong), whole.digest(), size)

    def digest(self, rel):
        whole = hashlib.sha256()
        with open(self.path(rel), "rb") as f:
            while True:
                block = f.read(CHUNK)
                if not block:
                    return whole.digest()
                whole.update(block)

    # -- changes -----------------------------------------------------------

    def mkdir(self, rel):
        full = self.path(rel)
        self.inside.clear()
        if os.path.islink(full) or (os.path.lexists(full) and not os.path.isdir(full)):
            os.unlink(full)
        if not os.path.isdir(full):
            os.makedirs(full)

    def remove(self, rel):
        full = self.path(rel)
        self.inside.clear()
        if rel == "":
            raise Refused("refused to remove the root %s" % self.root)
        try:
            st = os.lstat(full)
        except FileNotFoundError:
            return
        if stat.S_ISDIR(st.st_mode):
            shutil.rmtree(full)
        else:
            os.unlink(full)

    def link(self, rel, target, base):
        full = self.path(rel)
        self.inside.clear()
        if base:
            target = self.root.rstrip(os.sep) + os.sep + target if target else self.root
        if os.path.lexists(full):
            self.remove(rel)
        os.symlink(target, full)

    def attrs(self, rel, mode, mtime_ns):
        full = self.path(rel)
        os.chmod(full, stat.S_IMODE(mode))
        os.utime(full, ns=(mtime_ns, mtime_ns))

    def dirattrs(self, items):
        errors = []
        for rel, mode, mtime_ns in items:
            try:
                self.attrs(rel, mode, mtime_ns)
            except (OSError, Refused) as exc:
                errors.append(str(exc))
        if errors:
            raise Refused("; ".join(errors))

    def put(self, rel, mode, mtime_ns, basis):
        """Receives a file's segments until ("end", digest) and renames it into place."""
        error = None
        out = old = None
        tmp = None
        check = hashlib.sha256()
        try:
            full = self.path(rel)
            self.tmpcount += 1
            tmp = os.path.join(os.path.dirname(full), "%s%d-%d" % (TMP_MARK, os.getpid(), self.tmpcount))
            out = open(tmp, "wb")
            self.tmpfiles.add(tmp)
            if basis:
                old = open(full, "rb")
        except (OSError, Refused) as exc:
            error = exc
        consumed = 0
        while True:
            item = self.channel.receive()
            if type(item) is bytes:
                consumed += len(item)
                if error is None:
                    try:
                        out.write(item)
                        check.update(item)
                    except OSError as exc:
                        error = exc
                if consumed >= self.window // 4:
                    self.channel.send(("credit", consumed))
                    consumed = 0
                continue
            kind = item[0]
            if kind == "copy":
                if error is None:
                    try:
                        self._copy(old, out, check, item[1], item[2])
                    except (OSError, Refused) as exc:
                        error = exc
                continue
            if consumed:
                self.channel.send(("credit", consumed))
            if kind == "abort":
                error = error or Refused(item[1])
            elif kind != "end":
                error = error or Refused("protocol: unexpected %r inside a file" % (kind,))
                self.pending.append(item)
            elif error is None and item[1] is not None and item[1] != check.digest():
                error = Refused("content of %r does not match the source's digest after the delta" % rel)
            break
        try:
            if old is not None:
                old.close()
            if out is not None:
                out.close()
            if error is None:
                os.chmod(tmp, stat.S_IMODE(mode))
                os.utime(tmp, ns=(mtime_ns, mtime_ns))
                os.replace(tmp, full)
                self.tmpfiles.discard(tmp)
        except OSError as exc:
            error = exc
        finally:
            self._discard(tmp)
        if error is not None:
            raise error

    def puts(self, files):
        """Writes small files whose content came inline: [(rel, mode, mtime_ns, data)]; returns the failures."""
        failures = []
        for rel, mode, mtime_ns, data in files:
            tmp = None
            try:
                full = self.path(rel)
                self.tmpcount += 1
                tmp = os.path.join(os.path.dirname(full), "%s%d-%d" % (TMP_MARK, os.getpid(), self.tmpcount))
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                self.tmpfiles.add(tmp)
                try:
                    view = memoryview(data)
                    while view:
                        view = view[os.write(fd, view):]
                    os.fchmod(fd, stat.S_IMODE(mode))
                    os.utime(fd, ns=(mtime_ns, mtime_ns))
                finally:
                    os.close(fd)
                os.replace(tmp, full)
                self.tmpfiles.discard(tmp)
            except OSError as exc:
                failures.append((rel, "cannot write %s: %s" % (os.path.join(self.root, rel), exc.strerror or exc)))
            except Refused as exc:
                failures.append((rel, str(exc)))
            finally:
                self._discard(tmp)
        return failures

    def digests(self, rels):
        """The SHA-256 of each file, or None where it cannot be read."""
        out = []
        for rel in rels:
            try:
                out.append(self.digest(rel))
            except (OSError, Refused):
                out.append(None)
        return out

    def _copy(self, old, out, check, offset, length):
        if old is None:
            raise Refused("protocol: copy without a basis file")
        old.seek(offset)
        while length > 0:
            block = old.read(min(length, CHUNK))
            if not block:
                raise Refused("basis file shorter than expected")
            out.write(block)
            check.update(block)
            length -= len(block)

    def read(self, rel, ranges):
        """Streams the byte ranges of a file as bytes items, within the host's credit."""
        with open(self.path(rel), "rb") as f:
            for offset, length in ranges:
                f.seek(offset)
                while length > 0:
                    block = f.read(min(length, CHUNK))
                    if not block:
                        raise Refused("%s became shorter while it was read" % rel)
                    while self.credit < len(block):
                        msg = self.channel.receive()
                        if msg[0] == "credit":
                            self.credit += msg[1]
                        else:
                            self.pending.append(msg)
                    self.credit -= len(block)
                    self.channel.send(block)
                    length -= len(block)

    def _discard(self, tmp):
        if tmp is not None and tmp in self.tmpfiles:
            self.tmpfiles.discard(tmp)
            self._unlink_quietly(tmp)

    @staticmethod
    def _unlink_quietly(path):
        try:
            os.unlink(path)
        except OSError:
            pass

    def cleanup(self):
        for tmp in list(self.tmpfiles):
            self._discard(tmp)


COMMANDS = {
    "list": lambda side, clean: side.list(clean),
    "sigs": lambda side, rel, blocksize: side.sigs(rel, blocksize),
    "digests": lambda side, rels: side.digests(rels),
    "puts": lambda side, files: side.puts(files),
    "mkdir": lambda side, rel: side.mkdir(rel),
    "remove": lambda side, rel: side.remove(rel),
    "link": lambda side, rel, target, base: side.link(rel, target, base),
    "attrs": lambda side, rel, mode, mtime_ns: side.attrs(rel, mode, mtime_ns),
    "dirattrs": lambda side, items: side.dirattrs(items),
    "put": lambda side, rel, mode, mtime_ns, basis: side.put(rel, mode, mtime_ns, basis),
    "read": lambda side, rel, ranges: side.read(rel, ranges),
}


VERBS = {"list": "list", "sigs": "read", "mkdir": "make directory", "remove": "remove",
         "link": "make symlink", "attrs": "set mode and mtime of", "dirattrs": "set mode and mtime of",
         "put": "write", "read": "read"}


def _describe(side, msg, exc):
    """'cannot <verb> <path>: <reason>' for an OSError of request msg."""
    path = msg[2] if len(msg) > 2 and isinstance(msg[2], str) else ""
    where = side.root if path == "" else side.root.rstrip(os.sep) + os.sep + path
    if exc.errno == errno.ENOENT and msg[0] in ("read", "sigs"):
        return "[Errno 2] %s vanished" % where
    return "cannot %s %s: %s" % (VERBS.get(msg[0], msg[0]), where, exc.strerror or exc)


def serve(channel):
    hello = channel.receive()
    if type(hello) is not tuple or len(hello) != 3 or hello[0] != "root":
        raise Refused("expected ('root', path, window), got %r" % (hello,))
    side = Side(channel, hello[1], hello[2])
    channel.send(("val", 0, side.root))
    try:
        while True:
            msg = side.next()
            if type(msg) is not tuple or len(msg) < 2 or msg[0] not in COMMANDS and msg[0] not in ("done", "credit"):
                raise Refused("protocol: unexpected request %r" % (msg,))
            if msg[0] == "credit":
                side.credit += msg[1]
                continue
            if msg[0] == "done":
                channel.send(("ok", msg[1]))
                return
            try:
                result = COMMANDS[msg[0]](side, *msg[2:])
            except OSError as exc:
                channel.send(("err", msg[1], _describe(side, msg, exc)))
            except (Refused, ValueError, TypeError) as exc:
                channel.send(("err", msg[1], str(exc)))
            else:
                channel.send(("ok", msg[1]) if result is None else ("val", msg[1], result))
    finally:
        side.cleanup()


if __name__ == "__channelexec__":
    serve(channel)  # noqa: F821 - the channel remote_exec provides
