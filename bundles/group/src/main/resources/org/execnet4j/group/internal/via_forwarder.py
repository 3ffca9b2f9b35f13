"""Runs a Python interpreter next to this one for a gateway proxied with via=.

The host sends (python, args, data, errors): the interpreter command (None for this
interpreter, else a shell-style string), its arguments, and two channels.  Bytes the host
sends on `data` go to the interpreter's stdin; its stdout goes back on `data`, its stderr on
`errors`.  The exec channel itself carries control requests: 'close' (end the stdin),
('wait', seconds) answered with the exit status or None, and 'kill'.
"""
import os
import queue
import shlex
import subprocess
import sys
import threading


def _pump(fd, target):
    try:
        while True:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            target.send(chunk)
    except (OSError, IOError):
        pass
    finally:
        try:
            target.close()
        except (OSError, IOError):
            pass


def _feed(incoming, stdin):
    """Writes what the host sends to the interpreter, off the receiver thread."""
    try:
        while True:
            chunk = incoming.get()
            if chunk is None:
                break
            stdin.write(chunk)
            stdin.flush()
    except (OSError, ValueError):
        pass
    finally:
        try:
            stdin.close()
        except (OSError, ValueError):
            pass


def forward(channel):
    python, args, data, errors = channel.receive()
    argv = (shlex.split(python) if python else [sys.executable]) + list(args)
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, bufsize=0)
    incoming = queue.Queue()
    feeder = threading.Thread(target=_feed, args=(incoming, proc.stdin), daemon=True)
    feeder.start()
    data.setcallback(incoming.put, endmarker=None)
    for fd, target in ((proc.stdout.fileno(), data), (proc.stderr.fileno(), errors)):
        threading.Thread(target=_pump, args=(fd, target), daemon=True).start()
    try:
        for request in channel:
            if request == 'close':
                incoming.put(None)
            elif request == 'kill':
                proc.kill()
                channel.send(None)
            else:
                try:
                    channel.send(proc.wait(request[1]))
                except subprocess.TimeoutExpired:
                    channel.send(None)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


if __name__ == '__channelexec__':
    forward(channel)  # noqa: F821 (channel is given by remote_exec)
