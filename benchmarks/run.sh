#!/usr/bin/env bash
# Builds the benchmarks jar (and the modules it needs) and runs one comparison of execnet4j with
# Python execnet in the same run:
#   benchmarks/run.sh serializer [python]   dumps/loads of the ~1 MB payload (JMH + execnet timeit)
#   benchmarks/run.sh gateway [python]      popen gateways: ready, echo, messages, bulk, channels, group;
#                                           socket gateways: ready, echo (ours vs execnet's socketserver.py)
#   benchmarks/run.sh ssh [python]          ssh gateways against sshd instances the benchmark starts (needs root):
#                                           1st/2nd gateway, where the 1st one's time goes, 100 gateways on 10 hosts
#   benchmarks/run.sh rsync [python]          RSync vs execnet's RSync vs rsync -a; 1 vs 16 targets
#   benchmarks/run.sh soak-channels [python]   channels at -Xmx256m: 1000 channels, 2 GiB each way, 32 threads x 1000 echoes
#   benchmarks/run.sh soak-lifecycle            1000 create/terminate cycles, SIGKILL mid-message; threads/fds/processes before and after
#   benchmarks/run.sh fuzz [decoder|frames]     Jazzer soak of the decoder and frame reader (benchmarks/fuzz.sh)
# The optional argument is the host Python that has execnet (default /usr/bin/python3); for the soaks, the
# remote Python (default python3).
# Environment: MVN_FLAGS (e.g. "-o" to build offline), JAVA_OPTS (e.g. "-Dexecnet4j.bench.rounds=3").
set -euo pipefail
if [ "${1:-}" = fuzz ]; then
  shift
  exec "$(dirname "${BASH_SOURCE[0]}")/fuzz.sh" "$@"
fi
case "${1:-}" in
  serializer) main=SerializerVsExecnet; heap="" ;;
  gateway) main=GatewayVsExecnet; heap="-Xms512m -Xmx1g" ;;
  ssh) main=SshVsExecnet; heap="-Xms256m -Xmx512m" ;;
  rsync) main=RsyncVsExecnet; heap="-Xmx256m" ;;
  soak-channels) main=ChannelSoak; heap="-Xmx256m" ;;
  soak-lifecycle) main=GatewayLifecycleSoak; heap="-Xmx256m" ;;
  *) echo "usage: $0 serializer|gateway|ssh|rsync|soak-channels|soak-lifecycle [python] | fuzz [decoder|frames]" >&2; exit 2 ;;
esac
shift
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck disable=SC2086
mvn -q -B ${MVN_FLAGS:-} package -DskipTests -pl benchmarks -am
# shellcheck disable=SC2086
exec java $heap ${JAVA_OPTS:-} -cp benchmarks/target/benchmarks.jar "org.execnet4j.benchmarks.$main" "$@"
