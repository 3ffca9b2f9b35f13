#!/usr/bin/env bash
# Builds the benchmarks jar (and the modules it needs) and runs the ssh gateway comparison execnet4j vs Python
# execnet (SshVsExecnet): it starts its own OpenSSH sshd on a free 127.0.0.1 port (needs root and
# /usr/sbin/sshd), then alternates rounds. Arguments go to SshVsExecnet (first one: the host Python with execnet).
# Environment: MVN_FLAGS (e.g. "-o" to build offline), JAVA_OPTS (e.g. "-Dexecnet4j.bench.rounds=5").
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck disable=SC2086
mvn -q -B ${MVN_FLAGS:-} install -DskipTests -pl benchmarks -am
# shellcheck disable=SC2086
exec java -Xms256m -Xmx512m ${JAVA_OPTS:-} -cp benchmarks/target/benchmarks.jar \
    org.execnet4j.benchmarks.SshVsExecnet "$@"
