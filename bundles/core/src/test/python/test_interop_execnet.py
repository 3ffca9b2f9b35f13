"""Interop with the real execnet (Debian python3-execnet 1.9) as host.

execnet is driven as a black box: its ``popen//python=<wrapper>`` spec starts
execnet_agent_wrapper.py, which discards execnet's bootstrap line and runs the
execnet4j agent.  The checks live in interop_execnet_host.py (run by an
interpreter that can import execnet).
"""

import os
import subprocess
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
EXECNET_PYTHON = os.environ.get("EXECNET4J_EXECNET_PYTHON", "/usr/bin/python3")


def execnet_version():
    try:
        out = subprocess.run([EXECNET_PYTHON, "-c", "import execnet; print(execnet.__version__)"],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.decode().strip() if out.returncode == 0 else None


VERSION = execnet_version()


@unittest.skipIf(VERSION is None, "execnet is not importable by %s" % EXECNET_PYTHON)
class ExecnetHostInterop(unittest.TestCase):

    def test_execnet_host_with_execnet4j_agent(self):
        env = dict(os.environ)
        env.pop("EXECNET_DEBUG", None)
        proc = subprocess.run(
            [EXECNET_PYTHON, os.path.join(HERE, "interop_execnet_host.py"),
             os.path.join(HERE, "execnet_agent_wrapper.py")],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60, env=env, cwd=HERE)
        output = proc.stdout.decode("utf-8", "replace")
        self.assertEqual(proc.returncode, 0, "execnet %s interop failed:\n%s" % (VERSION, output))
        self.assertIn("ALL OK", output)


if __name__ == "__main__":
    unittest.main()
