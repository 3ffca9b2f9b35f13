"""execnet4j agent, cold section 'green': the eventlet and gevent execution models.

Not a module of its own on the remote: AgentProgram appends this text to the
agent as a string, compiled on first use into its own namespace
(agent.py ``_load_cold``).  Self-contained: it imports what it uses.
"""

class _GreenRLock(object):
    """Re-entrant lock for green threads, built on a green semaphore."""

    def __init__(self, semaphore, getcurrent):
        self._sem = semaphore
        self._getcurrent = getcurrent
        self._owner = None
        self._count = 0

    def acquire(self, blocking=True):
        me = self._getcurrent()
        if self._owner is me:
            self._count += 1
            return True
        if not self._sem.acquire(blocking):
            return False
        self._owner = me
        self._count = 1
        return True

    def release(self):
        self._count -= 1
        if self._count == 0:
            self._owner = None
            self._sem.release()

    __enter__ = acquire

    def __exit__(self, *exc):
        self.release()


class _GreenEvent(object):
    """threading.Event look-alike for green threads (one OS thread only)."""

    def __init__(self, queue_class, empty):
        self._queue_class = queue_class
        self._empty = empty
        self._flag = False
        self._waiters = []

    def is_set(self):
        return self._flag

    def set(self):
        self._flag = True
        waiters, self._waiters = self._waiters, []
        for q in waiters:
            q.put(True)

    def clear(self):
        self._flag = False

    def wait(self, timeout=None):
        if self._flag:
            return True
        q = self._queue_class()
        self._waiters.append(q)
        try:
            q.get(timeout=timeout)
        except self._empty:
            pass
        finally:
            if q in self._waiters:
                self._waiters.remove(q)
        return self._flag


class _GreenModel(object):
    """Common part of the eventlet and gevent models.

    Frames are read by a real OS thread (``run_blocking``) so that the
    shutdown watchdog works even while a green task hogs the CPU; frames
    are dispatched in a green thread; tasks are green threads.
    """

    green = True

    def _init_common(self, queue_class, empty, semaphore_class, getcurrent):
        self.Queue = queue_class
        self.Empty = empty
        self.Lock = lambda: semaphore_class(1)
        self.RLock = lambda: _GreenRLock(semaphore_class(1), getcurrent)
        self.Event = lambda: _GreenEvent(queue_class, empty)
        self._receiver_done = self.Event()

    def start_receiver(self, func):
        def run():
            try:
                func()
            finally:
                self._receiver_done.set()
        self._spawn(run)

    def spawn(self, task, reject=None):
        self._spawn(task)

    def main_loop(self):
        self._receiver_done.wait()

    def task_finishing(self):
        pass

    def shutdown(self):
        pass


class EventletModel(_GreenModel):
    backend = "eventlet"

    def __init__(self):
        import eventlet
        import eventlet.hubs
        import eventlet.queue
        import eventlet.semaphore
        import eventlet.tpool
        import greenlet
        eventlet.hubs.get_hub()     # fails here if the hub cannot run on this interpreter
        self._eventlet = eventlet
        self._trampoline = eventlet.hubs.trampoline
        self._tpool = eventlet.tpool
        self._init_common(eventlet.queue.LightQueue, eventlet.queue.Empty,
                          eventlet.semaphore.Semaphore, greenlet.getcurrent)

    def _spawn(self, func):
        self._eventlet.spawn_n(func)

    def run_blocking(self, func):
        return self._tpool.execute(func)

    def wait_writable(self, fd):
        self._trampoline(fd, write=True)


class GeventModel(_GreenModel):
    backend = "gevent"

    def __init__(self):
        import gevent
        import gevent.lock
        import gevent.queue
        import gevent.socket
        import greenlet
        gevent.get_hub()            # fails here if the hub cannot run on this interpreter
        self._gevent = gevent
        self._wait_write = gevent.socket.wait_write
        self._init_common(gevent.queue.Queue, gevent.queue.Empty,
                          gevent.lock.Semaphore, greenlet.getcurrent)

    def _spawn(self, func):
        self._gevent.spawn(func)

    def run_blocking(self, func):
        return self._gevent.get_hub().threadpool.apply(func)

    def wait_writable(self, fd):
        self._wait_write(fd)
