#!/usr/bin/env python3
"""Time execnet.dumps / execnet.loads of the value stored in an execnet dump file.

Usage: execnet_serializer_bench.py DUMP_FILE [REPEAT]

Loads DUMP_FILE with execnet.loads to get the value, checks once whether
execnet.dumps(value) reproduces the file byte for byte, then times dumps and
loads REPEAT times each (timeit, one call per run), once by wall clock and once by
the process's CPU time (time.process_time, which other processes' load does not
inflate), and prints ONE JSON line.
If execnet cannot be imported the JSON line says so ("execnet_available": false)
and the exit status is still 0, so callers can report the Java side alone.
execnet is used as a black box only.
"""
import json
import statistics
import sys
import time
import timeit


def first_difference(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    return None if len(a) == len(b) else min(len(a), len(b))


def main(argv):
    path = argv[1]
    repeat = int(argv[2]) if len(argv) > 2 else 15
    with open(path, "rb") as f:
        data = f.read()
    result = {"python": sys.executable, "python_version": sys.version.split()[0], "size": len(data)}
    try:
        import execnet
    except ImportError as e:
        result.update(execnet_available=False, error=repr(e))
        print(json.dumps(result))
        return 0
    value = execnet.loads(data)          # also warms up loads
    redump = execnet.dumps(value)        # also warms up dumps
    diff = first_difference(redump, data)
    dumps_times = timeit.repeat(lambda: execnet.dumps(value), repeat=repeat, number=1)
    loads_times = timeit.repeat(lambda: execnet.loads(data), repeat=repeat, number=1)
    dumps_cpu = timeit.repeat(lambda: execnet.dumps(value), repeat=repeat, number=1, timer=time.process_time)
    loads_cpu = timeit.repeat(lambda: execnet.loads(data), repeat=repeat, number=1, timer=time.process_time)
    result.update(
        execnet_available=True,
        execnet_version=getattr(execnet, "__version__", "?"),
        repeat=repeat,
        byte_identical=diff is None,
        first_difference=diff,
        dumps_best_s=min(dumps_times),
        dumps_median_s=statistics.median(dumps_times),
        loads_best_s=min(loads_times),
        loads_median_s=statistics.median(loads_times),
        dumps_cpu_best_s=min(dumps_cpu),
        loads_cpu_best_s=min(loads_cpu),
    )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
