#!/usr/bin/env bash
# Benchmarks that print figures (never part of the tests):
#   ./bench.sh throughput [--records 5000000 --accounts 5000 --parallelism 2]   records/s: job graph vs SQL vs loop
#   ./bench.sh latency [--duration 120 --accounts 300 --over 0.5 --window "60 s"] time to flag, early vs window-close
set -euo pipefail
cd "$(dirname "$0")"
what="${1:-}"
shift || true
if [[ ! -f fraud-bench/target/classpath.txt || "${REBUILD:-0}" == 1 ]]; then
  mvn -B -q -DskipTests install -pl fraud-bench -am
fi
cp="fraud-bench/target/classes:$(cat fraud-bench/target/classpath.txt)"
case "$what" in
  throughput) exec java -Xms6g -Xmx6g -XX:+UseParallelGC -cp "$cp" com.example.fraud.bench.ThroughputBenchmark "$@" ;;
  latency) exec java -Xmx2g --add-opens java.base/java.util=ALL-UNNAMED -cp "$cp" com.example.fraud.bench.LatencyBenchmark --emulator-dir emulator "$@" ;;
  *) echo "usage: ./bench.sh throughput|latency [options]  (REBUILD=1 to rebuild first)" >&2; exit 2 ;;
esac
