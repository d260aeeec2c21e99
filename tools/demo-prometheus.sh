#!/usr/bin/env bash
# Runs Debian's Prometheus (apt-get install prometheus) against the demo cluster's registry
# pods, as the cluster's monitoring scrapes a real registry, so the console's Prometheus
# source can be tried offline. The demo keeps DATA_DIR/registry/prometheus-targets.json
# current (one target per registry pod, labelled namespace and pod).
#
#   tools/demo-prometheus.sh [DATA_DIR]   # Prometheus on 127.0.0.1:9090, scraping every 5 s
#   scripts/start.sh --prometheus-url http://127.0.0.1:9090 --prometheus-scrape-seconds 5
#
# DATA_DIR defaults to the console's ($XDG_STATE_HOME/registry-console). Ctrl-C stops it;
# its data lives in a temporary directory that goes with it.
set -euo pipefail
data_dir=${1:-${XDG_STATE_HOME:-$HOME/.local/state}/registry-console}
targets="$data_dir/registry/prometheus-targets.json"
listen=${PROMETHEUS_LISTEN:-127.0.0.1:9090}
if ! command -v prometheus >/dev/null; then
  echo "demo-prometheus: no prometheus on PATH: sudo apt-get install --no-install-recommends prometheus" >&2
  exit 1
fi
if [ ! -f "$targets" ]; then
  echo "demo-prometheus: $targets does not exist yet: start the console on the demo first (scripts/start.sh)" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/prometheus.yml" <<YAML
global: {scrape_interval: 5s, evaluation_interval: 5s}
scrape_configs:
  - job_name: image-registry
    file_sd_configs: [{files: ['$targets']}]
YAML
echo "demo-prometheus: http://$listen scraping the targets in $targets" >&2
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
  --web.listen-address="$listen" --log.level=warn
