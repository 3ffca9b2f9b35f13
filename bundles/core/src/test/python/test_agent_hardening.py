"""Issue 9 on the agent's side: item limits, flow control, termination, process groups, races.

The agent is driven by raw frames (agenthost), as the Java host drives it; the
in-process tests use agent.py loaded as a module.
"""

import os
import sys
import threading
import time
import unittest

import agenthost
from agenthost import (CHANNEL_CLOSE, CHANNEL_CREDIT, CHANNEL_DATA, CHANNEL_EXEC, RECONFIGURE,
                       chanref, encode)
from test_agent_protocol import AgentTestCase, src

agent = agenthost.load_agent()


class MaxItemTests(AgentTestCase):
    """Item 5: one limit for items, checked at send; an oversized incoming item ends its channel."""

    config = {"id": "gw0-worker", "max_item": 200000}

    def test_oversized_send_fails_at_send_with_a_clear_error(self):
        p = self.p
        p.remote_exec(1, src("""
            try:
                channel.send(b'x' * 300000)
            except Exception as e:
                channel.send((type(e).__name__, str(e)))
            channel.send(b'y' * 1000)
            """))
        name, text = p.receive(1)
        self.assertEqual(name, "DumpError")
        self.assertIn("300006 bytes", text)
        self.assertIn("limit is 200000 bytes (max_item)", text)
        self.assertEqual(p.receive(1), b"y" * 1000)
        self.assertIsNone(p.expect_close(1))

    def _oversized_incoming_closes_only_its_channel(self, size):
        p = self.p
        p.remote_exec(1, src("""
            try:
                channel.receive()
            except Exception as e:
                channel.gateway.newchannel()   # not reached through the closed channel
                raise
            """))
        p.remote_exec(3, "for x in channel: channel.send(len(x))")
        p.send(1, b"z" * size)
        text = p.expect_close(1)
        self.assertIn("CHANNEL_DATA of %d bytes on channel 1 exceeds the limit of 200000 "
                      "bytes (max_item)" % (size + 6), text)
        p.send(3, b"a" * 1000)      # the gateway and other channels go on
        self.assertEqual(p.receive(3), 1000)
        p.send_frame(CHANNEL_EXEC, 5, encode(("x = 1 # " + "z" * size, None, None, {})))
        self.assertIn("CHANNEL_EXEC of", p.expect_close(5))
        self.echo_works(p, 7)

    def test_oversized_incoming_item_in_one_read(self):
        self._oversized_incoming_closes_only_its_channel(200001)

    def test_oversized_incoming_item_skipped_in_pieces(self):
        self._oversized_incoming_closes_only_its_channel(5 << 20)

    def test_without_the_key_big_items_pass(self):
        p = self.start({"id": "gw0-worker"})
        p.remote_exec(1, "channel.send(len(channel.receive()))")
        p.send(1, b"z" * (1 << 20))
        self.assertEqual(p.receive(1), 1 << 20)


class FlowControlTests(AgentTestCase):
    """Flow control per CONTRACTS.md: windows, CHANNEL_CREDIT both ways."""

    WINDOW = 100000
    config = {"id": "gw0-worker", "flow_window": WINDOW}

    def credits(self, p, cid, timeout=0.5):
        """Sum of CHANNEL_CREDIT frames for cid that arrive within timeout."""
        total = 0
        deadline = time.monotonic() + timeout
        while True:
            try:
                code, _cid, payload = p.queue(("credit", cid)).get(
                    timeout=max(0, deadline - time.monotonic()))
            except Exception:
                return total
            self.assertEqual(code, CHANNEL_CREDIT)
            total += agenthost.decode(payload)

    def test_sender_waits_for_credit(self):
        p = self.p
        item = b"x" * 30000       # 30006 bytes on the wire
        p.remote_exec(1, src("""
            for i in range(10):
                channel.send(%r)
            channel.send('done')
            """ % item))
        got = [p.receive(1) for _ in range(3)]      # 3 x 30006 <= window < 4 x 30006
        self.assertEqual(got, [item] * 3)
        time.sleep(0.5)
        self.assertTrue(p.no_frame(1), "sent beyond the window without credit")
        p.send_frame(CHANNEL_CREDIT, 1, encode(30006))
        self.assertEqual(p.receive(1), item)
        time.sleep(0.3)
        self.assertTrue(p.no_frame(1))
        p.send_frame(CHANNEL_CREDIT, 1, encode(10 ** 9))    # more than sent: floor 0
        for _ in range(3):
            self.assertEqual(p.receive(1), item)
        time.sleep(0.3)
        self.assertTrue(p.no_frame(1))
        p.send_frame(CHANNEL_CREDIT, 1, encode(3 * 30006))
        self.assertEqual([p.receive(1) for _ in range(3)], [item] * 3)
        p.send_frame(CHANNEL_CREDIT, 1, encode(3 * 30006))
        self.assertEqual(p.receive(1), "done")
        self.assertIsNone(p.expect_close(1))

    def test_one_item_larger_than_the_window_goes_when_nothing_is_outstanding(self):
        p = self.p
        p.remote_exec(1, "channel.send(b'x' * 300000)\nchannel.send(1)")
        self.assertEqual(len(p.receive(1)), 300000)
        time.sleep(0.3)
        self.assertTrue(p.no_frame(1))
        p.send_frame(CHANNEL_CREDIT, 1, encode(300006))
        self.assertEqual(p.receive(1), 1)

    def test_a_blocked_sender_blocks_neither_other_channels_nor_control(self):
        p = self.p
        p.remote_exec(1, "while True: channel.send(b'x' * 60000)")
        p.receive(1)    # the second waits for credit
        self.echo_works(p, 3)
        self.assertEqual(p.status(5)["numexecuting"], 1)
        p.close_channel(1)      # the peer closes: the waiting sender fails, the task ends
        deadline = time.monotonic() + 10
        while p.status(7)["numexecuting"] and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertEqual(p.status(7)["numexecuting"], 0)

    def test_receiver_credits_once_a_quarter_window_was_taken(self):
        p = self.p
        p.remote_exec(1, src("""
            c = channel.receive()
            for i in range(3):
                c.send(len(channel.receive()))
            """))
        p.send(1, chanref(9))
        # each credit is sent before the length that follows it
        p.send(1, b"y" * 10000)
        self.assertEqual(p.receive(9), 10000)
        self.assertEqual(self.credits(p, 1, 0.2), 0, "6 + 10006 bytes: below a quarter window")
        p.send(1, b"y" * 20000)
        self.assertEqual(p.receive(9), 20000)
        self.assertEqual(self.credits(p, 1, 0.2), 6 + 10006 + 20006)
        p.send(1, b"y" * 5000)
        self.assertEqual(p.receive(9), 5000)
        self.assertEqual(self.credits(p, 1), 0, "the queue ran empty, 5006 bytes: no credit")

    def test_callbacks_credit_once_a_quarter_window_was_taken(self):
        p = self.p
        p.remote_exec(1, src("""
            import threading
            c = channel.receive()
            done = threading.Event()
            def took(x):
                c.send(len(x))
                if len(x) >= 30000:
                    done.set()
            channel.setcallback(took)
            channel.send('ready')
            done.wait(10)
            """))
        p.send(1, chanref(9))
        self.assertEqual(p.receive(1), "ready")
        p.send(1, b"q" * 70)
        self.assertEqual(p.receive(9), 70)
        self.assertEqual(self.credits(p, 1, 0.2), 0)
        p.send(1, b"q" * 30000)
        self.assertEqual(p.receive(9), 30000)
        # what receive() took before the callback counts on with the callback's items
        self.assertEqual(self.credits(p, 1), 6 + 76 + 30006)

    def test_small_items_roundtrip_without_credits(self):
        p = self.p
        p.remote_exec(1, "for x in channel:\n    channel.send(x)")
        for i in range(500):    # 500 x 6 bytes each way: below a quarter window
            p.send(1, i)
            self.assertEqual(p.receive(1), i)
        self.assertEqual(self.credits(p, 1), 0)

    def test_an_item_that_does_not_fit_goes_below_a_quarter_window(self):
        p = self.p
        # 20 x 1006 bytes outstanding may stay uncredited by the receiver: waiting would never end
        p.remote_exec(1, src("""
            for i in range(20):
                channel.send(b'x' * 1000)
            channel.send(b'y' * %d)
            channel.send(1)
            """ % self.WINDOW))
        for _ in range(20):
            self.assertEqual(len(p.receive(1)), 1000)
        self.assertEqual(len(p.receive(1)), self.WINDOW)
        time.sleep(0.3)
        self.assertTrue(p.no_frame(1), "a quarter window is outstanding and 1 does not fit")
        p.send_frame(CHANNEL_CREDIT, 1, encode(self.WINDOW + 6))     # 20 x 1006 left: below a quarter
        self.assertEqual(p.receive(1), 1)

    def test_a_fast_producer_keeps_within_the_window(self):
        p = self.p
        p.remote_exec(1, "while True: channel.send(b'x' * 1000)")
        item = 1006
        outstanding = 0
        for credit in (0, 30000, 50000, 7000, 90000):
            p.send_frame(CHANNEL_CREDIT, 1, encode(credit))
            outstanding -= credit
            while True:
                try:
                    code, _cid, payload = p.queue(1).get(timeout=0.5)
                except Exception:
                    break
                self.assertEqual((code, len(payload)), (CHANNEL_DATA, item))
                outstanding += item
                self.assertLessEqual(outstanding, self.WINDOW, "beyond the window")
            self.assertGreater(outstanding, self.WINDOW - item, "the sender waits too early")
        p.close_channel(1)

    def test_credit_for_unknown_channel_is_ignored(self):
        p = self.p
        p.send_frame(CHANNEL_CREDIT, 77, encode(5))
        self.echo_works(p, 1)

    def test_end_of_the_gateway_wakes_a_waiting_sender(self):
        p = self.p
        p.remote_exec(1, src("""
            c = channel.receive()
            for i in range(5):
                c.send(b'x' * 60000)
            channel.send('all sent')
            """))
        p.send(1, chanref(3))
        p.receive(3)
        p.terminate(close_stdin=False)
        self.assertEqual(p.receive(1), "all sent")
        self.assertEqual(p.wait()[0], 0)

    def test_green_models_wait_cooperatively(self):
        import importlib.util
        for name in ("eventlet", "gevent"):
            if importlib.util.find_spec(name) is None or hasattr(sys, "pypy_version_info"):
                continue
            with self.subTest(name):
                p = self.start({"id": "gw0-worker", "execmodel": name,
                                "flow_window": self.WINDOW})
                p.remote_exec(1, "for i in range(4): channel.send(b'x' * 60000)")
                p.receive(1)
                self.echo_works(p, 3)    # the blocked green sender lets others run
                self.assertTrue(p.no_frame(1))
                for _ in range(3):
                    p.send_frame(CHANNEL_CREDIT, 1, encode(60006))
                    self.assertEqual(len(p.receive(1)), 60000)
                self.assertIsNone(p.expect_close(1))


class ProcessGroupTests(AgentTestCase):
    """Item 12: what remote code starts dies with the agent."""

    START = src("""
        import subprocess
        out = subprocess.check_output(['sh', '-c', 'sleep 777 >/dev/null 2>&1 & echo $!'])
        channel.send(int(out))
        """)

    def alive(self, pid):
        try:
            with open("/proc/%d/stat" % pid) as f:
                return f.read().rsplit(")", 1)[1].split()[0] != "Z"
        except OSError:
            return False

    def _orphan_dies(self, end):
        p = self.p
        p.remote_exec(1, self.START)
        pid = p.receive(1)
        self.addCleanup(lambda: self.alive(pid) and os.kill(pid, 9))
        self.assertTrue(self.alive(pid))
        end(p)
        p.wait(10)
        deadline = time.monotonic() + 5
        while self.alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertFalse(self.alive(pid), "the remote's sleep 777 survived the agent")

    @unittest.skipUnless(os.path.isdir("/proc"), "needs /proc")
    def test_orphan_dies_on_terminate(self):
        self._orphan_dies(lambda p: p.terminate())

    @unittest.skipUnless(os.path.isdir("/proc"), "needs /proc")
    def test_orphan_dies_when_the_host_vanishes(self):
        self._orphan_dies(lambda p: p.close_stdin())     # a SIGKILLed host: EOF

    def test_agent_leads_its_process_group(self):
        p = self.p
        p.remote_exec(1, "import os\nchannel.send((os.getpgid(0), os.getsid(0), os.getpid()))")
        pgid, sid, pid = p.receive(1)
        self.assertEqual((pgid, sid), (pid, pid))

    def test_clean_exit_keeps_its_status_when_nothing_else_is_in_the_group(self):
        self.echo_works(self.p, 1)
        self.p.terminate()
        self.assertEqual(self.p.wait()[0], 0)


class SmallerDefectTests(AgentTestCase):
    """Item 13, the agent's parts."""

    def test_pending_strconfig_is_bounded(self):
        p = self.p
        payload = encode((False, True))
        p.send_raw(b"".join(agenthost.HEADER.pack(RECONFIGURE, cid, len(payload)) + payload
                            for cid in range(1001, 21001, 2)))
        p.remote_exec(1, "channel.send(len(channel.gateway._channelfactory._pending_strconfig))")
        self.assertLessEqual(p.receive(1), 256)

    def test_main_thread_only_task_waiting_for_a_later_one_gets_an_error(self):
        p = self.start({"id": "gw0-worker", "execmodel": "main_thread_only"})
        p.remote_exec(1, "channel.send('waiting')\nchannel.receive()\nchannel.send('done')")
        self.assertEqual(p.receive(1), "waiting")
        start = time.monotonic()
        p.remote_exec(3, "channel.send('not run')")
        text = p.expect_close(3, timeout=10)
        self.assertEqual(text, "concurrent remote_exec would cause deadlock for "
                               "main_thread_only execmodel")
        self.assertGreater(time.monotonic() - start, 0.9)
        p.send(1, None)
        self.assertEqual(p.receive(1), "done")
        self.assertIsNone(p.expect_close(1))
        self.assertEqual(p.status(5)["numexecuting"], 0)
        self.echo_works(p, 7)


class FrameIORaceTests(unittest.TestCase):
    """Item 13: a frame queued by a finaliser is never left for the next write."""

    def test_queued_frame_is_written_by_the_lock_holder(self):
        r, w = os.pipe()
        self.addCleanup(os.close, r)
        self.addCleanup(os.close, w)
        os.set_blocking(w, False)
        filled = 0
        try:
            while True:
                filled += os.write(w, b"f" * 65536)
        except BlockingIOError:
            pass
        os.set_blocking(w, True)
        io = agent.FrameIO(-1, w)
        holder = threading.Thread(target=io.send_frame, args=(CHANNEL_DATA, 1, b"a" * 100))
        holder.start()                  # blocks writing, inside the write lock
        deadline = time.monotonic() + 5
        while io._pending or not io._wlock.locked():
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.01)
        io.queue_frame(CHANNEL_CLOSE, 3)    # a finaliser: the lock is busy, it cannot write
        io.flush_nowait()
        data = bytearray()
        deadline = time.monotonic() + 3
        close_frame = agenthost.HEADER.pack(CHANNEL_CLOSE, 3, 0)
        os.set_blocking(r, False)
        while close_frame not in data and time.monotonic() < deadline:
            try:
                data += os.read(r, 1 << 20)
            except BlockingIOError:
                time.sleep(0.01)
        holder.join(5)
        self.assertEqual(len(data), filled + 109 + 9, "the queued CLOSE was left behind")

    def test_close_write_waits_for_the_writer(self):
        r, w = os.pipe()
        self.addCleanup(os.close, r)
        io = agent.FrameIO(-1, w)
        io._wlock.acquire()
        closed = []
        t = threading.Thread(target=lambda: closed.append(io.close_write(timeout=5)))
        t.start()
        time.sleep(0.2)
        self.assertEqual(closed, [])    # still writing: the output stays open
        os.write(w, b"x")
        io._wlock.release()
        t.join(5)
        self.assertEqual(closed, [True])
        self.assertEqual(os.read(r, 10), b"x")
        self.assertRaises(OSError, os.write, w, b"y")


if __name__ == "__main__":
    unittest.main()
