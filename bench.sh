#!/usr/bin/env bash
# Benchmarks that print figures (never part of the tests):
#   ./bench.sh throughput [--records 5000000 --accounts 5000 --parallelism 2 --runs 2 --only detector,sql,rocksdb-state,...]
#       --only hot-key [--hot-key-records 120000]: one account at 1,000 transactions/s, default rule, then a 10-minute
#       sliding sum; RocksDB and heap
#       records/s: job graph (1 rule, 10 rules), SQL, loop; RocksDB over 1.2 M accounts with state per account;
#       --only floor-1,floor-3: parsing plus 1 or 3 keyed groupings that only count (the floor under any graph)
#       (JAVA_OPTS="-XX:StartFlightRecording=filename=x.jfr" to profile)
#   ./bench.sh latency [--duration 120 --accounts 300 --over 0.5 --window "60 s"] time to flag, early vs window-close
#   ./bench.sh latency --duration 60 --flood 800   time to flag (EARLY) without, then with 800 bad records/s
#   ./bench.sh latency --rules default [--duration 150 --scenarios-per-minute 140 --input-shards 16 --alert-shards 4]
#       time to flag per rule and per rule type (rules-latency.json: two rules of each type)
#   ./bench.sh backtest [--records 5000000 --accounts 5000 --parallelism 2]   the backtest command over the same data
#       with the 10-rule set (rules-10.json): its report and time
#   ./bench.sh backtest --data generator [--records 5000000 --accounts 100000 --rate 10000 --scenarios-per-minute 6]
#       the generate command's traffic and ground truth (timed), then the backtest against that truth
#   ./bench.sh dedup-state [--small 50000 --large 250000]   bytes per txn_id remembered by duplicate detection
set -euo pipefail
cd "$(dirname "$0")"
what="${1:-}"
shift || true
if [[ ! -f fraud-bench/target/classpath.txt || "${REBUILD:-0}" == 1 ]]; then
  mvn -B -q -DskipTests install -pl fraud-bench -am
fi
cp="fraud-bench/target/classes:$(cat fraud-bench/target/classpath.txt)"
case "$what" in
  throughput) exec java -Xms6g -Xmx6g -XX:+UseParallelGC ${JAVA_OPTS:-} -cp "$cp" com.example.fraud.bench.ThroughputBenchmark "$@" ;;
  latency) exec java -Xmx2g --add-opens java.base/java.util=ALL-UNNAMED -cp "$cp" com.example.fraud.bench.LatencyBenchmark --emulator-dir emulator "$@" ;;
  backtest) exec java -Xms6g -Xmx6g -XX:+UseParallelGC ${JAVA_OPTS:-} -cp "$cp" com.example.fraud.bench.BacktestBenchmark "$@" ;;
  dedup-state) exec java -Xmx2g -cp "$cp" com.example.fraud.bench.DedupStateSize "$@" ;;
  *) echo "usage: ./bench.sh throughput|latency|backtest|dedup-state [options]  (REBUILD=1 to rebuild first)" >&2; exit 2 ;;
esac
