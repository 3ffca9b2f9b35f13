#!/usr/bin/env python3
"""One timed sync with Python execnet's RSync, for org.execnet4j.benchmarks.RsyncVsExecnet.

Usage: execnet_rsync_bench.py SRC DST SPEC

Makes a gateway of SPEC (not timed), syncs SRC to DST with execnet.RSync (verbose off, no
callback) and prints one flat JSON line: {"execnet_available": true, "seconds": ...}. If execnet
cannot be imported the line says so and the exit status is still 0.
"""
import json
import sys
import time

try:
    import execnet
except ImportError as exc:
    print(json.dumps({"execnet_available": False, "error": str(exc)}))
    sys.exit(0)

src, dst, spec = sys.argv[1:4]
gw = execnet.makegateway(spec)
gw.remote_exec("channel.send(1)").receive()
t0 = time.perf_counter()
rsync = execnet.RSync(src, verbose=False)
rsync.add_target(gw, dst)
rsync.send()
seconds = time.perf_counter() - t0
gw.exit()
print(json.dumps({"execnet_available": True, "seconds": seconds, "execnet_version": execnet.__version__,
                  "python": sys.executable, "python_version": sys.version.split()[0]}))
