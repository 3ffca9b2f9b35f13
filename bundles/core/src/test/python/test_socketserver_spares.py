"""The socket server's bookkeeping of its spare processes, driven in-process with a pipe."""

import importlib.util
import os
import socket
import unittest

from agenthost import REPO

SERVER_PATH = os.path.join(REPO, "bundles", "core", "src", "main", "resources",
                           "org", "execnet4j", "core", "internal", "execnet4j_socketserver.py")


def load_server():
    spec = importlib.util.spec_from_file_location("execnet4j_socketserver", SERVER_PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


server_module = load_server()


class SpareRefillTests(unittest.TestCase):
    """While another spare waits, the next one is forked once the gateway that took the last one answered."""

    def setUp(self):
        self.listener = socket.socket()
        self.server = server_module.Server(self.listener, None, False, 0, 1.0, lambda text: None)
        self.news_r, self.news_w = os.pipe()
        os.set_blocking(self.news_r, False)
        for pid in (101, 102):
            self.server.children[pid] = ""
            self.server.spares.add(pid)

    def tearDown(self):
        for fd in (self.news_r, self.news_w):
            os.close(fd)
        self.listener.close()

    def news(self, text):
        os.write(self.news_w, text.encode("ascii"))
        self.server._read_news(self.news_r)

    def test_a_taken_spare_delays_the_next_while_another_waits(self):
        self.news("took 101 127.0.0.1:4000\n")
        self.assertEqual(self.server.spares, {102})
        self.assertEqual(self.server.children[101], "127.0.0.1:4000")
        self.assertTrue(self.server._spare_delayed())

    def test_the_answer_of_the_latest_gateway_ends_the_delay(self):
        self.news("took 101 127.0.0.1:4000\n")
        self.news("answered 101\n")
        self.assertFalse(self.server._spare_delayed())

    def test_the_answer_of_an_earlier_gateway_does_not(self):
        self.news("took 101 127.0.0.1:4000\ntook 102 unix\n")
        self.server.children[103] = ""
        self.server.spares.add(103)
        self.news("answered 101\n")
        self.assertTrue(self.server._spare_delayed())
        self.news("answered 102\n")
        self.assertFalse(self.server._spare_delayed())

    def test_lines_split_across_reads_are_joined(self):
        self.news("took 101 127.0.")
        self.assertEqual(self.server.spares, {101, 102})
        self.news("0.1:4000\nansw")
        self.assertTrue(self.server._spare_delayed())
        self.news("ered 101\n")
        self.assertFalse(self.server._spare_delayed())


if __name__ == "__main__":
    unittest.main()
