#!/usr/bin/env bash
# The whole system on one machine: build, local Kinesis, the detector with a rule of every type, the generator with
# scenarios for every rule, a rule added in shadow mode while it runs, alerts live on the console, then the per-rule
# evaluation. Stops everything it started, on success, failure or Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")"

duration=60s
rate=100
accounts=200
input_shards=2
port=4568
change_after=20
# The demo's config is the local one plus a Rules group naming $rules (short windows for a short run); the generator
# reads the same file, so its ground truth is about the rules the job runs.
config=config/application-properties-demo.json
rules=config/rules-demo.json
shadow_rule=config/rule-demo-shadow.json
rebuild=0

usage() {
  cat <<USAGE
Usage: ./demo.sh [--duration 60s] [--rate 100] [--accounts 200] [--shards 2] [--port 4568] [--change-after 20]
                 [--rebuild]

  --duration D   how long the generator sends transactions (then ~20 s of quiet tail traffic), e.g. 90s, 2min
  --rate N       transactions per second
  --accounts N   simulated accounts
  --shards N     shards of the input stream
  --port N       port of the local Kinesis emulator
  --change-after N  seconds after the generator starts when the demo adds the rule of
                 $shadow_rule (SHADOW mode) to the running job
  --rebuild      rebuild the project even if it is built
Detection settings come from $config; its Rules group names $rules
(one rule of every type, windows of 10-20 s), which the generator reads too.
USAGE
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --rate) rate="$2"; shift 2 ;;
    --accounts) accounts="$2"; shift 2 ;;
    --shards) input_shards="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --change-after) change_after="$2"; shift 2 ;;
    --rebuild) rebuild=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
done

run_dir=".run/demo-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$run_dir"
tools_jar=fraud-tools/target/fraud-tools.jar
endpoint="http://127.0.0.1:$port"
if [[ $port != 4568 ]]; then # the config names the default port: point a copy of it at this one
  sed "s#http://127.0.0.1:4568#$endpoint#g" "$config" > "$run_dir/application-properties.json"
  config="$run_dir/application-properties.json"
fi
started=$(date +%s)
pids=()

step() { printf '\n\033[1m== %s\033[0m (%ss)\n' "$1" "$(( $(date +%s) - started ))"; }

# shellcheck disable=SC2317 # invoked by trap
stop_all() {
  local code=$?
  trap - EXIT INT TERM
  if [[ ${#pids[@]} -gt 0 ]]; then
    step "Stopping everything this demo started"
    for (( i=${#pids[@]}-1; i>=0; i-- )); do
      kill -TERM "${pids[$i]}" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -KILL "$pid" 2>/dev/null || true
    done
  fi
  echo "Logs: $run_dir"
  exit "$code"
}
trap stop_all EXIT
trap 'exit 130' INT TERM

# Runs a step in the background and waits for it: bash runs a trap only between commands, so a foreground
# java would hold off Ctrl-C or TERM handling until it ended by itself. The step is stopped with the rest.
run_step() {
  "$@" &
  pids+=($!)
  wait "${pids[-1]}"
}

# Waits until FILE contains PATTERN, or fails if PID dies or TIMEOUT seconds pass.
wait_for_line() {
  local file="$1" pattern="$2" pid="$3" timeout="$4" what="$5"
  for _ in $(seq 1 $(( timeout * 5 ))); do
    if grep -q -- "$pattern" "$file" 2>/dev/null; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$what exited; last lines of $file:" >&2; tail -n 30 "$file" >&2; return 1
    fi
    sleep 0.2
  done
  echo "$what not ready after ${timeout}s; last lines of $file:" >&2; tail -n 30 "$file" >&2
  return 1
}

step "1/7 Build"
if [[ $rebuild == 1 || ! -f $tools_jar || ! -f fraud-detector/target/local-classpath.txt ]]; then
  run_step mvn -B -q -DskipTests package -pl fraud-model,fraud-detector,fraud-tools -am
else
  echo "already built (--rebuild to build again)"
fi

step "2/7 Local Kinesis on $endpoint"
java -jar "$tools_jar" emulator --port "$port" --input-shards "$input_shards" --dir emulator \
  --log "$run_dir/kinesis-local.log" > "$run_dir/emulator.out" 2>&1 &
pids+=($!)
wait_for_line "$run_dir/emulator.out" "Local Kinesis ready" "${pids[-1]}" 120 "The emulator"
cat "$run_dir/emulator.out"

step "3/7 Detector (local Flink; alerts and dead letters print below)"
# --add-opens: the Kinesis consumer's shard state is serialized with Kryo, which Java 17 only allows with it.
IS_LOCAL=1 java --add-opens java.base/java.util=ALL-UNNAMED -Dlog4j.configurationFile=config/log4j2-local.properties \
  -cp "fraud-detector/target/classes:$(cat fraud-detector/target/local-classpath.txt)" \
  com.example.fraud.detector.FraudDetectorJob --config "$config" \
  2> "$run_dir/detector.log" \
  > >(while IFS= read -r line; do printf '  %s [detector] %s\n' "$(date +%T)" "$line"; done) &
pids+=($!)
wait_for_line "$run_dir/detector.log" "Web frontend listening at" "${pids[-1]}" 120 "The detector"
ui=$(grep -o 'Web frontend listening at [^ ]*' "$run_dir/detector.log" | head -n 1 | awk '{print $NF}' | sed 's/\.$//')
echo "Flink web UI: $ui"
# A RUNNING job can be seconds away from its first read: wait until it dead-letters a probe record.
run_step java -jar "$tools_jar" probe --endpoint "$endpoint" --wait 120s

step "4/7 Generator: $accounts accounts, $rate tx/s for $duration, scenarios for every rule of $rules"
java -jar "$tools_jar" generate --endpoint "$endpoint" --config "$config" --rules "$rules" --accounts "$accounts" \
  --rate "$rate" --duration "$duration" --malformed 0.01 --truth "$run_dir/truth.json" &
pids+=($!)
generator=${pids[-1]}

# A new rule, not a changed one: the ground truth covers the rules the generator was given, so the active rules must
# still be exact; a shadow rule's alerts go to the shadow-alert stream, which evaluate reports apart.
run_step sleep "$change_after"
step "5/7 While the generator runs: add rule sum-strict in SHADOW mode ($shadow_rule), then list the rules"
run_step java -jar "$tools_jar" rules --endpoint "$endpoint" put "$shadow_rule"
run_step java -jar "$tools_jar" rules --endpoint "$endpoint" list
wait "$generator"

step "6/7 Per-rule evaluation against the ground truth"
set +e
run_step java -jar "$tools_jar" evaluate --endpoint "$endpoint" --truth "$run_dir/truth.json" --wait 30s
result=$?
set -e

step "7/7 Done in $(( $(date +%s) - started ))s"
exit "$result"
