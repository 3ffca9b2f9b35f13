"""The agent as a black box: started like the Java host starts it, driven by raw frames."""

import os
import shutil
import sys
import tempfile
import textwrap
import time
import unittest

import agenthost
from agenthost import (AgentProcess, CHANNEL_CLOSE, CHANNEL_CLOSE_ERROR, CHANNEL_DATA,
                       CHANNEL_EXEC, CHANNEL_LAST_MESSAGE, RECONFIGURE,
                       STATUS, chanref, encode)

IS_PYPY = hasattr(sys, "pypy_version_info")


def src(text):
    return textwrap.dedent(text).lstrip("\n")


class AgentTestCase(unittest.TestCase):
    config = None

    def start(self, config=None, **kw):
        p = AgentProcess(config if config is not None else self.config, **kw)
        self.addCleanup(p.kill)
        return p

    def setUp(self):
        self.p = self.start()

    def echo_works(self, p, cid):
        p.remote_exec(cid, "channel.send(channel.receive())")
        p.send(cid, ("still", "alive"))
        self.assertEqual(p.receive(cid), ("still", "alive"))
        self.assertIsNone(p.expect_close(cid))


class BasicTests(AgentTestCase):

    def test_echo_and_close(self):
        p = self.p
        p.remote_exec(1, "x = channel.receive()\nchannel.send(x * 2)\n")
        p.send(1, 21)
        # byte-exact reply frames as captured from execnet (transcript scenario A)
        self.assertEqual(p.next_frame(1), (CHANNEL_DATA, 1, bytes.fromhex("460000002a51")))
        self.assertEqual(p.next_frame(1), (CHANNEL_CLOSE, 1, b""))

    def test_status_bytes(self):
        p = self.p
        p.send_frame(STATUS, 3)
        code, cid, payload = p.next_frame(3)
        self.assertEqual((code, cid), (CHANNEL_DATA, 3))
        self.assertEqual(payload.hex(), "4a4e0000000b6e756d6368616e6e656c734600000000504e0000000c6e"
                                        "756d657865637574696e674600000000504e00000009657865636d6f64"
                                        "656c4e000000067468726561645051")
        self.assertEqual(p.next_frame(3), (CHANNEL_CLOSE, 3, b""))

    def test_status_counts(self):
        p = self.p
        p.remote_exec(1, "channel.receive()")
        p.remote_exec(3, "channel.receive()")
        st = p.status(5)
        self.assertEqual(st, {"numchannels": 2, "numexecuting": 2, "execmodel": "thread"})
        p.send(1, None)
        p.send(3, None)
        p.expect_close(1)
        p.expect_close(3)
        # a task is accounted as ended before its close is sent: no polling needed
        self.assertEqual(p.status(7), {"numchannels": 0, "numexecuting": 0,
                                       "execmodel": "thread"})

    def test_big_values(self):
        p = self.p
        p.remote_exec(1, "for x in channel:\n    if x == 'STOP': break\n    channel.send(x)")
        values = [
            bytes(range(256)) * 40000,                  # ~10 MB
            "\u2713x" * 300000,
            list(range(20000)),
            {"k%d" % i: (i, float(i), str(i)) for i in range(2000)},
            2 ** 200, -2 ** 100, -2 ** 31 - 1,
            [[[[["deep"]]]]],
            (None, True, False, 1.5, complex(1, -2), frozenset([1, 2]), {3}),
        ]
        for v in values:
            p.send(1, v)
        for v in values:
            self.assertEqual(p.receive(1, timeout=30), v)
        p.send(1, "STOP")
        self.assertIsNone(p.expect_close(1))

    def test_concurrent_senders_do_not_interleave_frames(self):
        p = self.p
        p.remote_exec(1, src("""
            import threading
            chans = [channel.receive() for i in range(4)]
            def pump(c, i):
                for n in range(10):
                    c.send(bytes([i]) * (1 << 20) + str(n).encode())
            threads = [threading.Thread(target=pump, args=(c, i)) for i, c in enumerate(chans)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            """))
        for cid in (3, 5, 7, 9):
            p.send(1, chanref(cid))
        for i, cid in enumerate((3, 5, 7, 9)):
            for n in range(10):
                self.assertEqual(p.receive(cid, timeout=30),
                                 bytes([i]) * (1 << 20) + str(n).encode())
        self.assertIsNone(p.expect_close(1))

    def test_remote_error_traceback(self):
        p = self.p
        p.remote_exec(1, "x = 1\nraise ValueError('boom %d' % x)\n")
        text = p.expect_close(1)
        self.assertTrue(text.startswith("Traceback (most recent call last):\n"), text)
        self.assertIn('File "<remote exec>", line 2, in <module>', text)
        self.assertTrue(text.endswith("ValueError: boom 1\n"), text)
        self.echo_works(p, 3)

    def test_system_exit_is_an_error(self):
        p = self.p
        p.remote_exec(1, "import sys\nsys.exit(3)")
        text = p.expect_close(1)
        self.assertTrue(text.endswith("SystemExit: 3\n"), text)
        self.echo_works(p, 3)

    def test_keyboard_interrupt(self):
        p = self.p
        p.remote_exec(1, "raise KeyboardInterrupt()")
        self.assertEqual(p.expect_close(1), "keyboard-interrupted")
        self.echo_works(p, 3)

    def test_eof_error_closes_cleanly(self):
        p = self.p
        p.remote_exec(1, "raise EOFError('x')")
        self.assertIsNone(p.expect_close(1))

    def test_function_call_with_kwargs_and_filename(self):
        p = self.p
        source = "\n\n\ndef myfunc(channel, a, b=2):\n    channel.send((__name__, a + b))\n" \
                 "    raise RuntimeError('in myfunc')\n"
        p.remote_exec(1, source, "/nonexistent/file.py", "myfunc", {"a": 40})
        self.assertEqual(p.receive(1), ("__channelexec__", 42))
        text = p.expect_close(1)
        self.assertIn('File "/nonexistent/file.py", line 6, in myfunc', text)
        self.assertTrue(text.endswith("RuntimeError: in myfunc\n"))

    def test_namespace(self):
        p = self.p
        p.remote_exec(1, "channel.send(sorted(k for k in globals() if k != '__builtins__'))")
        self.assertEqual(p.receive(1), ["__name__", "channel"])
        p.expect_close(1)

    def test_threads_started_by_exec_outlive_it(self):
        p = self.p
        p.remote_exec(1, src("""
            import threading
            VALUE = 'global-still-there'
            c = channel.receive()
            def later():
                channel.waitclose(5)
                c.send(VALUE)
            threading.Thread(target=later).start()
            """))
        p.send(1, chanref(3))
        self.assertIsNone(p.expect_close(1))
        self.assertEqual(p.receive(3), "global-still-there")

    def test_close_within_exec_refused(self):
        p = self.p
        p.remote_exec(1, src("""
            try:
                channel.close()
            except IOError as e:
                channel.send(str(e))
            """))
        self.assertEqual(p.receive(1), "cannot explicitly close channel within remote_exec")
        self.assertIsNone(p.expect_close(1))

    def test_no_close_sent_after_peer_closed(self):
        p = self.p
        p.remote_exec(1, src("""
            for x in channel:
                pass
            channel.gateway.newchannel()  # keep working after the loop
            """))
        p.send(1, 1)
        p.close_channel(1)
        self.echo_works(p, 3)
        self.assertTrue(p.no_frame(1))

    def test_timeouts(self):
        p = self.p
        p.remote_exec(1, src("""
            try:
                channel.receive(0.05)
            except channel.TimeoutError as e:
                channel.send((str(e), isinstance(e, IOError)))
            try:
                channel.waitclose(0.05)
            except channel.TimeoutError as e:
                channel.send(str(e))
            channel.send(channel.receive(timeout=5))
            """))
        self.assertEqual(p.receive(1), ("no item after 0.05 seconds", True))
        self.assertEqual(p.receive(1), "Timeout after 0.05 seconds")
        p.send(1, "late")
        self.assertEqual(p.receive(1), "late")
        p.expect_close(1)

    def test_worker_channel_ids_and_passing_both_ways(self):
        # transcript scenario C
        p = self.p
        p.remote_exec(5, src("""
            sub = channel.receive()
            sub.send('via-sub')
            mine = channel.gateway.newchannel()
            channel.send(mine)
            mine.send('from-remote-channel')
            mine2 = channel.gateway.newchannel()
            channel.send((mine2.id, channel.gateway.id))
            """))
        p.send(5, chanref(7))
        self.assertEqual(p.receive(7), "via-sub")
        self.assertEqual(p.next_frame(5), (CHANNEL_DATA, 5, bytes.fromhex("420000000251")))
        self.assertEqual(p.receive(2), "from-remote-channel")
        self.assertEqual(p.receive(5), (4, "gw0-worker"))
        self.assertIsNone(p.expect_close(5))
        if IS_PYPY:
            return      # finalisers run late without reference counting
        self.assertIsNone(p.expect_close(7))
        self.assertIsNone(p.expect_close(2))

    def test_remote_close_with_error_on_passed_channel(self):
        # transcript scenario D
        p = self.p
        p.remote_exec(9, "c = channel.receive()\nc.close('custom error text')\n")
        p.send(9, chanref(11))
        self.assertEqual(p.next_frame(11), (CHANNEL_CLOSE_ERROR, 11, bytes.fromhex(
            "4e00000011637573746f6d206572726f722074657874" + "51")))
        self.assertIsNone(p.expect_close(9))

    def test_host_close_error_raises_remote_error(self):
        # transcript scenario F, and the error is raised only once
        p = self.p
        p.remote_exec(15, src("""
            out = channel.receive()
            try:
                channel.receive()
            except channel.RemoteError as e:
                out.send(('remote', str(e), repr(e)))
            try:
                channel.waitclose()
                out.send('second: none')
            except EOFError:
                out.send('second: eof')
            """))
        p.send(15, chanref(17))
        p.close_channel(15, "host-side-error")
        self.assertEqual(p.receive(17), ("remote", "host-side-error",
                                         "RemoteError: host-side-error"))
        self.assertEqual(p.receive(17), "second: none")

    def test_dropped_received_channel_sends_close(self):
        p = self.p
        p.remote_exec(1, src("""
            import gc
            c = channel.receive()
            del c
            gc.collect()
            channel.receive()
            """))
        p.send(1, chanref(3))
        self.assertIsNone(p.expect_close(3))
        p.send(1, None)
        p.expect_close(1)

    def test_dropped_channel_with_callback_sends_last_message(self):
        p = self.p
        p.remote_exec(1, src("""
            import gc
            got = []
            c = channel.receive()
            c.setcallback(got.append)
            del c
            gc.collect()
            channel.receive()
            channel.send(got)
            """))
        p.send(1, chanref(3))
        self.assertEqual(p.next_frame(3), (CHANNEL_LAST_MESSAGE, 3, b""))
        p.send(3, "after-last-message")   # the callback still receives
        p.send(1, None)
        self.assertEqual(p.receive(1), ["after-last-message"])

    def test_callbacks_and_endmarker(self):
        p = self.p
        p.remote_exec(1, src("""
            import threading
            got = []
            done = threading.Event()
            def cb(item):
                got.append(item)
                if item == 'END':
                    done.set()
            c = channel.receive()
            channel.send('ready')
            channel.receive()
            c.setcallback(cb, endmarker='END')
            done.wait(10)
            channel.send(got)
            """))
        p.send(1, chanref(3))
        self.assertEqual(p.receive(1), "ready")
        p.send(3, 1)            # queued before the callback is set
        p.send(3, 2)
        p.send(1, "go")
        p.send(3, 3)
        p.close_channel(3)
        self.assertEqual(p.receive(1), [1, 2, 3, "END"])

    def test_callback_failure_closes_with_error(self):
        p = self.p
        p.remote_exec(1, src("""
            c = channel.receive()
            def cb(item):
                raise ValueError('bad item %r' % (item,))
            c.setcallback(cb)
            channel.send('ready')
            try:
                c.waitclose(10)
            except Exception as e:
                channel.send(type(e).__name__)
            """))
        p.send(1, chanref(3))
        self.assertEqual(p.receive(1), "ready")
        p.send(3, 99)
        text = p.expect_close(3)
        self.assertTrue(text.startswith("Traceback"), text)
        self.assertTrue(text.endswith("ValueError: bad item 99\n"), text)
        self.assertEqual(p.receive(1), "RemoteError")

    def test_makefile(self):
        p = self.p
        p.remote_exec(1, src("""
            c = channel.receive()
            f = c.makefile('r')
            res = [f.readline(), f.readline(), f.read(10), f.read(3)]
            w = channel.makefile('w')
            w.write(res)
            w.flush()
            try:
                channel.makefile('x')
            except ValueError:
                w.write('valueerror')
            """))
        p.send(1, chanref(3))
        for part in ("line1\nli", "ne2\n", "rest"):
            p.send(3, part)
        p.close_channel(3)
        self.assertEqual(p.receive(1), ["line1\n", "line2\n", "rest", ""])
        self.assertEqual(p.receive(1), "valueerror")
        p.expect_close(1)

    def test_receive_after_close_and_iteration(self):
        p = self.p
        p.remote_exec(1, src("""
            c = channel.receive()
            items = list(c)
            try:
                c.receive()
            except EOFError:
                items.append('eof')
            try:
                c.send(1)
            except IOError as e:
                items.append(str(e))
            channel.send(items)
            """))
        p.send(1, chanref(3))
        p.send(3, "a")
        p.send(3, "b")
        p.close_channel(3)
        self.assertEqual(p.receive(1), ["a", "b", "eof", "cannot send to <Channel id=3 closed>"])


class ReconfigureTests(AgentTestCase):

    def test_channel_reconfigure(self):
        p = self.p
        p.remote_exec(1, "while 1: channel.send(repr(channel.receive()))")
        p.send_frame(RECONFIGURE, 1, encode((False, True)))
        p.send(1, "hi")
        self.assertEqual(p.receive(1), "b'hi'")
        p.send_frame(CHANNEL_DATA, 1, bytes.fromhex("4d00000001e951"))   # Py2 str
        self.assertEqual(p.receive(1), "b'\\xe9'")
        p.send_frame(RECONFIGURE, 1, encode((True, False)))
        p.send_frame(CHANNEL_DATA, 1, bytes.fromhex("4d00000001e951"))
        self.assertEqual(p.receive(1), "'\xe9'")

    def test_gateway_reconfigure_applies_to_new_channels(self):
        p = self.p
        p.remote_exec(1, "while 1: channel.send(repr(channel.receive()))")
        p.send_frame(RECONFIGURE, 0, bytes.fromhex("4343400000000251"))
        p.remote_exec(3, "while 1: channel.send(repr(channel.receive()))")
        for cid in (1, 3):
            p.send_frame(CHANNEL_DATA, cid, bytes.fromhex("4d00000001e951"))
        self.assertEqual(p.receive(1), "'\xe9'")     # existing channel keeps its config
        self.assertEqual(p.receive(3), "b'\\xe9'")

    def test_reconfigure_unknown_channel_is_remembered_not_closed(self):
        p = self.p
        p.send_frame(RECONFIGURE, 5, encode((False, True)))
        self.echo_works(p, 7)
        self.assertTrue(p.no_frame(5))       # execnet would have sent CHANNEL_CLOSE here
        p.remote_exec(1, src("""
            c = channel.receive()
            channel.send(repr(c.receive()))
            """))
        p.send(1, chanref(5))
        p.send(5, "x")
        self.assertEqual(p.receive(1), "b'x'")

    def test_worker_reconfigure_sends_frame(self):
        p = self.p
        p.remote_exec(1, "channel.reconfigure(py2str_as_py3str=False)\n"
                         "channel.gateway.reconfigure(False, True)\n"
                         "channel.send(1)")
        self.assertEqual(p.next_frame(1), (RECONFIGURE, 1, encode((False, False))))
        self.assertEqual(p.next_frame(0), (RECONFIGURE, 0, encode((False, True))))
        self.assertEqual(p.receive(1), 1)


class MalformedInputTests(AgentTestCase):

    def test_undecodable_data_closes_only_that_channel(self):
        p = self.p
        p.remote_exec(1, src("""
            try:
                channel.receive()
            except Exception as e:
                channel.gateway._send(4, 1, b'')  # not reached: channel closed
            """))
        p.remote_exec(3, "channel.send(channel.receive())")
        p.send_frame(CHANNEL_DATA, 1, bytes.fromhex("4e00000002fffe51"))  # bad UTF-8
        text = p.expect_close(1)
        self.assertIn("cannot decode data for channel 1", text)
        p.send(3, "ok")
        self.assertEqual(p.receive(3), "ok")
        self.echo_works(p, 5)

    def test_undecodable_exec_payload(self):
        p = self.p
        p.send_frame(CHANNEL_EXEC, 1, b"\x99garbage")
        self.assertIn("cannot decode CHANNEL_EXEC", p.expect_close(1))
        p.remote_exec(3, "channel.send(1)", kwargs={"c": chanref(5)})
        self.assertIn("channel reference not allowed", p.expect_close(3))
        p.send_frame(CHANNEL_EXEC, 7, encode(("x", None, None)))
        self.assertIn("4-tuple", p.expect_close(7))
        self.echo_works(p, 9)

    def test_data_for_unknown_channel_is_dropped(self):
        p = self.p
        p.send_frame(CHANNEL_DATA, 77, b"garbage")
        p.send_frame(CHANNEL_CLOSE, 79)
        p.send_frame(CHANNEL_LAST_MESSAGE, 81)
        self.echo_works(p, 1)

    def test_close_error_for_unknown_channel_warns(self):
        p = self.p
        p.close_channel(83, "lost error")
        self.echo_works(p, 1)
        p.terminate()
        p.wait()
        self.assertIn("Warning: unhandled RemoteError: lost error", p.stderr_text(True))

    def _assert_fatal(self, raw):
        p = self.p
        self.echo_works(p, 1)
        p.send_raw(raw)
        self.assertTrue(p.eof.wait(5), "agent did not end the gateway")
        rc, _ = p.wait()
        self.assertEqual(rc, 0)
        self.assertIn("protocol error", p.stderr_text(True))

    def test_unknown_message_type_is_fatal(self):
        self._assert_fatal(agenthost.HEADER.pack(9, 0, 0))

    def test_negative_message_type_is_fatal(self):
        self._assert_fatal(agenthost.HEADER.pack(-1, 3, 0))

    def test_negative_length_is_fatal(self):
        self._assert_fatal(agenthost.HEADER.pack(CHANNEL_DATA, 3, -5))

    def test_huge_length_is_fatal(self):
        self._assert_fatal(agenthost.HEADER.pack(CHANNEL_DATA, 3, 0x7fffffff))


class StdioIsolationTests(AgentTestCase):

    def test_user_output_does_not_corrupt_stream(self):
        p = self.p
        p.remote_exec(1, src("""
            import os, sys
            print('printed-by-user')
            os.write(1, b'\\x04\\x00\\x00\\x00\\x01junk-on-fd1\\n')
            sys.stdout.write('more\\n')
            channel.send((sys.stdin.read(), os.readlink('/proc/self/fd/0')))
            """))
        self.assertEqual(p.receive(1), ("", "/dev/null"))
        p.expect_close(1)
        p.terminate()
        p.wait()
        err = p.stderr_text(True)
        self.assertIn("printed-by-user", err)
        self.assertIn("junk-on-fd1", err)
        self.assertIn("more", err)

    def test_stdout_devnull(self):
        p = self.start({"id": "gw1-worker", "stdout": "devnull", "unknown-key": [1]})
        p.remote_exec(1, "import os\nprint('hidden')\nos.write(1, b'hidden2')\n"
                         "channel.send(os.readlink('/proc/self/fd/1'))")
        self.assertEqual(p.receive(1), "/dev/null")
        p.terminate()
        p.wait()
        self.assertNotIn("hidden", p.stderr_text(True))


class ExecModelTests(AgentTestCase):

    def test_thread_placement(self):
        p = self.p
        code = src("""
            import threading
            channel.send(threading.current_thread() is threading.main_thread())
            channel.receive()
            """)
        p.remote_exec(1, code)
        self.assertTrue(p.receive(1))
        p.remote_exec(3, code)          # main thread busy -> another thread
        self.assertFalse(p.receive(3))
        p.send(1, None)
        p.send(3, None)
        p.expect_close(1)
        p.expect_close(3)
        for cid in (5, 7, 9):   # the main thread is idle again once the close was seen
            p.remote_exec(cid, code)
            self.assertTrue(p.receive(cid))
            p.send(cid, None)
            p.expect_close(cid)

    def test_main_thread_only_queues(self):
        p = self.start({"id": "gw0-worker", "execmodel": "main_thread_only"})
        code = src("""
            import threading
            channel.send(threading.current_thread() is threading.main_thread())
            channel.receive()
            """)
        p.remote_exec(1, code)
        self.assertTrue(p.receive(1))
        p.remote_exec(3, code)
        st = p.status(5)
        self.assertEqual(st, {"numchannels": 2, "numexecuting": 2,
                              "execmodel": "main_thread_only"})
        self.assertTrue(p.no_frame(3))   # queued, not running
        p.send(1, None)
        p.expect_close(1)
        self.assertTrue(p.receive(3))
        p.send(3, None)
        p.expect_close(3)
        p.remote_exec(7, "raise ValueError('x')")
        self.assertIn("ValueError", p.expect_close(7))
        p.remote_exec(9, code)          # a failed task does not block later ones
        self.assertTrue(p.receive(9))
        p.send(9, None)
        p.expect_close(9)


class GreenModelTests(AgentTestCase):
    """eventlet / gevent; run with an interpreter that has them (/usr/bin/python3)."""

    def setUp(self):
        pass

    def _run_model(self, name):
        import importlib.util
        if importlib.util.find_spec(name) is None:
            self.skipTest("%s is not importable by %s" % (name, sys.executable))
        if IS_PYPY:
            self.skipTest("green execution models are supported on CPython only "
                          "(Debian's %s is built for CPython)" % name)
        p = self.start({"id": "gw0-worker", "execmodel": name, "shutdown_grace": 0.5})
        code = "channel.send(channel.receive() * 2)"
        p.remote_exec(1, code)
        p.remote_exec(3, code)      # two tasks blocked concurrently
        st = p.status(5)
        self.assertEqual(st["execmodel"], name)
        self.assertEqual(st["numexecuting"], 2)
        p.send(3, 2)
        p.send(1, 1)
        self.assertEqual(p.receive(3), 4)
        self.assertEqual(p.receive(1), 2)
        p.send(7, None)
        p.remote_exec(7, "raise ValueError('green')")
        self.assertTrue(p.expect_close(7).endswith("ValueError: green\n"))
        p.remote_exec(9, "for x in channel: channel.send(x)")
        big = b"x" * (4 << 20)
        for _ in range(3):
            p.send(9, big)
        for _ in range(3):
            self.assertEqual(p.receive(9, timeout=20), big)
        # a green task that never yields: the OS watchdog still ends the process
        p.remote_exec(11, "channel.send(1)\nwhile True: pass")
        self.assertEqual(p.receive(11), 1)
        p.terminate()
        rc, took = p.wait(10)
        self.assertEqual(rc, 1)
        self.assertLess(took, 2.0)

    def test_eventlet(self):
        self._run_model("eventlet")

    def test_gevent(self):
        self._run_model("gevent")

    def test_missing_library_fails_handshake(self):
        tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, tmp)
        with open(os.path.join(tmp, "eventlet.py"), "w") as f:
            f.write("raise ImportError('simulated: eventlet not installed')\n")
        env = dict(os.environ)
        env["PYTHONPATH"] = tmp
        env.pop("EXECNET_DEBUG", None)
        p = self.start({"id": "gw0-worker", "execmodel": "eventlet"}, env=env,
                       handshake=False)
        self.assertEqual(p.proc.stdout.read(), b"")
        rc, _ = p.wait()
        self.assertNotEqual(rc, 0)
        self.assertIn("execmodel 'eventlet' is not available", p.stderr_text(True))

    def test_unknown_execmodel_fails_handshake(self):
        p = self.start({"id": "gw0-worker", "execmodel": "nonsense"}, handshake=False)
        self.assertEqual(p.proc.stdout.read(), b"")
        rc, _ = p.wait()
        self.assertNotEqual(rc, 0)
        self.assertIn("unknown execmodel", p.stderr_text(True))


class ShutdownTests(AgentTestCase):

    def test_terminate_idle_exits_zero(self):
        p = self.p
        self.echo_works(p, 1)
        p.terminate(close_stdin=False)
        self.assertTrue(p.eof.wait(5))
        rc, took = p.wait()
        self.assertEqual(rc, 0)

    def test_stdin_eof_exits_zero(self):
        p = self.p
        p.close_stdin()
        rc, took = p.wait()
        self.assertEqual(rc, 0)
        self.assertLess(took, 2.0)

    def test_blocked_receive_gets_eof_and_exits_zero(self):
        p = self.p
        p.remote_exec(1, src("""
            c = channel.receive()
            channel.send('waiting')
            try:
                channel.receive()
            except EOFError as e:
                c.send(('eof', type(e).__name__))
            """))
        p.send(1, chanref(3))
        self.assertEqual(p.receive(1), "waiting")
        p.terminate()
        self.assertEqual(p.receive(3), ("eof", "EOFError"))
        rc, took = p.wait()
        self.assertEqual(rc, 0)
        self.assertLess(took, 2.0)

    def test_queued_items_are_still_received_after_terminate(self):
        p = self.p
        p.remote_exec(1, src("""
            c = channel.receive()
            channel.send('ready')
            channel.receive()
            c.send(list(channel))
            """))
        p.send(1, chanref(3))
        self.assertEqual(p.receive(1), "ready")
        for i in range(4):
            p.send(1, i)
        p.terminate()
        self.assertEqual(p.receive(3), [1, 2, 3])
        self.assertEqual(p.wait()[0], 0)

    # a task that survives interrupts: only the kill at the end of the budget stops it
    STUBBORN = src("""
        channel.send('spinning')
        while True:
            try:
                while True:
                    pass
            except KeyboardInterrupt:
                channel.send('interrupted')
        """)
    # a task whose finally block reports (to channel 99) that it ran
    CLEANUP = src("""
        import time
        c = channel.receive()
        try:
            channel.send('started')
            %s
        finally:
            c.send(('cleanup', channel.id))
        """)

    def _busy(self, how):
        p = self.p
        p.remote_exec(1, self.STUBBORN)
        p.remote_exec(3, self.STUBBORN)
        self.assertEqual(p.receive(1), "spinning")
        self.assertEqual(p.receive(3), "spinning")
        start = time.monotonic()
        if how == "terminate":
            p.terminate(close_stdin=False)
        else:
            p.close_stdin()
        rc, _ = p.wait(10)
        took = time.monotonic() - start
        self.assertEqual(rc, 1)
        self.assertLess(took, 2.0)
        self.assertGreater(took, 0.9)     # default grace is 1 s
        self.assertTrue(p.eof.wait(1))
        self.assertEqual(p.receive(1), "interrupted")       # main thread: SIGINT
        if not IS_PYPY:     # other threads: an asynchronous exception (CPython only)
            self.assertEqual(p.receive(3), "interrupted")

    def test_terminate_with_busy_loop_exits_within_grace(self):
        self._busy("terminate")

    def test_stdin_eof_with_busy_loop_exits_within_grace(self):
        self._busy("eof")

    def test_short_grace(self):
        p = self.start({"id": "x", "shutdown_grace": 0.2})
        p.remote_exec(1, self.STUBBORN)
        self.assertEqual(p.receive(1), "spinning")
        start = time.monotonic()
        p.close_stdin()
        rc, _ = p.wait(10)
        self.assertEqual(rc, 1)
        self.assertLess(time.monotonic() - start, 1.0)

    def test_terminate_interrupts_tasks_and_their_finally_blocks_run(self):
        p = self.start({"id": "x", "shutdown_grace": 4.0})
        p.remote_exec(1, self.CLEANUP % "time.sleep(60)")           # main thread, blocked
        p.send(1, chanref(99))
        self.assertEqual(p.receive(1), "started")
        p.remote_exec(3, self.CLEANUP % "while True: pass")         # pool thread, busy
        p.send(3, chanref(99))
        self.assertEqual(p.receive(3), "started")
        start = time.monotonic()
        p.terminate(close_stdin=False)
        cleaned = set([p.receive(99), p.receive(99)] if not IS_PYPY else [p.receive(99)])
        rc, _ = p.wait(10)
        self.assertEqual(rc, 1 if IS_PYPY else 0)   # every task ended: a clean exit
        if not IS_PYPY:     # else the busy thread is killed when the budget ends
            self.assertLess(time.monotonic() - start, 4.0)
        self.assertIn(("cleanup", 1), cleaned)
        if not IS_PYPY:
            self.assertIn(("cleanup", 3), cleaned)

    def test_terminate_payload_sets_the_cleanup_budget(self):
        p = self.start({"id": "x", "shutdown_grace": 30.0})
        p.remote_exec(1, self.STUBBORN)
        self.assertEqual(p.receive(1), "spinning")
        start = time.monotonic()
        p.terminate(close_stdin=False, budget=0.6)
        self.assertEqual(p.receive(1), "interrupted")
        rc, _ = p.wait(10)
        took = time.monotonic() - start
        self.assertEqual(rc, 1)
        self.assertGreater(took, 0.5)
        self.assertLess(took, 5.0)

    def test_task_finishing_within_grace_exits_zero(self):
        p = self.p
        p.remote_exec(1, "import time\nchannel.send(1)\ntime.sleep(0.3)\nchannel.send(2)")
        self.assertEqual(p.receive(1), 1)
        p.terminate()
        self.assertEqual(p.receive(1), 2)     # channel is send-only, sending still works
        self.assertEqual(p.wait()[0], 0)

    def test_user_non_daemon_thread_does_not_keep_worker_alive(self):
        p = self.p
        p.remote_exec(1, "import threading, time\n"
                         "threading.Thread(target=time.sleep, args=(60,)).start()")
        p.expect_close(1)
        p.terminate()
        rc, took = p.wait(10)
        self.assertEqual(rc, 0)
        self.assertLess(took, 2.0)


class TracingTests(AgentTestCase):

    def setUp(self):
        pass

    def test_trace_to_stderr(self):
        env = dict(os.environ, EXECNET_DEBUG="2")
        p = self.start(env=env)
        self.echo_works(p, 1)
        p.terminate()
        p.wait()
        err = p.stderr_text(True)
        self.assertIn("[%d] gw0-worker" % p.proc.pid, err)
        self.assertIn("execution starts[1]", err)

    def test_trace_to_private_file(self):
        tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, tmp)
        env = dict(os.environ, EXECNET_DEBUG="1", TMPDIR=tmp)
        p = self.start(env=env)
        self.echo_works(p, 1)
        p.terminate()
        p.wait()
        names = os.listdir(tmp)
        self.assertEqual(len(names), 1, names)
        self.assertTrue(names[0].startswith("execnet-debug-%d-" % p.proc.pid), names)
        path = os.path.join(tmp, names[0])
        self.assertEqual(os.stat(path).st_mode & 0o077, 0)
        with open(path) as f:
            self.assertIn("gw0-worker", f.read())
        self.assertNotIn("gw0-worker", p.stderr_text(True))


if __name__ == "__main__":
    unittest.main()
