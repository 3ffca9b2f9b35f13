"""The first program a warm interpreter runs: loads execnet4j's socket server and agent as bytecode.

execnet4j's host sends this program (with the call of _warm_boot appended) as the first line to
a fresh interpreter that is to become a warm interpreter (WarmInterpreter.java).  Compiling the
server's and the agent's source takes most of a warm interpreter's start, so the two code objects
are kept, marshalled, in a file of this machine's cache directory (by default
$XDG_CACHE_HOME/execnet4j or ~/.cache/execnet4j), one per program version and interpreter
version, as Python keeps .pyc files: in a directory of this user's that nobody else may write to,
checked by a CRC-32 before it is unmarshalled; the directory keeps the 16 such files written last.  When the file is missing, damaged or not this
user's alone, the program writes "?" on stdout, reads the server's and the agent's source (one str
literal line each) and compiles them; the server then stores the file once it serves (unless the
host said not to, as python -B does not write .pyc files).  Then it runs the server in __main__.

Only the standard library is used; Python 3.8 or newer.
"""
import os
import sys

_WARM_MAGIC = b"execnet4j-warm-1\n"


def _warm_cache_file(directory, name):
    """The cache file of this program version and interpreter version; None: no cache."""
    tag = getattr(sys.implementation, "cache_tag", None)
    if directory is None or not tag:
        return None
    if not directory:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        directory = os.path.join(base, "execnet4j")
    return os.path.join(directory, "%s-%s-%x.marshal" % (name, tag, sys.hexversion))


def _warm_private(st):
    """Whether a file or directory is this user's and nobody else may write to it."""
    return st.st_uid == os.getuid() and not st.st_mode & 0o022


def _warm_load(path):
    """The codes stored in the file; None when it is missing, damaged or not this user's alone."""
    import marshal
    import stat
    import zlib
    try:
        parent = os.lstat(os.path.dirname(path))
        if not stat.S_ISDIR(parent.st_mode) or not _warm_private(parent):
            return None
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        try:
            if not _warm_private(os.fstat(fd)):
                return None
            chunks = []
            chunk = os.read(fd, 1 << 20)
            while chunk:
                chunks.append(chunk)
                chunk = os.read(fd, 1 << 20)
        finally:
            os.close(fd)
        data = b"".join(chunks)
        start = len(_WARM_MAGIC) + 4
        if not data.startswith(_WARM_MAGIC) or zlib.crc32(data[start:]) != int.from_bytes(data[start - 4:start], "big"):
            return None
        codes = marshal.loads(data[start:])
        return codes if isinstance(codes, tuple) and len(codes) == 2 else None
    except (OSError, ValueError, EOFError, TypeError):
        return None


def _warm_store(path, codes):
    """Writes the codes to the file (a temporary file renamed into place); a failure only costs a compile."""
    import marshal
    import zlib
    directory = os.path.dirname(path)
    tmp = "%s.%d.tmp" % (path, os.getpid())
    try:
        os.makedirs(directory, 0o700, exist_ok=True)
        if not _warm_private(os.lstat(directory)):
            return
        data = marshal.dumps(codes)
        data = _WARM_MAGIC + zlib.crc32(data).to_bytes(4, "big") + data
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        try:
            while data:
                data = data[os.write(fd, data):]
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except (OSError, ValueError):
        try:
            os.unlink(tmp)
        except OSError:
            pass
        return
    _warm_prune(path)


_WARM_KEPT = 16


def _warm_prune(written):
    """Deletes all but the _WARM_KEPT warm files written last (older program or Python versions)."""
    directory = os.path.dirname(written)
    try:
        others = [os.path.join(directory, n) for n in os.listdir(directory)
                  if n.startswith("warm-") and n.endswith(".marshal") and n != os.path.basename(written)]
        others.sort(key=lambda p: os.lstat(p).st_mtime, reverse=True)
        for old in others[_WARM_KEPT - 1:]:
            os.unlink(old)
    except OSError:
        pass    # another process pruned at the same time: the next store prunes again


def _warm_source_line():
    """One str literal line of stdin, evaluated (the host sends nothing else before the server is ready)."""
    line = sys.stdin.readline()
    if not line:
        raise SystemExit("execnet4j: the host closed the warm interpreter's stdin before it sent the source")
    return eval(line, {"__builtins__": {}})


def _warm_boot(name, directory, write, agent_sha256, argv):
    """Runs the socket server with argv, its and the agent's code from the cache file or compiled from the host's source.

    name: the file's name (the hash of both sources); directory: the cache directory, "" for
    the default, None for no cache; write: whether to store a compiled pair.
    """
    path = _warm_cache_file(directory, name)
    codes = _warm_load(path) if path else None
    store = None
    if codes is None:
        os.write(1, b"?\n")
        codes = (compile(_warm_source_line(), "<execnet4j_socketserver>", "exec"),
                 compile(_warm_source_line(), "<string>", "exec"))
        if path and write:
            store = (lambda: _warm_store(path, codes))
    namespace = sys.modules["__main__"].__dict__
    namespace["_execnet4j_boot"] = {"agent": codes[1], "sha256": agent_sha256, "after_ready": store}
    sys.argv[1:] = argv
    exec(codes[0], namespace)
