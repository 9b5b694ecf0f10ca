#!/usr/bin/env bash
#
# A local Flink 1.19 standalone session cluster (1 JobManager + N TaskManagers, separate JVMs) built from
# the jars that cluster/pom.xml copies into cluster/target/flink/lib: flink-dist is not available here.
# Used by people (docs/flink-cluster.md) and by the integration tests (fraud-it: FlinkCluster.java).
#
#   cluster/flink-cluster.sh start  [--taskmanagers N] [--slots S] [--port 8081] [--rpc-port 6123]
#                                   [--dir WORKDIR] [--conf key=value]... [--timeout 120]
#   cluster/flink-cluster.sh stop   [--dir WORKDIR] [--grace 30]
#   cluster/flink-cluster.sh status [--dir WORKDIR]
#
# Environment: JAVA_HOME (else `java` on the PATH); MVN, the Maven command used to build the lib folder
# when it is missing or older than cluster/pom.xml (default `mvn`; e.g. MVN="mvn -o");
# FLINK_CLUSTER_JAVA_OPTS, extra JVM options for the JobManager and TaskManagers.
set -euo pipefail

readonly FLINK_VERSION=1.19.1
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly SCRIPT_DIR
readonly LIB="$SCRIPT_DIR/target/flink/lib"
readonly JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
readonly JM_CLASS=org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint
readonly TM_CLASS=org.apache.flink.runtime.taskexecutor.TaskManagerRunner
readonly UTILS_CLASS=org.apache.flink.runtime.util.bash.BashJavaUtils

# What flink-dist's conf/config.yaml sets in env.java.opts.all for Java 17.
readonly JAVA17_OPTS=(
  --add-exports=java.base/sun.net.util=ALL-UNNAMED
  --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED
  --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
)

usage() {
  sed -n '7,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

die() { echo "flink-cluster: $*" >&2; exit 1; }
info() { echo "flink-cluster: $*"; }
now_ms() { local t; t=$(date +%s%3N); [[ $t =~ ^[0-9]+$ ]] || t=$(( $(date +%s) * 1000 )); echo "$t"; }
elapsed() { awk -v a="$1" -v b="$(now_ms)" 'BEGIN { printf "%.1f s", (b - a) / 1000 }'; }

# ---- options -------------------------------------------------------------------------------------------

CMD="${1:-}"
[[ $# -gt 0 ]] && shift
TASKMANAGERS=1
SLOTS=2
REST_PORT=8081
RPC_PORT=6123
WORKDIR="$SCRIPT_DIR/target/work"
TIMEOUT=120
GRACE=30
CONF_OVERRIDES=()

need_value() { [[ $# -ge 2 && -n $2 ]] || die "$1 needs a value"; }
need_int() { [[ $2 =~ ^[0-9]+$ && $2 -gt 0 ]] || die "$1 must be a positive integer, got '$2'"; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --taskmanagers) need_value "$@"; need_int "$1" "$2"; TASKMANAGERS=$2; shift 2 ;;
    --slots)        need_value "$@"; need_int "$1" "$2"; SLOTS=$2; shift 2 ;;
    --port)         need_value "$@"; need_int "$1" "$2"; REST_PORT=$2; shift 2 ;;
    --rpc-port)     need_value "$@"; need_int "$1" "$2"; RPC_PORT=$2; shift 2 ;;
    --dir)          need_value "$@"; WORKDIR=$2; shift 2 ;;
    --timeout)      need_value "$@"; need_int "$1" "$2"; TIMEOUT=$2; shift 2 ;;
    --grace)        need_value "$@"; need_int "$1" "$2"; GRACE=$2; shift 2 ;;
    --conf)         need_value "$@"; [[ $2 == ?*=* ]] || die "--conf takes key=value, got '$2'"
                    case "${2%%=*}" in
                      *.bind-host|*.bind-address)
                        [[ ${2#*=} =~ ^(localhost|127\.0\.0\.1|::1)$ ]] || echo "flink-cluster: warning: --conf $2" \
                          "makes the cluster reachable beyond this machine; its REST API has no authentication" >&2 ;;
                    esac
                    CONF_OVERRIDES+=("$2"); shift 2 ;;
    -h|--help)      usage; exit 0 ;;
    *)              usage >&2; die "unknown option '$1'" ;;
  esac
done

[[ $CMD == start ]] && mkdir -p "$WORKDIR"
if [[ -d $WORKDIR ]]; then
  WORKDIR="$(cd "$WORKDIR" && pwd)"
elif [[ $WORKDIR != /* ]]; then
  WORKDIR="$PWD/$WORKDIR"
fi
readonly CONF="$WORKDIR/conf" LOG="$WORKDIR/log" PIDS="$WORKDIR/pids" STATE="$WORKDIR/cluster.env"
# Every JVM carries this marker, so a pid file is only trusted while its process is still ours.
readonly MARKER="-Dflink.cluster.workdir=$WORKDIR"

# ---- processes -----------------------------------------------------------------------------------------

is_ours() {  # pid
  local args
  args=$(ps -ww -o args= -p "$1" 2>/dev/null) || return 1
  [[ " $args " == *" $MARKER "* ]]
}

# Prints "name pid" for every component of this WORKDIR whose process is alive.
live_components() {
  local f pid
  for f in "$PIDS"/*.pid; do
    [[ -f $f ]] || continue
    pid=$(<"$f")
    if [[ $pid =~ ^[0-9]+$ ]] && is_ours "$pid"; then echo "$(basename "$f" .pid) $pid"; fi
  done
}

state_get() {  # key
  if [[ -f $STATE ]]; then sed -n "s/^$1=//p" "$STATE" | tail -n 1; fi
}

port_in_use() {  # port
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

rest_url() { echo "http://localhost:$1"; }

print_log_tails() {
  local f
  for f in "$LOG"/jobmanager.log "$LOG"/jobmanager.out "$LOG"/taskmanager-*.log "$LOG"/taskmanager-*.out; do
    [[ -s $f ]] || continue
    echo "----- tail of $f" >&2
    grep -v 'Loading .*configuration property' "$f" | tail -n 40 >&2 || true
  done
}

# Starts a JVM detached from this shell (own session, output in LOG/name.out) and writes its pid file.
launch() {  # name, java args...
  local name=$1; shift
  local pidfile="$PIDS/$name.pid"
  rm -f "$pidfile"
  local detach=()
  command -v setsid >/dev/null && detach=(setsid)
  # The inner bash writes its own pid, then becomes the JVM (exec keeps the pid).
  # shellcheck disable=SC2016  # expanded by the inner bash
  nohup "${detach[@]+"${detach[@]}"}" bash -c 'echo $$ > "$0"; exec "$@"' "$pidfile" "$JAVA" "$@" \
    >"$LOG/$name.out" 2>&1 </dev/null &
  local i
  for i in $(seq 1 50); do [[ -s $pidfile ]] && return 0; sleep 0.1; done
  die "$name did not start (no pid file); see $LOG/$name.out"
}

stop_components() {
  local components pid name
  components=$(live_components)
  if [[ -z $components ]]; then
    rm -f "$PIDS"/*.pid
    info "not running ($WORKDIR)"
    return 0
  fi
  local t0; t0=$(now_ms)
  # TaskManagers first, then the JobManager, as flink-dist's stop-cluster.sh does.
  while read -r name pid; do
    if [[ $name == taskmanager-* ]]; then kill -TERM "$pid" 2>/dev/null || true; fi
  done <<<"$components"
  while read -r name pid; do
    if [[ $name == jobmanager ]]; then kill -TERM "$pid" 2>/dev/null || true; fi
  done <<<"$components"
  local deadline=$(( $(now_ms) + GRACE * 1000 )) left
  while :; do
    left=$(live_components)
    [[ -z $left ]] && break
    if (( $(now_ms) >= deadline )); then
      info "still alive after ${GRACE}s, killing: $(echo "$left" | tr '\n' ' ')"
      while read -r name pid; do kill -KILL "$pid" 2>/dev/null || true; done <<<"$left"
      sleep 0.5
      [[ -z $(live_components) ]] && break
      deadline=$(( $(now_ms) + 5000 ))
    fi
    sleep 0.2
  done
  # Exited JVMs stay zombies until their parent (init, as they were detached) reaps them: give it a moment
  # so that the pids are gone from the process table when stop returns.
  deadline=$(( $(now_ms) + 5000 ))
  while read -r name pid; do
    while kill -0 "$pid" 2>/dev/null && (( $(now_ms) < deadline )); do sleep 0.1; done
  done <<<"$components"
  rm -f "$PIDS"/*.pid
  info "stopped $(echo "$components" | wc -l | tr -d ' ') process(es) in $(elapsed "$t0") ($WORKDIR)"
}

# ---- configuration -------------------------------------------------------------------------------------

ensure_lib() {
  # Built by `mvn -f cluster/pom.xml package`; rebuilt when missing or when the pom changed since.
  if compgen -G "$LIB/flink-runtime-$FLINK_VERSION.jar" >/dev/null && [[ ! $SCRIPT_DIR/pom.xml -nt $LIB ]]; then
    return 0
  fi
  info "building $LIB (${MVN:-mvn} -B -q -f cluster/pom.xml package)"
  rm -rf "$LIB"
  # shellcheck disable=SC2086  # MVN may hold a command with arguments, e.g. "mvn -o".
  ${MVN:-mvn} -B -q -f "$SCRIPT_DIR/pom.xml" package || die "building the Flink lib folder failed"
  compgen -G "$LIB/flink-runtime-$FLINK_VERSION.jar" >/dev/null || die "no flink-runtime jar in $LIB after the build"
}

write_config() {
  local emitted=" "
  emit() {  # key default-value; a --conf override wins
    local k=$1 v=$2 o
    for o in "${CONF_OVERRIDES[@]+"${CONF_OVERRIDES[@]}"}"; do [[ ${o%%=*} == "$k" ]] && v=${o#*=}; done
    printf '%s: %s\n' "$k" "$v"
    emitted+="$k "
  }
  {
    echo "# Written by cluster/flink-cluster.sh at every start; change it with --conf key=value."
    echo "# Flink $FLINK_VERSION reads conf/config.yaml (standard YAML; flat keys are fine)."
    # Loopback only: the REST API has no authentication and runs any uploaded jar. The bind-hosts cover the
    # JobManager's RPC and blob server and the TaskManagers' RPC and data ports (all seen on 127.0.0.1 with ss).
    emit jobmanager.rpc.address localhost
    emit jobmanager.rpc.port "$RPC_PORT"
    emit jobmanager.bind-host localhost
    emit taskmanager.bind-host localhost
    emit taskmanager.host localhost
    emit rest.address localhost
    emit rest.bind-address localhost
    emit rest.port "$REST_PORT"
    # Modest sizes: a few clusters must fit on a 2-core / 24 GB machine next to builds.
    emit jobmanager.memory.process.size 1024m
    emit taskmanager.memory.process.size 1536m
    # Managed memory is only used by RocksDB and batch jobs; the HashMap state backend keeps state on heap.
    emit taskmanager.memory.managed.fraction 0.1
    emit taskmanager.numberOfTaskSlots "$SLOTS"
    emit parallelism.default 1
    emit jobmanager.execution.failover-strategy region
    # TaskManagers start alongside the JobManager; retry the first registration after 1 s, not 10 s.
    emit cluster.registration.error-delay 1000
    emit state.backend.type hashmap
    emit state.checkpoints.dir "file://$WORKDIR/checkpoints"
    emit state.savepoints.dir "file://$WORKDIR/savepoints"
    emit execution.checkpointing.interval "5 s"
    emit execution.checkpointing.externalized-checkpoint-retention RETAIN_ON_CANCELLATION
    emit io.tmp.dirs "$WORKDIR/tmp"
    emit web.tmpdir "$WORKDIR/tmp/web"
    local o
    for o in "${CONF_OVERRIDES[@]+"${CONF_OVERRIDES[@]}"}"; do
      [[ $emitted == *" ${o%%=*} "* ]] && continue
      printf '%s: %s\n' "${o%%=*}" "${o#*=}"
      emitted+="${o%%=*} "
    done
  } >"$CONF/config.yaml"
  cp "$SCRIPT_DIR/conf/log4j.properties" "$SCRIPT_DIR/conf/log4j-cli.properties" "$CONF/"
}

# Sets RESULT_JVM and RESULT_DYNAMIC from BashJavaUtils GET_JM_RESOURCE_PARAMS / GET_TM_RESOURCE_PARAMS.
resource_params() {  # command
  local out lines
  out=$("$JAVA" -Xmx128m -XX:+UseSerialGC -Dlog4j.configurationFile="file:$CONF/log4j-cli.properties" \
          -Djava.io.tmpdir="$WORKDIR/tmp" -cp "$LIB/*" "$UTILS_CLASS" "$1" --configDir "$CONF" 2>&1) \
    || { echo "$out" >&2; die "BashJavaUtils $1 failed"; }
  lines=$(echo "$out" | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p')
  [[ $(echo "$lines" | wc -l) -eq 2 ]] || { echo "$out" >&2; die "BashJavaUtils $1: expected 2 result lines"; }
  RESULT_JVM=$(echo "$lines" | sed -n 1p)
  RESULT_DYNAMIC=$(echo "$lines" | sed -n 2p)
}

# ---- commands ------------------------------------------------------------------------------------------

start() {
  local running
  running=$(live_components)
  if [[ -n $running ]]; then
    info "already running in $WORKDIR at $(rest_url "$(state_get REST_PORT)"): $(echo "$running" | tr '\n' ' ')"
    return 0
  fi
  local t0; t0=$(now_ms)
  ensure_lib
  port_in_use "$REST_PORT" && die "port $REST_PORT (REST) is in use: pick another with --port"
  port_in_use "$RPC_PORT" && die "port $RPC_PORT (JobManager RPC) is in use: pick another with --rpc-port"

  rm -rf "$PIDS" "$WORKDIR/tmp"
  # Keep the previous run's logs (one generation), as flink-dist rotates them.
  local f
  for f in "$LOG"/*.log "$LOG"/*.out; do if [[ -f $f ]]; then mv -f "$f" "$f.previous"; fi; done
  mkdir -p "$CONF" "$LOG" "$PIDS" "$WORKDIR/tmp" "$WORKDIR/plugins" "$WORKDIR/checkpoints" "$WORKDIR/savepoints"
  write_config
  printf 'REST_PORT=%s\nRPC_PORT=%s\nTASKMANAGERS=%s\nSLOTS=%s\n' "$REST_PORT" "$RPC_PORT" "$TASKMANAGERS" "$SLOTS" >"$STATE"

  export FLINK_CONF_DIR="$CONF" FLINK_LOG_DIR="$LOG" FLINK_PLUGINS_DIR="$WORKDIR/plugins" FLINK_LIB_DIR="$LIB"
  local common=("$MARKER" "${JAVA17_OPTS[@]}" -Djava.io.tmpdir="$WORKDIR/tmp"
                -Dlog4j.configuration="file:$CONF/log4j.properties" -Dlog4j.configurationFile="file:$CONF/log4j.properties")
  # shellcheck disable=SC2206  # FLINK_CLUSTER_JAVA_OPTS is a space-separated list of JVM options.
  local extra=(${FLINK_CLUSTER_JAVA_OPTS:-})

  # Interrupted (Ctrl-C, or a test's timeout) before ready: take down what was started.
  trap 'echo >&2; stop_components >&2; exit 130' INT TERM

  local jm_jvm jm_dyn tm_jvm tm_dyn
  resource_params GET_JM_RESOURCE_PARAMS; jm_jvm=$RESULT_JVM; jm_dyn=$RESULT_DYNAMIC
  resource_params GET_TM_RESOURCE_PARAMS; tm_jvm=$RESULT_JVM; tm_dyn=$RESULT_DYNAMIC

  # The JVM flags and dynamic properties from BashJavaUtils hold no spaces inside a value: split them.
  # shellcheck disable=SC2086
  launch jobmanager "${common[@]}" $jm_jvm "${extra[@]+"${extra[@]}"}" -Dlog.file="$LOG/jobmanager.log" \
    -cp "$LIB/*" "$JM_CLASS" --configDir "$CONF" --executionMode cluster $jm_dyn
  local i
  for i in $(seq 1 "$TASKMANAGERS"); do
    # shellcheck disable=SC2086
    launch "taskmanager-$i" "${common[@]}" $tm_jvm "${extra[@]+"${extra[@]}"}" -Dlog.file="$LOG/taskmanager-$i.log" \
      -cp "$LIB/*" "$TM_CLASS" --configDir "$CONF" $tm_dyn -D "taskmanager.resource-id=taskmanager-$i"
  done

  local url overview count=0 slots=0 deadline=$(( $(now_ms) + TIMEOUT * 1000 ))
  url=$(rest_url "$REST_PORT")
  while :; do
    local f name pid
    for f in "$PIDS"/*.pid; do
      name=$(basename "$f" .pid)
      pid=$(<"$f")
      if ! is_ours "$pid"; then
        print_log_tails
        stop_components >&2
        die "$name (pid $pid) exited during start-up; logs in $LOG"
      fi
    done
    overview=$(curl -fsS --max-time 2 "$url/overview" 2>/dev/null || true)
    count=$(echo "$overview" | sed -n 's/.*"taskmanagers":\([0-9]*\).*/\1/p')
    # A TaskManager can be listed before its slots are: ready when every slot is too.
    slots=$(echo "$overview" | sed -n 's/.*"slots-total":\([0-9]*\).*/\1/p')
    [[ ${count:-0} -ge $TASKMANAGERS && ${slots:-0} -ge $(( TASKMANAGERS * SLOTS )) ]] && break
    if (( $(now_ms) >= deadline )); then
      print_log_tails
      stop_components >&2
      die "not ready after ${TIMEOUT}s (${count:-0} of $TASKMANAGERS taskmanagers, ${slots:-0} of $(( TASKMANAGERS * SLOTS )) slots registered at $url); logs in $LOG"
    fi
    sleep 0.5
  done
  trap - INT TERM
  info "ready in $(elapsed "$t0"): $url ($count taskmanagers, $slots slots; Flink $FLINK_VERSION; workdir $WORKDIR)"
}

status() {
  local running port
  running=$(live_components)
  port=$(state_get REST_PORT)
  if [[ -z $running ]]; then
    info "not running ($WORKDIR)"
    return 3
  fi
  echo "$running" | while read -r name pid; do info "$name pid $pid"; done
  local overview
  overview=$(curl -fsS --max-time 2 "$(rest_url "$port")/overview" 2>/dev/null || true)
  if [[ -n $overview ]]; then
    info "$(rest_url "$port") $overview"
  else
    info "$(rest_url "$port") not answering (yet)"
  fi
}

case "$CMD" in
  start)  start ;;
  stop)   stop_components ;;
  status) status ;;
  -h|--help|help) usage ;;
  *)      usage >&2; exit 2 ;;
esac
