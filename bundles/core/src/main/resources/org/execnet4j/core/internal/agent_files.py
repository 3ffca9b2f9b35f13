"""execnet4j agent, cold section 'files': channel.makefile().

Not a module of its own on the remote: AgentProgram appends this text to the
agent as a string, compiled on first use into its own namespace
(agent.py ``_load_cold``).  Self-contained: it imports what it uses.
"""

class ChannelFileWrite(object):
    """makefile('w'): every write() sends its argument as one item."""

    def __init__(self, channel, proxyclose=True):
        self.channel = channel
        self._proxyclose = proxyclose

    def isatty(self):
        return False

    def write(self, out):
        self.channel.send(out)

    def flush(self):
        pass

    def close(self):
        if self._proxyclose:
            self.channel.close()

    @property
    def closed(self):
        return self.channel.isclosed()


class ChannelFileRead(object):
    """makefile('r'): concatenates received items (all str or all bytes)."""

    def __init__(self, channel, proxyclose=True):
        self.channel = channel
        self._proxyclose = proxyclose
        self._buffer = None
        self._eof = False

    def isatty(self):
        return False

    def close(self):
        if self._proxyclose:
            self.channel.close()

    def _fill(self):
        """Receive one more item into the buffer; False at the end of the channel."""
        if self._eof:
            return False
        try:
            item = self.channel.receive()
        except EOFError:
            self._eof = True
            self.close()
            return False
        self._buffer = item if self._buffer is None else self._buffer + item
        return True

    def _take(self, n):
        if self._buffer is None:
            return ""
        result = self._buffer[:n]
        self._buffer = self._buffer[n:]
        return result

    def read(self, n):
        while self._buffer is None or len(self._buffer) < n:
            if not self._fill():
                break
        return self._take(n)

    def readline(self):
        start = 0
        while True:
            if self._buffer is not None:
                i = self._buffer.find("\n", start)
                if i >= 0:
                    return self._take(i + 1)
                start = len(self._buffer)
            if not self._fill():
                return self._take(len(self._buffer) if self._buffer is not None else 0)
