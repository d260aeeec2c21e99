#!/usr/bin/env bash
# Prints the path of a real kube-apiserver v1.20.2, building it first when it is missing.
#
# No Debian package ships kube-apiserver, but it builds from Debian's own `kubernetes`
# source package (see shared/reference/components.md, "A real Kubernetes API server").
# The conformance suite (demo-cluster/tests/conformance.rs) runs the demo cluster's
# scenarios against it.
#
#   tools/kube-apiserver.sh            # prints e.g. ~/.cache/registry-console/kube-apiserver-v1.20.2/kube-apiserver
#   KUBE_APISERVER=$(tools/kube-apiserver.sh) cargo test -p demo-cluster --test conformance
#
# - The binary is cached outside the repository, in
#   ${REGISTRY_CONSOLE_CACHE:-$HOME/.cache/registry-console}/kube-apiserver-v1.20.2/, and only
#   built when missing (~4-10 min on 2 cores; ~1.2 GB of Go build cache, removed afterwards).
# - Installs with apt-get what it needs when missing: etcd-server (the tests run it),
#   golang-go, golang-github-modern-go-reflect2-dev, dpkg-dev.
# - Fetches the source with apt's own client through deb-src entries written to a separate
#   sources directory with a separate lists directory under the cache: the system's apt
#   configuration and package lists are left untouched.
# - Two fixes to the source are needed: Debian's copy of modern-go/reflect2 replaces the
#   vendored one (the vendored one makes the server die with "fatal error: fault" on the
#   first custom-resource write under Go 1.19), and the OpenAPI definitions are generated
#   with the vendored openapi-gen (otherwise: "undefined: openapi.GetOpenAPIDefinitions").
#
# Progress goes to stderr; stdout carries only the path. Exit status 3: not a Debian machine.
set -euo pipefail

VERSION=v1.20.2
CACHE="${REGISTRY_CONSOLE_CACHE:-$HOME/.cache/registry-console}"
DEST="$CACHE/kube-apiserver-$VERSION"
BIN="$DEST/kube-apiserver"
PACKAGES=(etcd-server golang-go golang-github-modern-go-reflect2-dev dpkg-dev)

log() { echo "kube-apiserver.sh: $*" >&2; }

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
is_debian() { command -v apt-get >/dev/null 2>&1 && command -v dpkg-query >/dev/null 2>&1; }

SUDO=()
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
fi

# Installs the packages among "$@" that are missing.
ensure_packages() {
    local missing=() p
    for p in "$@"; do
        installed "$p" || missing+=("$p")
    done
    [ "${#missing[@]}" -gt 0 ] || return 0
    log "installing ${missing[*]} with apt-get"
    "${SUDO[@]}" apt-get update -q >&2
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        -o DPkg::Lock::Timeout=600 "${missing[@]}" >&2
}

if [ -x "$BIN" ]; then
    # Built already: the tests still need etcd.
    if is_debian; then
        ensure_packages etcd-server
    elif ! command -v etcd >/dev/null 2>&1; then
        log "warning: no etcd on PATH; the conformance tests need it"
    fi
    echo "$BIN"
    exit 0
fi

if ! is_debian; then
    log "this is not a Debian machine (no apt-get): cannot build kube-apiserver $VERSION from"
    log "Debian's kubernetes source package here. Build it another way and point the"
    log "conformance tests at it with KUBE_APISERVER=/path/to/kube-apiserver."
    exit 3
fi

ensure_packages "${PACKAGES[@]}"

mkdir -p "$CACHE"
WORK="$(mktemp -d "$CACHE/kube-apiserver-build.XXXXXX")"
cleanup() { if [ -n "${KUBE_APISERVER_KEEP_BUILD:-}" ]; then log "kept build directory $WORK"; else rm -rf "$WORK"; fi; }
trap cleanup EXIT
start=$(date +%s)

# --- 1. deb-src entries for the same Debian archives and suites as the system's deb entries,
#        in a separate sources directory with its own lists directory.
APT_DIR="$WORK/apt-src"
mkdir -p "$APT_DIR/sources.list.d" "$APT_DIR/lists/partial"
: >"$APT_DIR/sources.list"
# One-line format (sources.list and *.list): every "deb" line of a Debian archive.
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    sed -nE 's/^[[:space:]]*deb([[:space:]].*debian.*)$/deb-src\1/p' "$f" >>"$APT_DIR/sources.list"
done
# deb822 format (*.sources): every enabled stanza of type deb pointing at a Debian archive.
for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk '
        function flush() {
            if (stanza != "" && types ~ /(^|[ \t])deb([ \t]|$)/ && uris ~ /debian/ && enabled !~ /^[ \t]*no/) {
                print stanza
            }
            stanza = ""; types = ""; uris = ""; enabled = ""
        }
        /^[ \t]*$/ { flush(); next }
        /^#/ { next }
        /^Types:/ { types = substr($0, 7); stanza = stanza "Types: deb-src\n"; next }
        /^URIs:/ { uris = substr($0, 6) }
        /^Enabled:/ { enabled = substr($0, 9) }
        { stanza = stanza $0 "\n" }
        END { flush() }
    ' "$f" >"$APT_DIR/sources.list.d/$(basename "$f")"
done
if ! grep -qs . "$APT_DIR/sources.list" "$APT_DIR"/sources.list.d/*.sources; then
    log "found no Debian archive among the deb entries in /etc/apt: cannot add deb-src entries"
    exit 1
fi
APT_SRC=(
    -o "Dir::Etc::SourceList=$APT_DIR/sources.list"
    -o "Dir::Etc::SourceParts=$APT_DIR/sources.list.d"
    -o "Dir::State::Lists=$APT_DIR/lists"
    -o "Dir::Cache::pkgcache="
    -o "Dir::Cache::srcpkgcache="
    -o "APT::Sandbox::User=root"
)
log "fetching source indexes (separate lists in $APT_DIR)"
apt-get "${APT_SRC[@]}" update -q >&2 || log "apt-get update reported errors; trying the download anyway"

# --- 2. the source package
mkdir -p "$WORK/download"
log "downloading Debian's kubernetes source package (~34 MB)"
(cd "$WORK/download" && apt-get "${APT_SRC[@]}" source --download-only -q kubernetes >&2)
dsc=$(ls "$WORK"/download/kubernetes_*.dsc)
export GOPATH="$WORK/gopath"
SRC="$GOPATH/src/k8s.io/kubernetes"
mkdir -p "$(dirname "$SRC")"
log "unpacking $(basename "$dsc")"
dpkg-source -x "$dsc" "$SRC" >&2
debver=$(sed -nE 's/^Version: *//p' "$dsc" | head -n1)
rm -rf "$WORK/download"
case "$debver" in
*really1.20.2* | 1.20.2*) ;;
*)
    log "Debian's kubernetes source package is version $debver, not upstream 1.20.2:"
    log "the conformance suite's expectations are for kube-apiserver v1.20.2"
    exit 1
    ;;
esac
log "source $debver unpacked in $SRC"

# --- 3. fix 1: Debian's modern-go/reflect2 instead of the vendored one
REFLECT2=/usr/share/gocode/src/github.com/modern-go/reflect2
[ -d "$REFLECT2" ] || { log "missing $REFLECT2 (package golang-github-modern-go-reflect2-dev)"; exit 1; }
rm -rf "$SRC/vendor/github.com/modern-go/reflect2"
cp -rL "$REFLECT2" "$SRC/vendor/github.com/modern-go/reflect2"

export GO111MODULE=off GOPROXY=off CGO_ENABLED=0 GOFLAGS=
export GOCACHE="$WORK/gocache"
export PATH="/usr/lib/go/bin:$PATH"
log "using $(go version)"

# --- 4. fix 2: generate pkg/generated/openapi/zz_generated.openapi.go with the vendored openapi-gen,
#        over the same packages as the upstream Makefile (every package with a +k8s:openapi-gen= tag).
cd "$SRC"
log "building openapi-gen"
go build -o "$WORK/openapi-gen" k8s.io/kubernetes/vendor/k8s.io/kube-openapi/cmd/openapi-gen
log "generating OpenAPI definitions"
# Same selection as build/root/Makefile.generated_files (KUBE_OPENAPI_TAG_FILES): Go files with a
# "// +k8s:" tag line and a "+k8s:openapi-gen=" tag, outside ./_*, ./.* and ./vendor, staging/src
# seen as its vendor/ import path, without code-generator's examples and sample-apiserver.
openapi_pkgs=$(
    find -H . \( -path './_*' -o -path './.*' -o -path ./vendor \) -prune -o -type f -name '*.go' -print |
        xargs grep -l '^// *+k8s:' | xargs grep -l '+k8s:openapi-gen=' |
        sed 's|/[^/]*$||; s|^\./||' | sort -u |
        grep -v -e '^staging/src/k8s.io/code-generator/' -e '^staging/src/k8s.io/sample-apiserver/' |
        sed -E 's,^staging/src/,,; t; s,^,k8s.io/kubernetes/,' | sort -u | paste -sd, -
)
"$WORK/openapi-gen" \
    --logtostderr \
    --go-header-file hack/boilerplate/boilerplate.generatego.txt \
    --input-dirs "$openapi_pkgs" \
    --output-package k8s.io/kubernetes/pkg/generated/openapi \
    --output-file-base zz_generated.openapi \
    --output-base "$GOPATH/src" \
    --report-filename "$WORK/openapi-violations.report" >&2 2>"$WORK/openapi-gen.log" || {
    tail -n 30 "$WORK/openapi-gen.log" >&2
    exit 1
}
[ -s pkg/generated/openapi/zz_generated.openapi.go ] || { log "openapi-gen produced nothing"; exit 1; }

# --- 5. the server itself
log "building kube-apiserver (takes a few minutes on 2 cores)"
# What hack/lib/version.sh would stamp (GOPATH mode: the vendored import paths).
ldflags="-s -w"
for pkg in k8s.io/kubernetes/vendor/k8s.io/component-base/version k8s.io/kubernetes/vendor/k8s.io/client-go/pkg/version; do
    ldflags="$ldflags -X $pkg.gitVersion=$VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=20 -X $pkg.gitTreeState=archive"
done
go build -ldflags "$ldflags" -o "$WORK/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver
"$WORK/kube-apiserver" --version >&2

mkdir -p "$DEST"
mv "$WORK/kube-apiserver" "$BIN.tmp"
mv "$BIN.tmp" "$BIN"
log "built $BIN in $(($(date +%s) - start)) s"
echo "$BIN"
