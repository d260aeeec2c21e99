//! Conformance: the demo cluster against a real Kubernetes API server.
//!
//! The demo cluster (this crate) imitates a Kubernetes API server. This suite keeps it honest:
//! the same scenarios run against a real `kube-apiserver` v1.20.2 (built from Debian's own
//! `kubernetes` source package by `tools/kube-apiserver.sh`, with Debian's `etcd`) and against
//! the demo cluster, and their normalized observations must be equal.
//!
//! # Running
//!
//! ```sh
//! tools/kube-apiserver.sh                      # once: builds and caches the binary (~4-10 min)
//! cargo test -p demo-cluster --test conformance
//! ```
//!
//! The binary is `$KUBE_APISERVER` if set, else
//! `${REGISTRY_CONSOLE_CACHE:-$HOME/.cache/registry-console}/kube-apiserver-v1.20.2/kube-apiserver`.
//! When it (or `etcd`, or `openssl`) is missing, the tests print
//! `SKIPPED: conformance against a real kube-apiserver: <why>` to stderr and return, unless
//! `CONFORMANCE_REQUIRED=1`, which makes them fail instead (for CI, after running the script).
//! `CONFORMANCE_TRANSCRIPT=FILE` writes every raw exchange with the real server (request,
//! status code, exact body) as JSON; `CONFORMANCE_OBSERVATIONS=FILE` and
//! `CONFORMANCE_DEMO_OBSERVATIONS=FILE` write the normalized observations of the real server and
//! of the demo cluster.
//!
//! # What runs
//!
//! - `real_apiserver_meets_expectations`: the scenarios against the real server only, with
//!   explicit expectations (status codes, Status reasons and causes, defaults, generations,
//!   watch events, authorization answers): it proves the scenarios say what a real server does,
//!   independently of the demo cluster.
//! - `real_apiserver_and_demo_cluster_agree`: the scenarios against both; every difference is
//!   listed, and the first one is shown in detail. While `DemoCluster::start` is still a
//!   `todo!()` the test reports itself SKIPPED (or fails with `CONFORMANCE_REQUIRED=1`).
//!   `KNOWN_DIFFERENCES` lists the few steps where the demo cluster may answer differently
//!   (a 1.20 bug it need not copy), with the reason; such differences are printed, not failed.
//!
//! The real server runs once per test process (its observations are shared by both tests);
//! it listens on random loopback ports, keeps etcd's data in a temporary directory, and is
//! killed when the observations are taken.
//!
//! # The real server
//!
//! etcd (`--data-dir` in a tempdir, client and peer URLs on free loopback ports), then
//! kube-apiserver as `shared/reference/components.md` describes: self-signed serving
//! certificate in a temporary `--cert-dir`, `--token-auth-file` with two users (`admin` in
//! group `system:masters`, `viewer`), `--authorization-mode=RBAC`, service-account keys made
//! with `openssl genrsa`, `--endpoint-reconciler-type=none`,
//! `--enable-priority-and-fairness=false`. Then, like the demo cluster's seed: ClusterRole
//! `demo-viewer` (get/list/watch on every core resource except `secrets`, listed explicitly,
//! and on every resource of the other Kubernetes and OpenShift API groups, also listed) bound
//! to user `viewer` by ClusterRoleBinding `demo-viewer`; and the openshift/api CRDs read at
//! test time from `shared/reference/crds/` (never copied into the repo), adapted for 1.20 as
//! `real::ADAPTATIONS` lists (each adaptation is a known difference from a current cluster).
//! No controller manager runs: namespaces are never deleted by the scenarios.
//!
//! # Scenarios and normalization
//!
//! Each scenario (`scenarios.rs`) is an `async fn(&Target) -> serde_json::Value`; it records
//! numbered steps. Observations keep status codes and bodies but drop what differs between
//! any two servers: `metadata.uid`, `creationTimestamp`, `resourceVersion`, `managedFields`,
//! `selfLink`; a `Status` keeps `kind`, `apiVersion`, `status`, `reason`, `code`, `details`
//! (`name`, `group`, `kind`, each cause's `field` and `reason`), and its `message` only for
//! NotFound, AlreadyExists, Conflict, Forbidden and Unauthorized. Relative facts replace
//! volatile values ("resourceVersion increased", `generation`).
//!
//! - `core_configmaps`: namespace and ConfigMap CRUD, label selectors (`a=b`, `a!=b`,
//!   `a in (x,y)`, `a notin (x,y)`, `!a`, `a`, `a=x,other`), field selectors, 404, 409
//!   AlreadyExists, 409 Conflict on a stale resourceVersion, unconditional PUT, name mismatch,
//!   merge patch, JSON patch (including a failing `test` and a bad path), malformed patches,
//!   delete.
//! - `dry_run`: `dryRun=All` on create, patch, replace and delete persists nothing.
//! - `custom_resources`: `configs.imageregistry.operator.openshift.io` (names other than
//!   `cluster`, which the demo cluster's simulated operator ignores): 422 with causes, schema
//!   defaults, pruning of unknown fields, `metadata.generation`, status subresource, 415 for
//!   strategic merge patch; imagepruners, images and clusteroperators.
//! - `watch`: a watch from a resourceVersion taken before three changes delivers exactly
//!   ADDED, MODIFIED, DELETED in order, for ConfigMaps and for a custom resource.
//! - `auth`: the viewer reads but cannot write or read secrets (403 Forbidden), a bad token
//!   gets 401, no token gets 403 as `system:anonymous`, SelfSubjectAccessReview answers.

#[path = "conformance/expectations.rs"]
mod expectations;
#[path = "conformance/real.rs"]
mod real;
#[path = "conformance/scenarios.rs"]
mod scenarios;
#[path = "conformance/target.rs"]
mod target;

use std::io::Write;
use std::sync::Arc;
use std::time::Instant;

use serde_json::Value;
use tokio::sync::OnceCell;

use target::{Target, diff};

type Observations = Vec<(&'static str, Value)>;

/// Steps where the demo cluster may answer differently from kube-apiserver 1.20:
/// `(scenario, step, why)`. The real-server test still pins what 1.20 does there.
const KNOWN_DIFFERENCES: &[(&str, &str, &str)] = &[
    (
        "core_configmaps",
        "merge patch that is not JSON",
        "kube-apiserver 1.20 answers a malformed merge patch with 500 and a Status without reason \
         (message \"Invalid JSON Patch\"), a server bug; 400 BadRequest is a better answer",
    ),
    (
        "custom_resources",
        "route (defaults)",
        "OpenShift's route API fills an empty spec.host on create (NAME-NAMESPACE.apps domain), \
         which the guide's 6.1 reads; kube-apiserver serving the Route CRD has no such admission",
    ),
];

/// The real server's observations, taken once per process.
static REAL: OnceCell<Result<Arc<Observations>, String>> = OnceCell::const_new();

/// Prints straight to the process's stderr: the test harness does not capture it.
fn loud(message: &str) {
    let _ = writeln!(std::io::stderr(), "{message}");
}

fn required() -> bool {
    std::env::var("CONFORMANCE_REQUIRED").is_ok_and(|v| v == "1")
}

/// Skips loudly, or fails when `CONFORMANCE_REQUIRED=1`.
fn unavailable(why: &str) {
    if required() {
        panic!(
            "conformance against a real kube-apiserver is required (CONFORMANCE_REQUIRED=1), but {why}; \
             run tools/kube-apiserver.sh to build it"
        );
    }
    loud(&format!(
        "SKIPPED: conformance against a real kube-apiserver: {why}; run tools/kube-apiserver.sh \
         to build it (or set KUBE_APISERVER), CONFORMANCE_REQUIRED=1 makes this a failure"
    ));
}

async fn real_observations() -> Result<Arc<Observations>, String> {
    REAL.get_or_init(|| async {
        let server = real::RealServer::start().await?;
        let target = server.target().await;
        let started = Instant::now();
        let observations = scenarios::run_all(&target).await;
        eprintln!(
            "scenarios against the {} took {:.2}s",
            target.name,
            started.elapsed().as_secs_f64()
        );
        if let Some(path) = std::env::var_os("CONFORMANCE_TRANSCRIPT") {
            let transcript = target.transcript.lock().unwrap();
            std::fs::write(&path, serde_json::to_string_pretty(&*transcript).unwrap()).unwrap();
        }
        if let Some(path) = std::env::var_os("CONFORMANCE_OBSERVATIONS") {
            let map: serde_json::Map<String, Value> = observations
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect();
            std::fs::write(&path, serde_json::to_string_pretty(&map).unwrap()).unwrap();
        }
        drop(target);
        drop(server);
        Ok(Arc::new(observations))
    })
    .await
    .clone()
}

#[tokio::test]
async fn real_apiserver_meets_expectations() {
    let observations = match real_observations().await {
        Ok(o) => o,
        Err(why) => return unavailable(&why),
    };
    let mut failures = Vec::new();
    for (scenario, observation) in observations.iter() {
        expectations::check(scenario, observation, &mut failures);
    }
    assert!(
        failures.is_empty(),
        "the real kube-apiserver did not do what the scenarios expect:\n{}",
        failures.join("\n")
    );
}

#[tokio::test]
async fn real_apiserver_and_demo_cluster_agree() {
    let real = match real_observations().await {
        Ok(o) => o,
        Err(why) => return unavailable(&why),
    };
    let dir = tempfile::Builder::new()
        .prefix("conformance-demo-")
        .tempdir()
        .unwrap();
    let options = demo_cluster::Options {
        data_dir: dir.path().to_path_buf(),
        listen: "127.0.0.1:0".parse().unwrap(),
        reset: true,
        run_operator: true,
        registry_listen: None,
        traffic: None,
    };
    let started = Instant::now();
    let (demo, target) = match start_demo(options).await {
        Ok(started) => started,
        Err(why) => {
            if required() {
                panic!("the demo cluster did not start: {why}");
            }
            return loud(&format!(
                "SKIPPED: conformance of the demo cluster against a real kube-apiserver: the demo \
                 cluster did not start ({why})"
            ));
        }
    };
    let start_time = started.elapsed();
    // The demo cluster's kubeconfig must work like the real one's.
    for context in ["admin", "viewer"] {
        let client = real::client_from_kubeconfig(&target.kubeconfig, context).await;
        let r = target::send(
            &client,
            http::Request::get("/api/v1/namespaces/default")
                .body(Vec::new())
                .unwrap(),
        )
        .await;
        assert_eq!(
            r.code, 200,
            "context {context} of the demo cluster's kubeconfig cannot get namespace default: {}",
            r.raw
        );
    }
    let scenario_start = Instant::now();
    let observed = scenarios::run_all(&target).await;
    eprintln!(
        "{}: started in {:.2}s, scenarios took {:.2}s",
        target.name,
        start_time.as_secs_f64(),
        scenario_start.elapsed().as_secs_f64()
    );
    if let Some(path) = std::env::var_os("CONFORMANCE_DEMO_OBSERVATIONS") {
        let map: serde_json::Map<String, Value> = observed
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        std::fs::write(&path, serde_json::to_string_pretty(&map).unwrap()).unwrap();
    }
    drop(target);
    demo.shutdown().await;

    let mut report = Vec::new();
    let mut first = None;
    for ((scenario, want), (_, got)) in real.iter().zip(observed.iter()) {
        let (Value::Object(want_steps), Value::Object(got_steps)) = (want, got) else {
            unreachable!()
        };
        for (step, want_step) in want_steps {
            let got_step = got_steps.get(step).unwrap_or(&Value::Null);
            let mut lines = Vec::new();
            diff("", want_step, got_step, &mut lines);
            if lines.is_empty() {
                continue;
            }
            let name = step.split_once(' ').map_or(step.as_str(), |(_, name)| name);
            if let Some((_, _, why)) = KNOWN_DIFFERENCES
                .iter()
                .find(|(s, n, _)| s == scenario && *n == name)
            {
                eprintln!(
                    "tolerated difference in {scenario} / {step} ({why}): {}",
                    lines.join("; ")
                );
                continue;
            }
            if first.is_none() {
                first = Some(format!(
                    "first disagreement: scenario {scenario}, step \"{step}\"\n  differences:\n    {}\n  \
                     real kube-apiserver:\n{}\n  demo cluster:\n{}",
                    lines.join("\n    "),
                    indent(want_step),
                    indent(got_step)
                ));
            }
            report.push(format!("{scenario} / {step}: {}", lines.join("; ")));
        }
    }
    if let Some(first) = first {
        panic!(
            "the demo cluster disagrees with the real kube-apiserver in {} step(s)\n\n{first}\n\nall \
             disagreements:\n{}",
            report.len(),
            report.join("\n")
        );
    }
}

fn indent(v: &Value) -> String {
    serde_json::to_string_pretty(v)
        .unwrap()
        .lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Starts the demo cluster and its target; a panic (a `todo!()` while it is being written) is
/// an error.
async fn start_demo(
    options: demo_cluster::Options,
) -> Result<(demo_cluster::DemoCluster, Target), String> {
    use demo_cluster::DemoUser;
    use futures::FutureExt;
    let started = std::panic::AssertUnwindSafe(async move {
        let demo = demo_cluster::DemoCluster::start(options)
            .await
            .map_err(|e| e.to_string())?;
        let target = Target::new(
            "demo cluster",
            demo.url(),
            demo.kubeconfig_path(),
            demo.client(DemoUser::Admin).await,
            demo.client(DemoUser::Viewer).await,
            demo.token(DemoUser::Admin).to_string(),
            demo.token(DemoUser::Viewer).to_string(),
        );
        Ok::<_, String>((demo, target))
    })
    .catch_unwind()
    .await;
    match started {
        Ok(result) => result,
        Err(panic) => Err(panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .map(|s| format!("it panicked: {s}"))
            .unwrap_or_else(|| "it panicked".into())),
    }
}
