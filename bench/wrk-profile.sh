#!/bin/bash
# wrk-profile.sh BIN DB — load `BIN serve` on database DB with wrk (64 connections, 60
# office_analyst tokens) and take a CPU profile of the serving process meanwhile
# (PPROF_ADDR, docs/operations.md). Prints wrk's summary with its latency percentiles and the
# CPU time per request of the serving process and of all of PostgreSQL's processes (their
# utime + stime from /proc over the load, backends, WAL writer and the rest together); the
# profile goes to /tmp/prof.cpu (`go tool pprof -top BIN /tmp/prof.cpu`). By default each
# request reads one person;
#   IDSQL    the query whose rows fill the request paths (default: 2,000 person ids)
#   PATHFMT  the request path, %s replaced by one row of IDSQL (default /api/v1/persons/%s)
#   DUR      seconds of load (default 20)
# e.g. the due lists of the 64 busiest schools:
#   IDSQL="select '\"'||code||'\"' from (select o.code from participations p join organizations o
#     on o.id=p.school_id where p.status='completed' group by o.code order by count(*) desc limit 64) x" \
#   PATHFMT='/api/v1/follow-ups/due?school=%s&as_of=2026-11-28' bench/wrk-profile.sh bin/talentdb talentdb_bench
set -euo pipefail
BIN=$1; DB=$2; PG=postgres://postgres@127.0.0.1:5432; DUR=${DUR:-20}; C=64; NTOK=60
W=$(mktemp -d); SPID=
trap 'kill $SPID 2>/dev/null || true; rm -rf "$W"' EXIT
export DATABASE_URL="$PG/$DB?sslmode=disable"
ids=$(psql "$DATABASE_URL" -Atc "${IDSQL:-select id from persons where merged_into is null order by id limit 2000}" | paste -sd, -)
PORT=$((21000 + RANDOM % 9000))
PPROF_ADDR=127.0.0.1:6061 API_RATE_PER_MINUTE=100000 LISTEN_ADDR=127.0.0.1:$PORT $BIN serve --no-migrate >"$W/serve.log" 2>&1 & SPID=$!
for _ in $(seq 60); do curl -fs 127.0.0.1:$PORT/readyz >/dev/null 2>&1 && break; sleep 0.5; done
toks=()
for i in $(seq 1 $NTOK); do
  u=prof_${RANDOM}_$i
  pw=$($BIN user add "$u" --role office_analyst --generate-password 2>&1 | grep -oE '[A-Za-z0-9_-]{16,}' | tail -1)
  j=$(curl -fs -c "$W/jar$i" -H 'Content-Type: application/json' -d "{\"username\":\"$u\",\"password\":\"$pw\"}" 127.0.0.1:$PORT/api/v1/auth/login)
  csrf=$(echo "$j" | python3 -c 'import json,sys;print(json.load(sys.stdin)["csrf_token"])')
  t=$(curl -fs -b "$W/jar$i" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' -d '{"name":"bench"}' 127.0.0.1:$PORT/api/v1/auth/tokens | python3 -c 'import json,sys;print(json.load(sys.stdin)["token"])')
  toks+=("\"$t\"")
done
cat >"$W/t.lua" <<LUA
local ids = {$ids}
local toks = {$(IFS=,; echo "${toks[*]}")}
local n = 0
request = function()
  n = n + 1
  local id = ids[(n % #ids) + 1]
  return wrk.format("GET", string.format("${PATHFMT:-/api/v1/persons/%s}", id), {["Authorization"] = "Bearer " .. toks[(n % #toks) + 1]})
end
LUA
# CPU ticks (utime + stime) of the serving process and of each PostgreSQL process, one
# "pid ticks" line each; the awk at the end sums each process's ticks since the first
# list (a process that ended meanwhile is left out, one that started counts from zero)
ticks() {
  local f
  echo "serve $(awk '{print $14+$15}' /proc/$SPID/stat)"
  for f in $(pgrep -u postgres); do awk -v p=$f '{print p, $14+$15}' /proc/$f/stat 2>/dev/null || true; done
}
wrk -t2 -c$C -d3s -s "$W/t.lua" http://127.0.0.1:$PORT/ >/dev/null # warm-up: plans, caches, the pool
ticks >"$W/t0"
wrk -t2 -c$C -d${DUR}s --latency -s "$W/t.lua" http://127.0.0.1:$PORT/ > /tmp/prof-wrk.txt &
WPID=$!
sleep 3
curl -s -o /tmp/prof.cpu "http://127.0.0.1:6061/debug/pprof/profile?seconds=$((DUR-5))"
wait $WPID
ticks >"$W/t1"
cat /tmp/prof-wrk.txt
n=$(awk '/requests in/{print $1}' /tmp/prof-wrk.txt); hz=$(getconf CLK_TCK)
awk -v n="$n" -v hz="$hz" 'NR == FNR { t0[$1] = $2; next }
  { d = $2 - ($1 in t0 ? t0[$1] : 0); if ($1 == "serve") s = d; else p += d }
  END { printf "CPU per request: serve %.3f ms, PostgreSQL %.3f ms (%d requests; the profile adds a little to serve)\n", s*1000/hz/n, p*1000/hz/n, n }' "$W/t0" "$W/t1"
