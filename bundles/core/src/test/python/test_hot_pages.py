"""The socket server's copy-ahead of the pages a forked gateway writes (HotPages), and the probe
that decides whether it pays on this machine (FaultProbe, copy_ahead_pays)."""

import ctypes
import os
import sys
import tempfile
import unittest
from unittest import mock

from test_socketserver_spares import server_module

LINUX = sys.platform.startswith("linux")


class CopyAheadPaysTests(unittest.TestCase):
    def test_only_a_fault_that_costs_more_than_twice_the_copy_pays(self):
        self.assertTrue(server_module.copy_ahead_pays(30000, 3000))      # the older VM: 15-70 us a fault
        self.assertTrue(server_module.copy_ahead_pays(6001, 3000))
        self.assertFalse(server_module.copy_ahead_pays(6000, 3000))
        self.assertFalse(server_module.copy_ahead_pays(3300, 2800))      # this VM: about the same


@unittest.skipUnless(LINUX, "copy-on-write probing is Linux only")
class FaultProbeTests(unittest.TestCase):
    def test_a_forked_process_measures_both_costs_and_the_parent_keeps_its_pages(self):
        probe = server_module.FaultProbe(server_module.libc_madvise(), pages=16)
        try:
            report_r, report_w = os.pipe()
            pid = os.fork()
            if pid == 0:
                try:
                    os.write(report_w, repr(probe.measure()).encode("ascii"))
                finally:
                    os._exit(0)
            os.close(report_w)
            with os.fdopen(report_r, "rb") as report:
                costs = eval(report.read().decode("ascii"))
            os.waitpid(pid, 0)
            if costs is None:
                self.skipTest("this kernel has no MADV_POPULATE_WRITE (Linux 5.14+)")
            fault_ns, copy_ns = costs
            self.assertGreater(fault_ns, 0)
            self.assertGreater(copy_ns, 0)
            self.assertEqual(probe._area[:], b"\1" * (2 * 16 * server_module.PAGE_SIZE), "the child's writes stay its own")
            self.assertEqual(len(probe.pages()), 32)
        finally:
            probe.close()


@unittest.skipUnless(LINUX, "copy-on-write probing is Linux only")
class LearnTests(unittest.TestCase):
    """learn() rehearses in a forked process, and only where the probe says copying ahead pays."""

    PAGES = 64

    def setUp(self):
        self.data = bytearray(b"\1" * (self.PAGES * server_module.PAGE_SIZE))   # shared copy-on-write after the fork
        self.marker = os.path.join(tempfile.mkdtemp(), "rehearsed")

    def tearDown(self):
        if os.path.exists(self.marker):
            os.unlink(self.marker)
        os.rmdir(os.path.dirname(self.marker))

    def rehearse(self):
        open(self.marker, "w").close()
        for i in range(0, len(self.data), server_module.PAGE_SIZE):
            self.data[i] = 2

    def test_where_copying_ahead_does_not_pay_it_neither_rehearses_nor_copies(self):
        hot = server_module.HotPages.learn(self.rehearse, pays=lambda fault_ns, copy_ns: False)
        self.assertEqual(len(hot), 0)
        self.assertFalse(os.path.exists(self.marker), "the rehearsal ran")

    def test_where_it_pays_the_rehearsal_learns_the_pages_it_wrote_but_not_the_probes(self):
        probes = []

        class RecordingProbe(server_module.FaultProbe):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                probes.append(self.pages())

        with mock.patch.object(server_module, "FaultProbe", RecordingProbe):
            hot = server_module.HotPages.learn(self.rehearse, pays=lambda fault_ns, copy_ns: True)
        if len(hot) == 0 and not os.path.exists(self.marker):
            self.skipTest("this kernel has no MADV_POPULATE_WRITE (Linux 5.14+)")
        self.assertTrue(os.path.exists(self.marker), "the rehearsal did not run")
        pages = set()
        for i in range(0, len(hot.ranges), 2):
            first = hot.ranges[i] // server_module.PAGE_SIZE
            pages.update(range(first, first + hot.ranges[i + 1] // server_module.PAGE_SIZE))
        data_start = ctypes.addressof(ctypes.c_char.from_buffer(self.data)) // server_module.PAGE_SIZE
        written = set(range(data_start + 1, data_start + self.PAGES - 1))   # whole pages, wherever the buffer starts
        self.assertTrue(written <= pages, "%d of the %d pages written were not learned" % (len(written - pages), len(written)))
        self.assertFalse(pages & probes[0], "the probe's own pages were reported as hot")


if __name__ == "__main__":
    unittest.main()
