#!/usr/bin/env bash
# A Confluent-compatible schema registry for development and tests: Apicurio Registry (its
# Quarkus app from Maven Central, H2 in memory), built once by mvn into .schema-registry/ (an
# ignored folder), run on a loopback port, stopped by its process id.
#
#   scripts/schema-registry.sh build    build the runnable app (scripts/schema-registry/pom.xml), once
#   scripts/schema-registry.sh start    build, start it, wait until it answers, print the address
#                                       of its Confluent-compatible API (http://127.0.0.1:PORT/apis/ccompat/v7)
#   scripts/schema-registry.sh stop     stop it by its process id (SIGTERM, then SIGKILL)
#   scripts/schema-registry.sh status   print the address and exit 0 when it runs, else exit 3
#
# Only the address goes to stdout; progress goes to stderr, the registry's log to
# .schema-registry/registry.log. Its schemas live in memory: a restart forgets them.
#
# Environment: SCHEMA_REGISTRY_PORT (default 8081, or a free port when 8081 is taken),
# WEIR_SCHEMA_REGISTRY_DIR (default .schema-registry in the repository), JAVA (default java,
# 11 or newer). The first build fetches about 300 jars with mvn and takes a few minutes.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="${WEIR_SCHEMA_REGISTRY_DIR:-$ROOT/.schema-registry}"
APP_VERSION=2.4.2.Final # keep in step with scripts/schema-registry/pom.xml
# Quarkus's legacy-jar package (Apicurio's parent chooses it): the runner jar, its libs in build/lib.
APP="$DIR/build/weir-dev-schema-registry-$APP_VERSION-runner.jar"
PIDFILE="$DIR/registry.pid"
LOG="$DIR/registry.log"
JAVA="${JAVA:-java}"
HOST=127.0.0.1

say() { echo "schema-registry.sh: $*" >&2; }
die() { say "$*"; exit 1; }

mkdir -p "$DIR"

build() {
  [ -f "$APP" ] && return 0
  command -v mvn >/dev/null || die "mvn is needed to build the registry from Maven Central"
  say "building Apicurio Registry into $DIR/build (mvn; log: $DIR/build.log)"
  # -DskipDefault turns off the repositories Apicurio's parent pom adds (not reachable here);
  # the other flags skip the parent's checks, which need files of Apicurio's own repository.
  if ! mvn -B -f "$ROOT/scripts/schema-registry/pom.xml" -DskipDefault -DskipTests -Dmaven.test.skip=true \
    -Dcheckstyle.skip -Denforcer.skip -Dmaven.javadoc.skip -Dmaven.source.skip package >"$DIR/build.log" 2>&1; then
    grep -E 'ERROR' "$DIR/build.log" | head -n 5 >&2 || true
    die "building the registry failed; see $DIR/build.log"
  fi
  [ -f "$APP" ] || die "the build left no $APP"
}

# The pid of our registry when it runs, else nothing (a pid is ours only while its command line
# names our jar, so a recycled pid is never signalled).
running_pid() {
  [ -f "$PIDFILE" ] || return 0
  local pid
  pid="$(cat "$PIDFILE")"
  if [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "-jar $APP"; then
    echo "$pid"
  fi
}

port_in_use() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

free_port() {
  node -e "const s=require('net').createServer().listen(0,'$HOST',()=>{console.log(s.address().port);s.close()})"
}

# Whether the Confluent-compatible API answers at $1 (the base address).
answers() {
  node -e "fetch(process.argv[1] + '/subjects', { signal: AbortSignal.timeout(2000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))" "$1"
}

start() {
  build
  exec 9>"$DIR/lock"
  flock 9
  local pid
  pid="$(running_pid)"
  if [ -n "$pid" ] && [ -f "$DIR/address" ] && answers "$(cat "$DIR/address")"; then
    cat "$DIR/address"
    return 0
  fi
  [ -n "$pid" ] && stop
  local port="${SCHEMA_REGISTRY_PORT:-}"
  if [ -z "$port" ]; then
    if ! port_in_use 8081; then port=8081; else port="$(free_port)"; fi
  fi
  port_in_use "$port" && die "port $port is taken by another process"
  local address="http://$HOST:$port/apis/ccompat/v7"
  say "starting Apicurio Registry on $HOST:$port (log: $LOG)"
  local started=$SECONDS
  setsid nohup "$JAVA" -Xms64m -Xmx512m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    -Dquarkus.http.host="$HOST" -Dquarkus.http.port="$port" -Dquarkus.log.level=WARN \
    -jar "$APP" >"$LOG" 2>&1 9>&- </dev/null &
  pid=$!
  echo "$pid" >"$PIDFILE"
  while ! answers "$address"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$LOG" >&2 || true
      rm -f "$PIDFILE"
      die "the registry exited"
    fi
    if [ $((SECONDS - started)) -gt 120 ]; then
      tail -n 30 "$LOG" >&2 || true
      stop
      die "the registry did not answer within 120 s"
    fi
    sleep 0.5
  done
  echo "$address" >"$DIR/address"
  say "ready after $((SECONDS - started)) s (pid $pid)"
  echo "$address"
}

stop() {
  local pid
  pid="$(running_pid)"
  rm -f "$DIR/address"
  if [ -z "$pid" ]; then
    rm -f "$PIDFILE"
    return 0
  fi
  say "stopping the registry (pid $pid)"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$PIDFILE"
}

status() {
  local pid
  pid="$(running_pid)"
  if [ -n "$pid" ] && [ -f "$DIR/address" ]; then
    cat "$DIR/address"
    return 0
  fi
  return 3
}

case "${1:-}" in
  build) build ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) die "usage: scripts/schema-registry.sh build|start|stop|status" ;;
esac
