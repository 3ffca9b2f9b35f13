#!/usr/bin/env bash
# Soak-fuzzes the decoder (Serializer.loads and the wire form) and the frame reader with Jazzer's
# standalone driver, seeded with the golden vectors, and prints per target the inputs run,
# inputs/s, the JVM heap peak (largest heap before a GC, and largest live heap after one) and
# the process's peak RSS.
#   benchmarks/fuzz.sh [decoder|frames|all]      (also: benchmarks/run.sh fuzz ...)
# Environment: RUNS (inputs per target, default 1000000), MAX_SECONDS (time bound per target,
# default 900), HEAP (default 512m), MVN_FLAGS (e.g. "-o").
# A finding (an exception other than DataFormatException/ProtocolException/EOFException, or an
# allocation above the bound) stops that target; its input is left in benchmarks/target/fuzz/.
set -euo pipefail
which="${1:-all}"
case "$which" in decoder|frames|all) ;; *) echo "usage: $0 [decoder|frames|all]" >&2; exit 2 ;; esac
runs="${RUNS:-1000000}"
max_seconds="${MAX_SECONDS:-900}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
work="$root/benchmarks/target/fuzz"
rm -rf "$work"
mkdir -p "$work"

# compile the tests and write each module's test classpath (no install: everything stays in the reactor)
# shellcheck disable=SC2086
mvn -q -B ${MVN_FLAGS:-} test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/fuzz-classpath.txt -pl bundles/serializer,bundles/core -am

# seeds: every input of the serializer vectors, every frame of the transcript
/usr/bin/env python3 - "$root/vectors" "$work" <<'PY'
import json, os, sys
vectors, work = sys.argv[1], sys.argv[2]
def write(folder, hexes):
    os.makedirs(os.path.join(work, folder), exist_ok=True)
    for i, h in enumerate(hexes):
        with open(os.path.join(work, folder, "seed%03d" % i), "wb") as f:
            f.write(bytes.fromhex(h))
golden = json.load(open(os.path.join(vectors, "serializer.json")))
invalid = json.load(open(os.path.join(vectors, "serializer_invalid.json")))
write("seeds-decoder", [v["dumps_hex"] for v in golden["vectors"]]
      + [v["hex"] for v in golden["decode_only_vectors"]] + [v["hex"] for v in invalid["vectors"]])
transcript = json.load(open(os.path.join(vectors, "transcript_popen.json")))
frames = [f["frame_hex"] for d in ("host_to_remote", "remote_to_host") for f in transcript[d]]
write("seeds-frames", frames + ["".join(frames)])
PY

fuzz() { # name module target-class
    local name="$1" module="$2" target="$3"
    local cp="$module/target/test-classes:$module/target/classes:$(cat "$module/target/fuzz-classpath.txt")"
    mkdir -p "$work/corpus-$name"
    echo "== fuzzing $target: $runs inputs, at most $max_seconds s"
    local status=0
    # shellcheck disable=SC2086
    java -Xmx"${HEAP:-512m}" -Xlog:gc:file="$work/gc-$name.log" ${JAVA_OPTS:-} -cp "$cp" \
        com.code_intelligence.jazzer.Jazzer --target_class="$target" \
        --instrumentation_includes='org.execnet4j.**' \
        -runs="$runs" -max_total_time="$max_seconds" -print_final_stats=1 \
        -artifact_prefix="$work/$name-" "$work/corpus-$name" "$work/seeds-$name" \
        >"$work/out-$name.log" 2>&1 || status=$?
    local executed per_second rss heap live
    executed=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/out-$name.log" | tail -1)
    per_second=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/out-$name.log" | tail -1)
    rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$work/out-$name.log" | tail -1)
    heap=$(grep -o '[0-9]*M->' "$work/gc-$name.log" | sed 's/M->//' | sort -n | tail -1)
    live=$(grep -o -- '->[0-9]*M' "$work/gc-$name.log" | sed 's/->//; s/M//' | sort -n | tail -1)
    printf '%s: %s inputs, %s inputs/s, heap peak %s MiB before a GC, %s MiB live after (-Xmx%s), peak RSS %s MiB, exit %s\n' \
        "$target" "${executed:-?}" "${per_second:-?}" "${heap:-?}" "${live:-?}" "${HEAP:-512m}" "${rss:-?}" "$status"
    if [ "$status" -ne 0 ]; then
        tail -40 "$work/out-$name.log"
        return "$status"
    fi
}

result=0
if [ "$which" != frames ]; then
    fuzz decoder bundles/serializer org.execnet4j.serializer.DecoderFuzzTest || result=$?
fi
if [ "$which" != decoder ]; then
    fuzz frames bundles/core org.execnet4j.core.internal.FrameReaderFuzzTest || result=$?
fi
exit "$result"
