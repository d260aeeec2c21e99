#!/usr/bin/env bash
# Seeds the cluster $KUBECONFIG names with the scale run's objects, with kubectl:
# 10,000 pods in the registry's namespace (100 labelled as the registry's, 9,900 others),
# a ConfigMap of 1,000 CA entries named by the cluster image config's additionalTrustedCA,
# and 500 routes. Meant for the demo cluster (bench/console.sh --scale).
#
#   PODS=10000 REGISTRY_PODS=100 CAS=1000 ROUTES=500 bench/seed-scale.sh
set -euo pipefail
pods=${PODS:-10000}
registry_pods=${REGISTRY_PODS:-100}
cas=${CAS:-1000}
routes=${ROUTES:-500}
ns=openshift-image-registry
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One list per kind, written with printf (no tool beyond bash), created in one kubectl call
# (--validate=false: kubectl cannot look up the schema of a List here; the API server
# still validates every object it is sent).
list() { printf '{"apiVersion":"v1","kind":"List","items":[%s]}' "$1"; }

items=""
for i in $(seq 1 "$pods"); do
  if [ "$i" -le "$registry_pods" ]; then
    labels='"docker-registry":"default"'
    name=$(printf 'image-registry-scale-%05d' "$i")
  else
    labels='"app":"scale"'
    name=$(printf 'scale-%05d' "$i")
  fi
  items+="${items:+,}{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"$name\",\"namespace\":\"$ns\",\"labels\":{$labels}},\"spec\":{\"containers\":[{\"name\":\"main\",\"image\":\"quay.io/example/scale:1\"}]}}"
done
list "$items" >"$work/pods.json"
start=$(date +%s)
kubectl create --validate=false -f "$work/pods.json" -o name | wc -l | sed 's/$/ pods created/'
echo "pods: $(($(date +%s) - start)) s"

# One small CA (P-256, ~600 bytes of PEM) under 1,000 registry host names: the size a
# cluster with many mirrors carries, below the 1 MiB a ConfigMap may hold.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=scale-ca \
  -days 30 -keyout /dev/null -out "$work/ca.pem" 2>/dev/null
pem=$(awk '{ printf "%s\\n", $0 }' "$work/ca.pem")
data=""
for i in $(seq 1 "$cas"); do
  data+="${data:+,}\"mirror-$i.example.com..5000\":\"$pem\""
done
printf '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"scale-registry-cas","namespace":"openshift-config"},"data":{%s}}' "$data" >"$work/cas.json"
kubectl create --validate=false -f "$work/cas.json" -o name
kubectl patch images.config.openshift.io cluster --type merge \
  -p '{"spec":{"additionalTrustedCA":{"name":"scale-registry-cas"}}}' -o name

items=""
for i in $(seq 1 "$routes"); do
  items+="${items:+,}{\"apiVersion\":\"route.openshift.io/v1\",\"kind\":\"Route\",\"metadata\":{\"name\":\"scale-$i\",\"namespace\":\"$ns\"},\"spec\":{\"host\":\"scale-$i.apps.example.com\",\"to\":{\"kind\":\"Service\",\"name\":\"image-registry\"},\"tls\":{\"termination\":\"reencrypt\"}}}"
done
list "$items" >"$work/routes.json"
kubectl create --validate=false -f "$work/routes.json" -o name | wc -l | sed 's/$/ routes created/'
