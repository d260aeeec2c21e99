#!/usr/bin/env bash
# Benchmarks of the console as people meet it: the release build on the embedded demo
# cluster, loaded from another process with wrk (Debian's package) and Chromium.
#
#   bench/console.sh                 # builds the release console, then measures
#   bench/console.sh --no-build      # measures the last release build
#   bench/console.sh --scale         # first seeds 10,000 pods, 1,000 CA entries, 500 routes
#
# Prints, for the README: overview, configuration and pruner SSR requests/s with p50/p99
# (8 connections, warm caches), server-function latency, memory per open live stream, and (from
# end2end/bench/live.spec.ts) kubectl patch -> DOM latency and the browser's heap.
# Nothing here asserts a time: the figures are for people to compare.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh

build=true
scale=false
for arg in "$@"; do
  case "$arg" in
    --no-build) build=false ;;
    --scale) scale=true ;;
    *) echo "bench: unknown argument \"$arg\"; use --no-build and/or --scale" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }

say() { printf 'bench: %s\n' "$*" >&2; }
$build && tools/build-site.sh --release >&2

port=${BENCH_PORT:-18500}
base="http://127.0.0.1:$port"
data=$(mktemp -d /tmp/registry-console-bench.XXXXXX)
bin="$CARGO_TARGET_DIR/release/registry-console"
streams=${BENCH_STREAMS:-200}
"$bin" serve --demo --data-dir "$data" --listen "127.0.0.1:$port" \
  --max-live-streams $((streams + 50)) --max-live-streams-per-session $((streams + 50)) \
  >"$data/console.log" 2>&1 &
console=$!
cleanup() {
  jobs -p | xargs -r kill 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT
for _ in $(seq 100); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.2; done
curl -fs "$base/healthz" >/dev/null || { cat "$data/console.log" >&2; exit 1; }
export KUBECONFIG="$data/kubeconfig"

# Signs in as the demo admin the way the sign-in page does: the page's anti-forgery
# token with the browser cookie it came with, then the one-click demo sign-in.
jar="$data/cookies"
token=$(curl -fs -c "$jar" "$base/sign-in" | sed -n 's/.*<meta name="anti-forgery" content="\([^"]*\)".*/\1/p')
[ -n "$token" ] || { echo "bench: the sign-in page carries no anti-forgery token" >&2; exit 1; }
curl -fs -b "$jar" -c "$jar" -H "x-anti-forgery: $token" -H "Origin: $base" \
  --data-urlencode user=admin "$base/api/sign_in_demo" -o /dev/null
# (curl's jar marks HttpOnly cookies with a `#HttpOnly_` prefix, not a comment.)
cookie=$(awk '{ sub(/^#HttpOnly_/, "") } !/^#/ && NF >= 7 { printf "%s%s=%s", sep, $6, $7; sep = "; " }' "$jar")
[ -n "$cookie" ] || { echo "bench: the demo sign-in set no cookie" >&2; exit 1; }
# A page signed in, for the page's own token (server functions need it).
page_token=$(curl -fs -H "Cookie: $cookie" "$base/" | sed -n 's/.*<meta name="anti-forgery" content="\([^"]*\)".*/\1/p')
curl -fs -H "Cookie: $cookie" "$base/" | grep -q 'class="user-name">admin<' \
  || { echo "bench: the overview does not show the signed-in admin" >&2; exit 1; }

if $scale; then
  say "seeding the scale run: 10,000 pods (100 of them the registry's), 1,000 CA entries, 500 routes"
  bench/seed-scale.sh >&2
fi

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$console/status"; }

# wrk's summary lines: requests/s and the latency percentiles.
run_wrk() {
  local what=$1
  shift
  local out
  out=$(wrk -t2 -c8 -d10s --latency "$@")
  local rps p50 p99
  rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
  p50=$(awk '$1 == "50%" { print $2 }' <<<"$out")
  p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
  local errors
  errors=$(awk '/Non-2xx/ { print $NF }' <<<"$out")
  printf '%-40s %10s req/s   p50 %8s   p99 %8s%s\n' "$what" "$rps" "$p50" "$p99" "${errors:+   NON-2XX $errors}"
}

say "warming the caches"
for _ in 1 2 3; do curl -fs -H "Cookie: $cookie" "$base/" -o /dev/null; done

echo "machine: $(nproc) cores, $(awk '/model name/ { $1 = $2 = $3 = ""; print; exit }' /proc/cpuinfo | sed 's/^ *//')"
echo "rss at start: $(( $(rss_kb) / 1024 )) MB"
run_wrk "overview SSR (GET /)" -H "Cookie: $cookie" "$base/"
run_wrk "configuration SSR (GET /config)" -H "Cookie: $cookie" "$base/config"
run_wrk "pruner SSR (GET /pruner)" -H "Cookie: $cookie" "$base/pruner"
lua="$data/post.lua"
cat >"$lua" <<EOF
wrk.method = "POST"
wrk.body = "{}"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cookie"] = "$cookie"
wrk.headers["x-anti-forgery"] = "$page_token"
wrk.headers["Origin"] = "$base"
EOF
run_wrk "server function overview (POST)" -s "$lua" "$base/api/overview"
run_wrk "server function registry_config (POST)" -s "$lua" "$base/api/registry_config"

# Memory per open live stream: RSS before and after $streams streams are open.
before=$(rss_kb)
for _ in $(seq "$streams"); do
  curl -sN -H "Cookie: $cookie" "$base/api/live?topic=overview" -o /dev/null &
done
sleep 5
after=$(rss_kb)
open_now=$(curl -fs "$base/metrics" | awk '/^registry_console_live_streams / { print $2 }')
echo "live streams: $streams asked, ${open_now:-?} open, rss $((before / 1024)) MB -> $((after / 1024)) MB, $(((after - before) / streams)) KB per stream"
jobs -p | grep -vx "$console" | xargs -r kill 2>/dev/null || true
sleep 1

say "Chromium: kubectl patch -> DOM latency and the browser's heap"
(cd end2end && BENCH_BASE="$base" BENCH_KUBECONFIG="$KUBECONFIG" npx playwright test --config bench.config.ts --reporter=list) \
  | grep -E '^(live|heap|  )' || true
