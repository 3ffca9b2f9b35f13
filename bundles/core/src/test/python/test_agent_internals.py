"""The agent's performance building blocks, tested in-process and through a worker.

In-process: agent.py loaded as a module (agenthost.load_agent); nothing runs at
import time, so its classes can be driven directly with pipes and threads.
"""

import fcntl as agenthost_fcntl
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest

import agenthost
from agenthost import AgentProcess, CHANNEL_DATA, chanref

agent = agenthost.load_agent()


def wait_for(predicate, timeout=5.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


class AssemblyTests(unittest.TestCase):
    """The agent program: agent.py plus its cold sections, without the test-only codec."""

    def test_cold_sections_compile_on_first_use_into_their_own_namespace(self):
        green = agent._load_cold("green")
        self.assertIs(agent._load_cold("green"), green)
        self.assertTrue(issubclass(green["GeventModel"], green["_GreenModel"]))
        self.assertIn("ChannelFileWrite", agent._load_cold("files"))
        self.assertNotIn("ChannelFileWrite", vars(agent))

    def test_public_dumps_and_loads_are_not_shipped(self):
        self.assertFalse(hasattr(agent, "dumps"))
        self.assertFalse(hasattr(agent, "loads"))
        self.assertEqual(agenthost.loads(agenthost.dumps((1, "x"))), (1, "x"))


class ItemQueueTests(unittest.TestCase):

    def test_fifo_nonblocking_and_timeout(self):
        q = agent._ItemQueue()
        for i in range(5):
            q.put(i)
        self.assertEqual([q.get() for _ in range(5)], list(range(5)))
        self.assertRaises(agent.Empty, q.get, False)
        start = time.monotonic()
        self.assertRaises(agent.Empty, q.get, timeout=0.1)
        self.assertGreaterEqual(time.monotonic() - start, 0.09)
        self.assertRaises(ValueError, q.get, timeout=-1)

    def test_waiting_getters_are_woken(self):
        q = agent._ItemQueue()
        got = []

        def getter():
            for _ in range(1000):
                got.append(q.get(timeout=10))

        threads = [threading.Thread(target=getter) for _ in range(3)]
        for t in threads:
            t.start()
        for i in range(3000):
            q.put(i)
            if i % 100 == 0:
                time.sleep(0.001)       # let the getters block now and then
        for t in threads:
            t.join(10)
        self.assertEqual(sorted(got), list(range(3000)))


class WorkerPoolTests(unittest.TestCase):

    def test_sequential_tasks_reuse_one_thread(self):
        pool = agent._WorkerPool(idle_timeout=10.0, name="test-pool")
        idents = []
        for _ in range(10):
            done = threading.Event()
            pool.submit(lambda: (idents.append(threading.get_ident()), done.set()))
            self.assertTrue(done.wait(5))
            self.assertTrue(wait_for(lambda: len(pool._idle) == 1))
        self.assertEqual(len(set(idents)), 1)
        self.assertEqual(pool.started, 1)
        self.assertNotEqual(idents[0], threading.get_ident())

    def test_concurrent_tasks_get_their_own_threads_and_idle_ones_retire(self):
        pool = agent._WorkerPool(idle_timeout=0.2, name="test-pool")
        release = threading.Event()
        running = []
        lock = threading.Lock()

        def task():
            with lock:
                running.append(threading.current_thread().name)
            release.wait(10)

        start = time.monotonic()
        for _ in range(20):
            pool.submit(task)
        self.assertLess(time.monotonic() - start, 0.5)      # submit never blocks long
        self.assertTrue(wait_for(lambda: len(running) == 20), running)
        self.assertEqual(pool.started, 20)
        self.assertTrue(all(name.startswith("test-pool-") for name in running))
        release.set()
        self.assertTrue(wait_for(lambda: pool.alive == 0))   # idle threads retired
        self.assertEqual(pool._idle, [])
        done = threading.Event()
        pool.submit(done.set)                                # pool still usable
        self.assertTrue(done.wait(5))

    def test_failing_task_does_not_kill_the_worker(self):
        pool = agent._WorkerPool(idle_timeout=10.0, name="test-pool")
        saved = sys.stderr
        sys.stderr = open(os.devnull, "w")
        try:
            pool.submit(lambda: 1 / 0)
            self.assertTrue(wait_for(lambda: len(pool._idle) == 1))
        finally:
            sys.stderr.close()
            sys.stderr = saved
        done = threading.Event()
        pool.submit(done.set)
        self.assertTrue(done.wait(5))
        self.assertEqual(pool.started, 1)


class ParkedThreadTests(unittest.TestCase):
    """The receiver's thread, started ahead in a socket server's spare (_ParkedThread)."""

    def tearDown(self):
        agent._ParkedThread.release()

    def _run_and_report(self):
        ran = []
        done = threading.Event()
        agent._ParkedThread.run(lambda: (ran.append(threading.current_thread()), done.set()), "execnet4j-receiver")
        self.assertTrue(done.wait(5))
        return ran[0]

    def test_the_parked_thread_runs_the_next_function_once(self):
        agent._ParkedThread.park()
        parked = agent._ParkedThread.parked._thread
        agent._ParkedThread.park()      # once per process: the same one stays parked
        self.assertIs(agent._ParkedThread.parked._thread, parked)
        runner = self._run_and_report()
        self.assertIs(runner, parked)
        self.assertEqual(runner.name, "execnet4j-receiver")
        self.assertTrue(runner.daemon)
        self.assertIsNone(agent._ParkedThread.parked)
        self.assertIsNot(self._run_and_report(), parked)    # taken: the next one gets a new thread

    def test_without_a_parked_thread_a_new_daemon_thread_runs_it(self):
        runner = self._run_and_report()
        self.assertIsNot(runner, threading.current_thread())
        self.assertEqual(runner.name, "execnet4j-receiver")
        self.assertTrue(runner.daemon)

    def test_preparing_a_forked_start_parks_the_receivers_thread_and_starts_no_other(self):
        before = set(threading.enumerate())
        agent._prepare_forked_start()
        self.assertEqual(set(threading.enumerate()) - before, {agent._ParkedThread.parked._thread})

    def test_release_ends_the_parked_thread_unused(self):
        agent._ParkedThread.park()
        parked = agent._ParkedThread.parked._thread
        agent._ParkedThread.release()
        parked.join(5)
        self.assertFalse(parked.is_alive())
        self.assertIsNone(agent._ParkedThread.parked)


class CodeCacheTests(unittest.TestCase):

    def test_hits_and_bound(self):
        cache = agent._CodeCache(size=3)
        a = cache.get("x = 1", "<a>")
        self.assertIs(cache.get("x = 1", "<a>"), a)
        self.assertIsNot(cache.get("x = 1", "<b>"), a)     # filename is part of the key
        self.assertEqual(a.co_filename, "<a>")
        cache.get("x = 2", "<a>")
        cache.get("x = 1", "<a>")                           # refresh: most recent now
        cache.get("x = 3", "<a>")                           # evicts ("x = 1", "<b>")
        self.assertEqual(len(cache), 3)
        self.assertIn(("x = 1", "<a>"), cache._codes)
        self.assertNotIn(("x = 1", "<b>"), cache._codes)
        self.assertRaises(SyntaxError, cache.get, "x = (", "<a>")


class WeakValuesTests(unittest.TestCase):
    """The channel table's map (_WeakValues): it holds its values weakly."""

    class Value(object):
        pass

    def test_an_entry_goes_with_its_value(self):
        table = agent._WeakValues()
        kept, dropped = self.Value(), self.Value()
        table[1] = kept
        table[3] = dropped
        self.assertEqual((len(table), table.get(3)), (2, dropped))
        del dropped
        self.assertEqual(len(table), 1)
        self.assertIsNone(table.get(3))
        self.assertEqual((table.keys(), table.values()), ([1], [kept]))

    def test_the_end_of_a_replaced_value_leaves_its_successor(self):
        table = agent._WeakValues()
        first, second = self.Value(), self.Value()
        table[1] = first
        table[1] = second
        del first
        self.assertIs(table.get(1), second)
        self.assertIs(table.pop(1), second)
        self.assertIsNone(table.pop(1))
        self.assertEqual(len(table), 0)

    def test_without_remove_dead_weakref_the_table_is_weakrefs_own(self):
        self.addCleanup(setattr, agent, "_remove_dead_weakref", agent._remove_dead_weakref)
        self.assertIsInstance(agent._weak_values(), agent._WeakValues)
        agent._remove_dead_weakref = None       # as on PyPy
        import weakref
        self.assertIsInstance(agent._weak_values(), weakref.WeakValueDictionary)


class CompilerWarmUpTests(unittest.TestCase):
    """compile()'s first-call set-up (_warm_compiler) is done before the first request needs it."""

    def record_warm_ups(self):
        calls = []
        real = agent._warm_compiler
        agent._warm_compiler = lambda: calls.append(threading.current_thread())
        self.addCleanup(setattr, agent, "_warm_compiler", real)
        return calls

    def test_serving_warms_the_compiler_up_on_the_serving_thread(self):
        calls = self.record_warm_ups()
        r_in, w_in = os.pipe()
        r_out, w_out = os.pipe()
        for fd in (w_in, r_out, w_out):
            self.addCleanup(FramingTests._close, fd)
        model = agent.ThreadModel()
        gateway = agent.WorkerGateway(agent.FrameIO(r_in, w_out, model.wait_writable, model.Lock()), "warm",
                                      model, exit_process=False)
        server = threading.Thread(target=gateway.serve)
        server.start()
        os.write(w_in, agenthost.HEADER.pack(agenthost.GATEWAY_TERMINATE, 0, 0))
        server.join(5)
        self.assertFalse(server.is_alive())
        self.assertEqual(calls, [server])

    def test_preparing_a_forked_start_warms_the_compiler_up(self):
        calls = self.record_warm_ups()
        self.addCleanup(agent._ParkedThread.release)
        agent._prepare_forked_start()
        self.assertEqual(calls, [threading.current_thread()])

    def test_the_warm_up_compiles(self):
        agent._warm_compiler()      # no error, no output: only compile()'s own set-up


class FramingTests(unittest.TestCase):
    """FrameIO on a real pipe."""

    def pipe_io(self):
        r, w = os.pipe()
        self.addCleanup(self._close, r)
        self.addCleanup(self._close, w)
        return r, w

    @staticmethod
    def _close(fd):
        try:
            os.close(fd)
        except OSError:
            pass

    def test_read_frames_across_chunks(self):
        r, w = self.pipe_io()
        io = agent.FrameIO(r, -1)
        big = os.urandom(300000)
        frames = [(4, 1, b"abc"), (5, 1, b""), (4, 3, big), (4, 5, b"x" * 70000), (7, 7, b"")]
        data = b"".join(agenthost.HEADER.pack(c, i, len(p)) + p for c, i, p in frames)

        def writer():
            rest = data
            for n in (1, 8, 3, 5000, 100000, 1):
                os.write(w, rest[:n])
                rest = rest[n:]
                time.sleep(0.002)
            while rest:
                n = os.write(w, rest)
                rest = rest[n:]
            os.close(w)

        t = threading.Thread(target=writer)
        t.start()
        got = []
        while True:
            batch = io.read_frames()
            if batch is None:
                break
            self.assertTrue(batch)
            got.extend(batch)
        t.join()
        self.assertEqual(got, frames)

    @unittest.skipUnless(hasattr(agenthost_fcntl, "F_GETPIPE_SZ"), "needs Linux's F_SETPIPE_SZ")
    def test_a_big_frame_grows_a_pipe_input_to_hold_one(self):
        r, w = self.pipe_io()
        io = agent.FrameIO(r, -1)
        with open("/proc/sys/fs/pipe-max-size") as f:
            if int(f.read()) < io._BIG_INPUT:
                self.skipTest("pipe-max-size is below _BIG_INPUT here")
        self.assertEqual(agenthost_fcntl.fcntl(r, agenthost_fcntl.F_GETPIPE_SZ), 65536)
        small = agenthost.HEADER.pack(4, 1, 3) + b"abc"
        os.write(w, small)
        io.read_frames()
        self.assertEqual(agenthost_fcntl.fcntl(r, agenthost_fcntl.F_GETPIPE_SZ), 65536, "small frames keep the pipe")
        big = os.urandom(300000)
        t = threading.Thread(target=os.write, args=(w, agenthost.HEADER.pack(4, 1, len(big)) + big))
        t.start()
        self.assertEqual(io.read_frames(), [(4, 1, big)])
        t.join()
        self.assertEqual(agenthost_fcntl.fcntl(r, agenthost_fcntl.F_GETPIPE_SZ), io._BIG_INPUT)

    def test_eof_inside_a_frame(self):
        r, w = self.pipe_io()
        io = agent.FrameIO(r, -1)
        os.write(w, agenthost.HEADER.pack(4, 1, 10) + b"abc")
        os.close(w)
        with self.assertRaises(EOFError) as cm:
            io.read_frames()
        self.assertIn("expected 19 bytes, got 12", str(cm.exception))

    def test_good_frames_before_a_bad_header_are_delivered(self):
        r, w = self.pipe_io()
        io = agent.FrameIO(r, -1)
        os.write(w, agenthost.HEADER.pack(4, 1, 1) + b"a" + agenthost.HEADER.pack(9, 1, 0))
        self.assertEqual(io.read_frames(), [(4, 1, b"a")])
        self.assertRaises(agent.ProtocolError, io.read_frames)

    def test_concurrent_senders_coalesce_without_interleaving(self):
        r, w = self.pipe_io()
        writes = []
        io = agent.FrameIO(-1, w)
        real_write_all = io._write_all
        real_writev_all = io._writev_all
        io._write_all = lambda data: (writes.append(1), real_write_all(data))
        io._writev_all = lambda pieces: (writes.append(1), real_writev_all(pieces))
        per_thread = 3000
        sizes = [0, 1, 7, 100, 5000, 70000]
        start = threading.Event()

        def sender(i):
            start.wait()
            for n in range(per_thread):
                size = sizes[(n * 7 + i) % len(sizes)]
                io.send_frame(4, 2 * i + 1, (bytes([i]) * size + b"%d" % n))

        threads = [threading.Thread(target=sender, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        reader = agent.FrameIO(r, -1)
        got = {}
        start.set()
        total = 0
        while total < 4 * per_thread:
            for code, cid, payload in reader.read_frames():
                got.setdefault(cid, []).append(payload)
                total += 1
        for t in threads:
            t.join(30)
        for i in range(4):
            expected = [bytes([i]) * sizes[(n * 7 + i) % len(sizes)] + b"%d" % n
                        for n in range(per_thread)]
            self.assertEqual(got[2 * i + 1], expected)
        self.assertLess(len(writes), 4 * per_thread)         # some writes carried several
        self.assertFalse(io._pending)

    def test_failed_write_raises_in_every_waiting_sender(self):
        r, w = self.pipe_io()
        io = agent.FrameIO(-1, w)
        io.close_write()
        self.assertRaises(OSError, io.send_frame, 4, 1, b"x")
        io.queue_frame(5, 1)
        io.flush_nowait()
        self.assertFalse(io._pending)


class SerializerFastPathTests(unittest.TestCase):

    def test_fast_paths_match_the_general_decoder(self):
        samples = [0, 1, -1, 2 ** 31 - 1, -2 ** 31, "", "item-17", "\u2713\U0001f600", "x" * 70000]
        for value in samples:
            data = agent.dumps_internal(value)
            self.assertEqual(data, agent.Serializer().dumps(value))
            for strconfig in ((True, False), (False, True)):
                self.assertEqual(agent.loads_internal(data, strconfig),
                                 agent._loads_general(data, strconfig, None))

    def test_a_lone_bytes_item_decodes_to_bytes_from_bytes_and_from_a_big_frames_bytearray(self):
        for value in (b"", b"x", bytes(range(256)) * 1000):
            data = agent.dumps_internal(value)
            for payload in (data, bytearray(data)):
                decoded = agent.loads_internal(payload)
                self.assertIs(type(decoded), bytes)
                self.assertEqual(decoded, value)
                self.assertEqual(decoded, agent._loads_general(payload, agent.DEFAULT_STRCONFIG, None))
        for odd in (b"A\x00\x00\x00\x02xQ", b"A\x00\x00\x00\x01xQQ", b"A\x00\x00\x00\x01xR"):
            self.assertEqual(self.outcome(agent.loads_internal, bytearray(odd)),
                             self.outcome(agent._loads_general, odd, agent.DEFAULT_STRCONFIG, None))

    @staticmethod
    def outcome(loads, *args):
        try:
            return loads(*args)
        except agent.LoadError as exc:
            return str(exc)

    def test_fast_path_errors_match(self):
        bad = b"N\x00\x00\x00\x02\xff\xfeQ"
        with self.assertRaises(agent.LoadError) as fast:
            agent.loads_internal(bad)
        with self.assertRaises(agent.LoadError) as general:
            agent._loads_general(bad, (True, False), None)
        self.assertEqual(str(fast.exception), str(general.exception))
        self.assertRaises(agent.DumpError, agent.dumps_internal, "\ud800")


class WorkerTests(unittest.TestCase):
    """The same features seen through a worker process."""

    def start(self, config=None, **kw):
        p = AgentProcess(config, **kw)
        self.addCleanup(p.kill)
        return p

    def test_busy_main_thread_sends_tasks_to_reused_pool_threads(self):
        p = self.start()
        p.remote_exec(1, "channel.receive()")           # occupies the main thread
        names = set()
        for cid in range(3, 43, 2):
            p.remote_exec(cid, "import threading\n"
                               "channel.send(threading.current_thread().name)")
            names.add(p.receive(cid))
            p.expect_close(cid)
        self.assertTrue(all(n.startswith("execnet4j-task-") for n in names), names)
        self.assertLess(len(names), 20)                  # threads are reused
        p.send(1, None)
        p.expect_close(1)

    def test_many_concurrent_channels(self):
        p = self.start()
        cids = list(range(1, 1001, 2))
        for cid in cids:
            p.remote_exec(cid, "channel.send(channel.receive())")
        for cid in cids:
            p.send(cid, cid)
        for cid in cids:
            self.assertEqual(p.receive(cid), cid)
            self.assertIsNone(p.expect_close(cid))
        p.terminate()
        self.assertEqual(p.wait()[0], 0)

    def test_small_message_burst_both_ways(self):
        p = self.start()
        p.remote_exec(1, "c = channel.receive()\n"
                         "items = [x for x in channel]\n"
                         "for x in items:\n"
                         "    c.send(x)\n")
        p.send(1, chanref(3))
        items = [i if i % 2 else "item-%d" % i for i in range(20000)]
        p.send_raw(b"".join(agenthost.HEADER.pack(CHANNEL_DATA, 1, len(d)) + d
                            for d in (agenthost.encode(x) for x in items)))
        p.close_channel(1)
        self.assertEqual([p.receive(3) for _ in items], items)

    def test_a_new_task_sends_its_first_item_at_once(self):
        # a burst of items ends with its task: the next task's first item is not
        # deferred to the flusher thread (which would then be started for it)
        p = self.start()
        for cid in (1, 3):
            p.remote_exec(cid, "channel.send(cid)".replace("cid", str(cid)))
            self.assertEqual(p.receive(cid), cid)
            p.expect_close(cid)
        p.remote_exec(5, "import threading\n"
                         "channel.send(sorted(t.name for t in threading.enumerate()))")
        self.assertNotIn("execnet4j-flush", p.receive(5))
        p.expect_close(5)

    def test_a_fresh_agent_answers_without_importing_weakref_py(self):
        plain = subprocess.run([sys.executable, "-c", "import sys; print('weakref' in sys.modules)"],
                               capture_output=True, text=True, check=True).stdout.strip()
        if plain != "False":
            self.skipTest("this interpreter imports weakref.py at start-up")
        p = self.start()
        p.remote_exec(1, "import sys\nchannel.send('weakref' in sys.modules)")
        self.assertIs(p.receive(1), False)
        p.expect_close(1)

    def test_same_source_twice_and_filename_kept(self):
        p = self.start()
        for cid in (1, 3):
            p.remote_exec(cid, "raise ValueError('x')", filename="/tmp/remote_%d.py" % cid)
            text = p.expect_close(cid)
            self.assertIn('File "/tmp/remote_%d.py", line 1' % cid, text)

    def test_debug_config_key_traces_to_stderr(self):
        env = dict(os.environ)
        env.pop("EXECNET_DEBUG", None)
        p = self.start({"id": "gw0-worker", "debug": "2"}, env=env)
        p.remote_exec(1, "channel.send(1)")
        self.assertEqual(p.receive(1), 1)
        p.terminate()
        p.wait()
        err = p.stderr_text(True)
        self.assertIn("[%d] gw0-worker" % p.proc.pid, err)
        self.assertIn("execution starts[1]", err)
        self.assertIn("sent <Message CHANNEL_DATA channel=1 lendata=6>", err)

    def test_debug_config_key_wins_over_environment(self):
        tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, tmp)
        env = dict(os.environ, EXECNET_DEBUG="2", TMPDIR=tmp)
        p = self.start({"id": "gw0-worker", "debug": "1"}, env=env)
        p.remote_exec(1, "channel.send(1)")
        self.assertEqual(p.receive(1), 1)
        p.terminate()
        p.wait()
        names = os.listdir(tmp)
        self.assertEqual(len(names), 1, names)
        self.assertTrue(names[0].startswith("execnet-debug-%d-" % p.proc.pid))
        self.assertNotIn("gw0-worker", p.stderr_text(True))

    def test_empty_debug_config_key_leaves_environment_in_charge(self):
        env = dict(os.environ, EXECNET_DEBUG="2")
        p = self.start({"id": "gw0-worker", "debug": ""}, env=env)
        p.terminate()
        p.wait()
        self.assertIn("gw0-worker", p.stderr_text(True))
        env.pop("EXECNET_DEBUG")
        p = self.start({"id": "gw0-worker", "debug": None}, env=env)
        p.terminate()
        p.wait()
        self.assertNotIn("gw0-worker", p.stderr_text(True))


if __name__ == "__main__":
    unittest.main()
