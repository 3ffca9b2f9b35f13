"""Syncs SRC to DST with Python execnet's RSync through a popen gateway: the reference for InteropTest.

usage: python3 execnet_rsync.py SRC DST REMOTE_PYTHON
"""
import sys

import execnet

src, dst, python = sys.argv[1:4]
gw = execnet.makegateway("popen//python=" + python)
rsync = execnet.RSync(src, verbose=False)
rsync.add_target(gw, dst)
rsync.send()
gw.exit()
print("execnet", execnet.__version__)
