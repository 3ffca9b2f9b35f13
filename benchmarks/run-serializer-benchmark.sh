#!/usr/bin/env bash
# Builds the benchmarks jar (and the modules it needs) and runs the execnet4j-vs-execnet
# serializer comparison. Arguments go to SerializerVsExecnet (first one: the Python executable).
# Environment: MVN_FLAGS (e.g. "-o" to build offline), JAVA_OPTS (e.g. "-Dexecnet4j.bench.repeat=11").
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck disable=SC2086
mvn -q -B ${MVN_FLAGS:-} install -DskipTests -pl benchmarks -am
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} -cp benchmarks/target/benchmarks.jar org.execnet4j.benchmarks.SerializerVsExecnet "$@"
