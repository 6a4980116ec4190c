#!/usr/bin/env bash
# A rehearsal of the Docker image and docker-compose.yml on a machine with no Docker engine. It is
# not a Docker test: no image is built and no container runs. It replays, with this machine's
# Node and a real Kafka broker, what the image and the README's Kafka walk-through would do:
#
#   0. docker-compose.yml loaded and validated by compose-go (the library `docker compose` uses),
#      plus what the walk-through relies on (scripts/compose-check/compose.go)
#   a. the build context: the working tree, untracked files too, less .dockerignore's patterns
#      (matched by moby/patternmatcher, as docker does), copied to a temp dir
#   b. the build stage's RUN commands, read from the Dockerfile by BuildKit's parser, run there
#      with `sh -c` and a clean environment
#   c. the runtime stage's files: only what its `COPY --from=build` lines copy, in a second dir
#   d. the image's CMD started there with node (the same major version as the runtime image),
#      only --data-dir (a temp dir) and the port (a free one) substituted
#   e. README.md's walk-through, taken from the README itself: its records produced to a new
#      topic, its CREATE SOURCE (the broker's address and the topic substituted), CREATE
#      MATERIALIZED VIEW, the SELECT compared line by line with the rows the README shows, then
#      its SUBSCRIBE (as a cursor) seeing a fourth record produced afterwards
#   f. cleanup: the server, the temp dirs, and the broker if this script started it
#
#   bash scripts/docker-rehearsal.sh            exit 0 when every step matches, else 1
#
# Environment: IMAGE_NPM (default 10.8.2, the npm of the node:20 images), KAFKA_BROKERS (a running broker, HOST:PORT[,…]; else scripts/kafka.sh's broker
# is used, started and at the end stopped if it was not running), KEEP=1 keeps the temp dir.
# Not in CI or npm test: step b runs `npm ci` and a full build (about 90 s of the 2 minutes).
# What it cannot show: that the base images (node:20-bookworm, apache/kafka) behave like this
# machine, that the compose network resolves kafka:19092, or that the kafka healthcheck passes.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
T0=$SECONDS
say() { echo "docker-rehearsal [$((SECONDS - T0))s]: $*" >&2; }
die() { echo "docker-rehearsal: FAILED: $*" >&2; exit 1; }

for tool in go node npm psql java unzip; do
  command -v "$tool" >/dev/null || die "$tool is needed (go for step 0, java for Kafka, psql for the walk-through)"
done
WORK="$(mktemp -d /tmp/weir-docker-rehearsal.XXXXXX)"
SERVER_PID=""
STOP_BROKER=""
cleanup() {
  local rc=$?
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  if [ -n "$STOP_BROKER" ]; then bash "$ROOT/scripts/kafka.sh" stop || true; fi
  if [ "${KEEP:-}" = 1 ]; then say "kept $WORK"; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- 0. the compose file ------------------------------------------------------------------------
say "step 0: building scripts/compose-check (compose-go, BuildKit's Dockerfile parser, patternmatcher)"
(cd "$ROOT/scripts/compose-check" && go build -o "$WORK/compose-check" .) || die "scripts/compose-check does not build"
CC="$WORK/compose-check"
"$CC" compose "$ROOT" >&2 || die "docker-compose.yml, see above"
"$CC" dockerfile "$ROOT" >"$WORK/plan.tsv" || die "the Dockerfile, see above"
"$CC" walkthrough "$ROOT" >"$WORK/walkthrough.tsv" || die "README.md's walk-through, see above"

# ---- a. the build context -----------------------------------------------------------------------
CONTEXT="$WORK/build" IMAGE="$WORK/image"
mkdir -p "$CONTEXT" "$IMAGE" "$WORK/data" "$WORK/home"
say "step a: build context ($("$CC" context "$ROOT" "$CONTEXT"))"

# ---- b. the build stage -------------------------------------------------------------------------
# Docker runs RUN's shell form as `/bin/sh -c` with the image's environment, not the caller's: a
# clean environment here (PATH for node and npm, an empty HOME but this machine's npm cache), and
# the npm the node:20 images ship (the one bundled with Node 20.20), not this machine's.
NPM_CACHE="$(npm config get cache)"
IMAGE_NPM="${IMAGE_NPM:-10.8.2}"
npm install --prefix "$WORK/npm" --no-audit --no-fund --silent "npm@$IMAGE_NPM" >/dev/null ||
  die "installing npm $IMAGE_NPM (the node:20 image's) failed"
BUILD_PATH="$WORK/npm/node_modules/.bin:$PATH"
[ "$(PATH="$BUILD_PATH" npm -v)" = "$IMAGE_NPM" ] || die "npm $IMAGE_NPM is not first on the build PATH"
build_image="" runtime_image=""
while IFS=$'\t' read -r stage kind rest; do
  case "$stage $kind" in
    "build image") build_image="$rest" ;;
    "runtime image") runtime_image="$rest" ;;
    "build copy-context") ;; # step a
    "build run")
      say "step b: RUN $rest  (for $build_image: npm $IMAGE_NPM)"
      if ! (cd "$CONTEXT" && env -i PATH="$BUILD_PATH" HOME="$WORK/home" npm_config_cache="$NPM_CACHE" \
        sh -c "$rest") >>"$WORK/build.log" 2>&1; then
        tail -n 40 "$WORK/build.log" >&2
        die "the build stage's RUN failed (log above)"
      fi ;;
  esac
done <"$WORK/plan.tsv"

# ---- c. the runtime stage's files ---------------------------------------------------------------
while IFS=$'\t' read -r -a f; do
  [ "${f[0]} ${f[1]}" = "runtime copy" ] || continue
  dest="${f[2]}" dest_is_dir="${f[3]}"
  for src in "${f[@]:4}"; do
    [ -e "$CONTEXT/$src" ] || die "COPY --from=build: $src does not exist after the build stage"
    if [ -d "$CONTEXT/$src" ]; then # a folder's contents land in dest
      mkdir -p "$IMAGE/$dest" && cp -a "$CONTEXT/$src/." "$IMAGE/$dest/"
    elif [ "$dest_is_dir" = 1 ]; then
      mkdir -p "$IMAGE/$dest" && cp -a "$CONTEXT/$src" "$IMAGE/$dest/"
    else
      mkdir -p "$(dirname "$IMAGE/$dest")" && cp -a "$CONTEXT/$src" "$IMAGE/$dest"
    fi
  done
done <"$WORK/plan.tsv"
say "step c: runtime files for $runtime_image: $(cd "$IMAGE" && find . -mindepth 1 -maxdepth 1 -printf '%P ')($(du -sh "$IMAGE" | cut -f1))"
rm -rf "$CONTEXT" # nothing in the image may reach back into the build stage

# ---- d. the image's CMD -------------------------------------------------------------------------
# Node resolves packages from every ancestor's node_modules: none may exist above the image dir.
d="$IMAGE"
while [ "$d" != / ]; do d="$(dirname "$d")"; [ ! -e "$d/node_modules" ] || die "$d/node_modules would leak into the image"; done
image_major="$(sed -nE 's/^node:([0-9]+).*/\1/p' <<<"$runtime_image")"
[ -n "$image_major" ] || die "the runtime image $runtime_image is not a node:<major> image; the rehearsal runs the CMD with node"
[ "$(node -p 'process.versions.node.split(".")[0]')" = "$image_major" ] ||
  die "the image runs Node $image_major but this machine's node is $(node -v)"
PORT="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
IFS=$'\t' read -r -a cmd < <(sed -n 's/^runtime\tcmd\t//p' "$WORK/plan.tsv")
run=() port_set=""
for ((i = 0; i < ${#cmd[@]}; i++)); do
  case "${cmd[i]}" in
    --data-dir) run+=(--data-dir "$WORK/data"); i=$((i + 1)) ;;
    --port) run+=(--port "$PORT"); i=$((i + 1)); port_set=1 ;;
    *) run+=("${cmd[i]}") ;;
  esac
done
[ -n "$port_set" ] || run+=(--port "$PORT")
say "step d: starting the CMD in the image dir: ${run[*]}"
(cd "$IMAGE" && exec env -i PATH="$PATH" HOME="$WORK/home" "${run[@]}") >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U weir weir)
for _ in $(seq 1 100); do
  kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 30 "$WORK/server.log" >&2; die "the server exited at start (log above)"; }
  "${PSQL[@]}" -c 'SELECT 1' >/dev/null 2>&1 && break
  sleep 0.2
done
"${PSQL[@]}" -c 'SELECT 1' >/dev/null || die "the server does not answer psql on port $PORT"

# ---- e. the README's walk-through ---------------------------------------------------------------
if [ -n "${KAFKA_BROKERS:-}" ]; then
  BROKER="${KAFKA_BROKERS%%,*}"
elif BROKER="$(bash "$ROOT/scripts/kafka.sh" status 2>/dev/null)"; then
  :
else
  BROKER="$(bash "$ROOT/scripts/kafka.sh" start)" || die "scripts/kafka.sh could not start a broker"
  STOP_BROKER=1
fi
bash "$ROOT/scripts/kafka.sh" fetch # the jars, for the producer (a no-op once fetched)
LIBS="${WEIR_KAFKA_LIBS:-${WEIR_KAFKA_DIR:-$ROOT/.kafka}/libs}"
field() { sed -n "s/^$1\t//p" "$WORK/walkthrough.tsv"; }
README_BROKER="$(field broker)" README_TOPIC="$(field topic)" PARTITIONS="$(field partitions)"
TOPIC="weir_docker_rehearsal_$(date +%s)_$$"
# Kafka's own ConsoleProducer when the jars have it (kafka-tools), else scripts/kafka/Produce.java.
if grep -qs 'org/apache/kafka/tools/ConsoleProducer.class' <(for j in "$LIBS"/*.jar; do unzip -l "$j"; done); then
  PRODUCER="Kafka's ConsoleProducer"
  produce() { # the topic made first (no records), with the compose broker's partition count
    java -cp "$LIBS/*" "$ROOT/scripts/kafka/Produce.java" "$BROKER" "$TOPIC" "$PARTITIONS" </dev/null &&
      java -cp "$LIBS/*" org.apache.kafka.tools.ConsoleProducer --bootstrap-server "$BROKER" --topic "$TOPIC"
  }
else
  PRODUCER="scripts/kafka/Produce.java (the jars have no ConsoleProducer)"
  produce() { java -cp "$LIBS/*" "$ROOT/scripts/kafka/Produce.java" "$BROKER" "$TOPIC" "$PARTITIONS"; }
fi
say "step e: broker $BROKER, topic $TOPIC ($PARTITIONS partitions, as the compose broker makes), producer: $PRODUCER"
field record | produce || die "producing the README's records failed"

expected="$WORK/expected.txt" actual="$WORK/actual.txt"
run_sql() { # one statement of the README, with its expected output when it shows one
  local sql="$1"
  sql="${sql//"'$README_BROKER'"/"'$BROKER'"}"
  sql="${sql//"topic = '$README_TOPIC'"/"topic = '$TOPIC'"}"
  case "$sql" in
    SUBSCRIBE*) subscribe "$sql"; return ;;
  esac
  if [ ! -s "$expected" ]; then
    say "  $sql"
    "${PSQL[@]}" -c "$sql" >/dev/null || die "psql: $sql"
    return
  fi
  say "  $sql  (expecting the README's $(wc -l <"$expected") lines)"
  # The source reads the topic as ticks commit: poll until the rows match or 60 s pass.
  local deadline=$((SECONDS + 60))
  while :; do
    "${PSQL[@]}" -c "$sql" | sed -e 's/[[:space:]]*$//' -e '/^$/d' >"$actual" || die "psql: $sql"
    cmp -s "$expected" "$actual" && break
    if [ "$SECONDS" -ge "$deadline" ]; then
      diff -u --label README "$expected" --label psql "$actual" >&2 || true
      die "$sql does not show the README's rows after 60 s (diff above)"
    fi
    sleep 0.5
  done
  say "  the output matches the README"
}

# The README's SUBSCRIBE as a cursor: the snapshot must be the README's rows, and a fourth record
# produced after the DECLARE must arrive as its change (the old row retracted, the new one added).
FOURTH_AUCTION=2 FOURTH_PRICE=130
FOURTH="{\"auction\": $FOURTH_AUCTION, \"bidder\": 9, \"price\": $FOURTH_PRICE, \"date_time\": \"2026-11-26 10:00:06\"}"
subscribe() {
  say "  DECLARE c CURSOR FOR $1; FETCH; then a fourth record: $FOURTH"
  local out="$WORK/subscribe.txt"
  printf '%s\n' "$FOURTH" >"$WORK/fourth.json"
  {
    echo "BEGIN;"
    echo "DECLARE c CURSOR FOR $1;"
    echo "FETCH ALL c WITH (timeout = '5s');"
    printf '%s\n' '\echo --- produced'
    echo "\\! java -cp '$LIBS/*' '$ROOT/scripts/kafka/Produce.java' '$BROKER' '$TOPIC' '$PARTITIONS' < '$WORK/fourth.json'"
    echo "FETCH ALL c WITH (timeout = '30s');"
    echo "FETCH ALL c WITH (timeout = '2s');"
    echo "COMMIT;"
  } | "${PSQL[@]}" -A -t -F ' ' >"$out" 2>"$WORK/subscribe.err" || { cat "$WORK/subscribe.err" >&2; die "the SUBSCRIBE cursor failed"; }
  # Rows are: mz_timestamp mz_diff auction price bids.
  local snapshot changes
  snapshot="$(sed '/^--- produced$/q' "$out" | awk 'NF == 5 { print $2, $3, $4, $5 }' | sort)"
  changes="$(sed '1,/^--- produced$/d' "$out" | awk 'NF == 5 { print $2, $3, $4, $5 }' | sort)"
  local want_snapshot want_changes
  want_snapshot="$(awk -F'|' 'NR > 2 && NF == 3 { gsub(/ /, ""); print 1, $1, $2, $3 }' "$WORK/select-expected.txt" | sort)"
  # The fourth record's auction as the README shows it, then as the fourth record leaves it.
  want_changes="$(awk -F'|' -v auction="$FOURTH_AUCTION" -v price="$FOURTH_PRICE" '
    NR > 2 && NF == 3 { gsub(/ /, "") } $1 == auction && NF == 3 {
    print -1, $1, $2, $3; print 1, $1, ($2 > price ? $2 : price), $3 + 1 }' "$WORK/select-expected.txt" | sort)"
  [ "$snapshot" = "$want_snapshot" ] || { cat "$out" >&2; die "the SUBSCRIBE snapshot is not the README's rows"; }
  [ "$changes" = "$want_changes" ] || { cat "$out" >&2; die "the SUBSCRIBE did not show the fourth record's change: want $(tr '\n' ';' <<<"$want_changes")"; }
  say "  the snapshot is the README's rows; the fourth record arrived as (mz_diff auction price bids) $(tr '\n' ';' <<<"$changes")"
}

sql=""
: >"$expected"
while IFS=$'\t' read -r kind text; do
  case "$kind" in
    sql)
      if [ -n "$sql" ]; then run_sql "$sql"; fi
      sql="$text"
      : >"$expected" ;;
    expect)
      echo "$text" >>"$expected"
      cp "$expected" "$WORK/select-expected.txt" ;;
  esac
done < <(grep -E '^(sql|expect)	' "$WORK/walkthrough.tsv")
run_sql "$sql"

kill -0 "$SERVER_PID" 2>/dev/null || die "the server died during the walk-through"
grep -q '"level":50\|"level":60' "$WORK/server.log" && { grep '"level":50\|"level":60' "$WORK/server.log" | head -5 >&2; die "the server logged errors"; }
say "passed: a rehearsal, not a Docker test (no image was built, no container ran)"
