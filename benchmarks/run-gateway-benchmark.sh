#!/usr/bin/env bash
# Builds the benchmarks jar (and the modules it needs) and runs the end-to-end gateway comparison
# execnet4j vs Python execnet (alternating rounds). Arguments go to GatewayVsExecnet (first one: the
# host Python with execnet). Environment: MVN_FLAGS (e.g. "-o" to build offline), JAVA_OPTS
# (e.g. "-Dexecnet4j.bench.rounds=3").
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck disable=SC2086
mvn -q -B ${MVN_FLAGS:-} install -DskipTests -pl benchmarks -am
# shellcheck disable=SC2086
exec java -Xms512m -Xmx1g ${JAVA_OPTS:-} -cp benchmarks/target/benchmarks.jar \
    org.execnet4j.benchmarks.GatewayVsExecnet "$@"
