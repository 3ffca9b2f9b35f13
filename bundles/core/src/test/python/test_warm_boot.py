"""The warm interpreter's boot program (execnet4j_warm_boot.py): its cache file of compiled code.

The boot as a whole (cache miss, "?", the source, a stored file the next warm interpreter loads)
runs in the Java tests (WarmBootTest); here the file's checks, one function at a time.
"""

import os
import shutil
import stat
import tempfile
import unittest

import agenthost

BOOT = os.path.join(os.path.dirname(agenthost.AGENT_PATH), "execnet4j_warm_boot.py")


def load_boot():
    namespace = {"__name__": "execnet4j_warm_boot"}
    with open(BOOT) as f:
        exec(compile(f.read(), BOOT, "exec"), namespace)
    return namespace


boot = load_boot()
CODES = (compile("x = 1", "<a>", "exec"), compile("y = 2", "<b>", "exec"))


class CacheFileTests(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        os.chmod(self.dir, 0o700)
        self.path = boot["_warm_cache_file"](self.dir, "warm-test")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def test_the_file_is_named_by_the_interpreter_version(self):
        import sys
        self.assertEqual(os.path.join(self.dir, "warm-test-%s-%x.marshal" % (sys.implementation.cache_tag, sys.hexversion)),
                         self.path)
        self.assertIsNone(boot["_warm_cache_file"](None, "warm-test"), "no directory: no cache")

    def test_stored_codes_load_again(self):
        self.assertIsNone(boot["_warm_load"](self.path), "nothing stored yet")
        boot["_warm_store"](self.path, CODES)
        loaded = boot["_warm_load"](self.path)
        self.assertEqual(2, len(loaded))
        namespace = {}
        exec(loaded[1], namespace)
        self.assertEqual(2, namespace["y"])
        self.assertEqual(0o600, stat.S_IMODE(os.stat(self.path).st_mode))
        self.assertEqual([os.path.basename(self.path)], os.listdir(self.dir), "no temporary file left")

    def test_the_directory_keeps_the_warm_files_written_last(self):
        kept = boot["_WARM_KEPT"]
        older = []
        for i in range(kept + 3):
            other = os.path.join(self.dir, "warm-%02d-cpython-39-0.marshal" % i)
            with open(other, "wb") as f:
                f.write(b"old")
            os.utime(other, (1000 + i, 1000 + i))     # written in this order, long ago
            older.append(other)
        unrelated = os.path.join(self.dir, "agent-x.marshal")
        with open(unrelated, "wb") as f:
            f.write(b"the Java host's")
        os.utime(unrelated, (1, 1))
        boot["_warm_store"](self.path, CODES)
        self.assertTrue(os.path.exists(self.path), "the file just written")
        self.assertEqual([os.path.exists(p) for p in older], [i >= 4 for i in range(kept + 3)],
                         "the %d written last of the others" % (kept - 1))
        self.assertTrue(os.path.exists(unrelated), "a file that is not a warm file")

    def test_a_damaged_file_is_not_loaded(self):
        boot["_warm_store"](self.path, CODES)
        with open(self.path, "r+b") as f:
            f.seek(-3, os.SEEK_END)
            last = f.read(1)
            f.seek(-3, os.SEEK_END)
            f.write(bytes([last[0] ^ 0xFF]))
        self.assertIsNone(boot["_warm_load"](self.path))
        with open(self.path, "r+b") as f:
            f.truncate(40)
        self.assertIsNone(boot["_warm_load"](self.path))

    def test_a_file_others_may_write_to_is_not_loaded(self):
        boot["_warm_store"](self.path, CODES)
        os.chmod(self.dir, 0o777)
        self.assertIsNone(boot["_warm_load"](self.path), "a directory anyone may write to")
        os.chmod(self.dir, 0o700)
        os.chmod(self.path, 0o622)
        self.assertIsNone(boot["_warm_load"](self.path), "a file others may write to")

    def test_a_link_is_not_followed(self):
        target = os.path.join(self.dir, "elsewhere")
        boot["_warm_store"](target, CODES)
        os.symlink(target, self.path)
        self.assertIsNone(boot["_warm_load"](self.path))

    def test_nothing_is_stored_in_a_directory_others_may_write_to(self):
        os.chmod(self.dir, 0o777)
        boot["_warm_store"](self.path, CODES)
        self.assertEqual([], os.listdir(self.dir))

    def test_the_directory_is_made_private(self):
        path = boot["_warm_cache_file"](os.path.join(self.dir, "new"), "warm-test")
        boot["_warm_store"](path, CODES)
        self.assertEqual(0o700, stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode))
        self.assertIsNotNone(boot["_warm_load"](path))


if __name__ == "__main__":
    unittest.main()
