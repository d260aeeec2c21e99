//! The demo cluster with an independent client: the real `kubectl` binary, driven through
//! the kubeconfig the demo cluster writes.

mod common;

use std::process::{Command, Output, Stdio};
use std::time::Duration;

use common::{TestCluster, eventually};

fn kubectl(tc: &TestCluster, args: &[&str]) -> Output {
    Command::new("kubectl")
        .arg("--kubeconfig")
        .arg(tc.cluster.kubeconfig_path())
        .args(args)
        .output()
        .expect("kubectl is installed (Debian package kubernetes-client)")
}

fn ok(tc: &TestCluster, args: &[&str]) -> String {
    let out = kubectl(tc, args);
    assert!(
        out.status.success(),
        "kubectl {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// [`ok`] for a command line as typed at a terminal (split at white space).
fn run(tc: &TestCluster, line: &str) -> String {
    ok(tc, &line.split_whitespace().collect::<Vec<_>>())
}

/// [`fails`] for a command line as typed at a terminal.
fn run_fails(tc: &TestCluster, line: &str) -> String {
    fails(tc, &line.split_whitespace().collect::<Vec<_>>())
}

fn fails(tc: &TestCluster, args: &[&str]) -> String {
    let out = kubectl(tc, args);
    assert!(!out.status.success(), "kubectl {args:?} should have failed");
    String::from_utf8(out.stderr).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn kubectl_reads_and_writes_the_registry_config() {
    let tc = TestCluster::start(false).await;
    let resources = ok(&tc, &["api-resources"]);
    for line in [
        "configs",
        "imagepruners",
        "clusteroperators",
        "routes",
        "persistentvolumeclaims",
        "deployments",
        "selfsubjectaccessreviews",
    ] {
        assert!(
            resources.contains(line),
            "api-resources lacks {line}:\n{resources}"
        );
    }
    let co = ok(&tc, &["get", "clusteroperator", "image-registry"]);
    assert!(
        co.contains("AVAILABLE") && co.contains("image-registry"),
        "{co}"
    );
    let yaml = run(
        &tc,
        "get configs.imageregistry.operator.openshift.io cluster -o yaml",
    );
    assert!(yaml.contains("managementState: Removed"), "{yaml}");

    run(
        &tc,
        r#"patch configs.imageregistry.operator.openshift.io cluster --type merge -p {"spec":{"replicas":2}}"#,
    );
    run(
        &tc,
        r#"patch configs.imageregistry.operator.openshift.io cluster --type json -p [{"op":"replace","path":"/spec/rolloutStrategy","value":"Recreate"}]"#,
    );
    let got = ok(
        &tc,
        &[
            "get",
            "configs.imageregistry.operator.openshift.io",
            "cluster",
            "-o",
            "jsonpath={.spec.replicas} {.spec.rolloutStrategy}",
        ],
    );
    assert_eq!(got, "2 Recreate");

    let err = run_fails(
        &tc,
        r#"patch configs.imageregistry.operator.openshift.io cluster --type merge -p {"spec":{"managementState":"Bogus"}}"#,
    );
    assert!(
        err.contains("spec.managementState") && err.contains("is invalid"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn kubectl_creates_patches_watches_and_deletes() {
    let tc = TestCluster::start(false).await;
    let manifest = tc.dir.path().join("cm.yaml");
    std::fs::write(&manifest, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo\n  namespace: default\n  labels: {app: demo}\ndata:\n  k: v\n").unwrap();
    let mut watch = Command::new("kubectl")
        .arg("--kubeconfig")
        .arg(tc.cluster.kubeconfig_path())
        .args([
            "get",
            "configmaps",
            "-n",
            "default",
            "-w",
            "-o",
            "jsonpath={.metadata.name}={.data.k}{\"\\n\"}",
            "--request-timeout=8s",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    tokio::time::sleep(Duration::from_millis(700)).await;
    ok(&tc, &["create", "-f", manifest.to_str().unwrap()]);
    run(
        &tc,
        r#"patch configmap demo -n default -p {"data":{"k":"v2"}}"#,
    );
    let listed = run(&tc, "get configmaps -n default -l app=demo -o name");
    assert_eq!(listed.trim(), "configmap/demo");
    ok(&tc, &["delete", "configmap", "demo", "-n", "default"]);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let _ = watch.kill();
    let out = watch.wait_with_output().unwrap();
    let seen = String::from_utf8_lossy(&out.stdout);
    assert!(
        seen.contains("demo=v") && seen.contains("demo=v2"),
        "the watch saw: {seen}"
    );
    let err = fails(&tc, &["get", "configmap", "demo", "-n", "default"]);
    assert!(
        err.contains("NotFound") || err.contains("not found"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_viewer_context_may_read_but_not_write() {
    let tc = TestCluster::start(false).await;
    run(
        &tc,
        "--context viewer get configs.imageregistry.operator.openshift.io",
    );
    let err = run_fails(
        &tc,
        r#"--context viewer patch configs.imageregistry.operator.openshift.io cluster --type merge -p {"spec":{"replicas":3}}"#,
    );
    assert!(
        err.contains("Forbidden") && err.contains("cannot patch"),
        "{err}"
    );
    let err = fails(&tc, &["--context", "viewer", "get", "secrets", "-A"]);
    assert!(err.contains("Forbidden"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn kubectl_auth_can_i_answers_truthfully() {
    let tc = TestCluster::start(false).await;
    let can_i = |context: &str, verb: &str, resource: &str| {
        let out = kubectl(
            &tc,
            &["--context", context, "auth", "can-i", verb, resource],
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    assert_eq!(
        can_i(
            "viewer",
            "get",
            "configs.imageregistry.operator.openshift.io"
        ),
        "yes"
    );
    assert_eq!(
        can_i(
            "viewer",
            "patch",
            "configs.imageregistry.operator.openshift.io"
        ),
        "no"
    );
    assert_eq!(can_i("viewer", "get", "secrets"), "no");
    assert_eq!(can_i("admin", "delete", "secrets"), "yes");
}

#[tokio::test(flavor = "multi_thread")]
async fn kubectl_as_another_user_runs_as_them_only_when_rbac_allows_impersonating() {
    let tc = TestCluster::start(false).await;
    // The admin may impersonate anyone: the request then has the viewer's rights.
    assert_eq!(
        run(
            &tc,
            "auth whoami --as=viewer -o jsonpath={.status.userInfo.username}"
        ),
        "viewer"
    );
    // `can-i` says "no" with exit status 1.
    let can_i = kubectl(
        &tc,
        &[
            "auth",
            "can-i",
            "get",
            "secrets",
            "-n",
            "openshift-image-registry",
            "--as=viewer",
        ],
    );
    assert_eq!(String::from_utf8_lossy(&can_i.stdout).trim(), "no");
    let refused = run_fails(&tc, "get secrets -n openshift-image-registry --as=viewer");
    assert!(
        refused.contains("User \"viewer\" cannot list resource \"secrets\""),
        "{refused}"
    );
    let groups = run(
        &tc,
        "auth whoami --as=alice --as-group=registry-admins -o jsonpath={.status.userInfo.groups}",
    );
    assert!(
        groups.contains("registry-admins") && groups.contains("system:authenticated"),
        "{groups}"
    );
    // The viewer may not impersonate: 403, and nothing runs as the admin.
    let refused = run_fails(
        &tc,
        "--context viewer get secrets -n openshift-image-registry --as=admin",
    );
    assert!(
        refused.contains("User \"viewer\" cannot impersonate resource \"users\""),
        "{refused}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn kubectl_apply_updates_and_prunes_keys_and_server_side_apply_is_refused_clearly() {
    let tc = TestCluster::start(false).await;
    let manifest = tc.dir.path().join("cm.yaml");
    let write = |data: &str| {
        std::fs::write(&manifest, format!("apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: applied, namespace: default}}\ndata: {data}\n")).unwrap()
    };
    write("{k: v, j: old}");
    ok(&tc, &["apply", "-f", manifest.to_str().unwrap()]);
    write("{k: v2}");
    ok(&tc, &["apply", "-f", manifest.to_str().unwrap()]);
    assert_eq!(
        ok(
            &tc,
            &[
                "get",
                "configmap",
                "applied",
                "-n",
                "default",
                "-o",
                "jsonpath={.data}"
            ]
        ),
        r#"{"k":"v2"}"#
    );
    let err = fails(
        &tc,
        &["apply", "--server-side", "-f", manifest.to_str().unwrap()],
    );
    assert!(err.contains("without --server-side"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn kubectl_create_secret_and_configmap_as_the_guide_does() {
    let tc = TestCluster::start(false).await;
    let ns = "openshift-image-registry";
    // `oc create secret generic image-registry-private-configuration-user ...` (kubectl sends
    // these as protobuf).
    run(
        &tc,
        &format!(
            "create secret generic image-registry-private-configuration-user -n {ns} --from-literal=REGISTRY_STORAGE_S3_ACCESSKEY=AKIAGUIDE --from-literal=REGISTRY_STORAGE_S3_SECRETKEY=guide/Secret+value"
        ),
    );
    let secret: serde_json::Value = serde_json::from_str(&run(
        &tc,
        &format!("get secret image-registry-private-configuration-user -n {ns} -o json"),
    ))
    .unwrap();
    assert_eq!(secret["type"], "Opaque");
    assert_eq!(
        secret["data"]["REGISTRY_STORAGE_S3_SECRETKEY"],
        "Z3VpZGUvU2VjcmV0K3ZhbHVl"
    );
    // A route's TLS secret and the trusted CAs' ConfigMap (in openshift-config).
    let dir = tempfile::tempdir().unwrap();
    let cert = dir.path().join("tls.crt");
    let key = dir.path().join("tls.key");
    let pair =
        rcgen::generate_simple_self_signed(vec!["registry.apps.example.com".into()]).unwrap();
    std::fs::write(&cert, pair.cert.pem()).unwrap();
    std::fs::write(&key, pair.key_pair.serialize_pem()).unwrap();
    let (cert_path, key_path) = (cert.display(), key.display());
    run(
        &tc,
        &format!("create secret tls public-route-tls -n {ns} --cert={cert_path} --key={key_path}"),
    );
    let tls = run(
        &tc,
        &format!("get secret public-route-tls -n {ns} -o jsonpath={{.type}}"),
    );
    assert_eq!(tls, "kubernetes.io/tls");
    run(
        &tc,
        &format!(
            "create configmap registry-cas -n openshift-config --from-file=registry.example.com..5000={cert_path}"
        ),
    );
    let cas = ok(
        &tc,
        &[
            "get",
            "configmap",
            "registry-cas",
            "-n",
            "openshift-config",
            "-o",
            "jsonpath={.data.registry\\.example\\.com\\.\\.5000}",
        ],
    );
    assert!(cas.starts_with("-----BEGIN CERTIFICATE-----"), "{cas}");
}

/// kubectl sends every built-in kind it builds itself as protobuf: the guide's `oc new-project`
/// and `oc policy add-role-to-user` (a namespace, role bindings), and the generators admins
/// reach for. Each is stored as its JSON form and reads back field for field.
#[tokio::test(flavor = "multi_thread")]
async fn kubectl_create_reads_protobuf_for_every_built_in_kind() {
    let tc = TestCluster::start(false).await;
    run(&tc, "create namespace team-a");
    run(&tc, "create serviceaccount builder -n team-a");
    run(
        &tc,
        "create rolebinding registry-viewer --clusterrole=registry-viewer --user=viewer --group=devs --serviceaccount=team-a:builder -n team-a",
    );
    let binding: serde_json::Value = serde_json::from_str(&run(
        &tc,
        "get rolebinding registry-viewer -n team-a -o json",
    ))
    .unwrap();
    assert_eq!(binding["roleRef"]["kind"], "ClusterRole");
    assert_eq!(binding["roleRef"]["name"], "registry-viewer");
    let subjects: Vec<String> = binding["subjects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            format!(
                "{}/{}",
                s["kind"].as_str().unwrap(),
                s["name"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        subjects,
        ["User/viewer", "Group/devs", "ServiceAccount/builder"]
    );
    run(
        &tc,
        "create clusterrolebinding prometheus-scraper --clusterrole=prometheus-scraper --serviceaccount=openshift-monitoring:prometheus-k8s",
    );
    run(
        &tc,
        "create clusterrole pod-reader --verb=get,list --resource=pods",
    );
    let rules = run(
        &tc,
        "get clusterrole pod-reader -o jsonpath={.rules[0].verbs}",
    );
    assert_eq!(rules, r#"["get","list"]"#);
    run(
        &tc,
        "create deployment web --image=quay.io/example/web:1 --replicas=2 --port=8080 -n team-a",
    );
    let deployment: serde_json::Value =
        serde_json::from_str(&run(&tc, "get deployment web -n team-a -o json")).unwrap();
    assert_eq!(deployment["spec"]["replicas"], 2);
    let container = &deployment["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(container["image"], "quay.io/example/web:1");
    assert_eq!(container["ports"][0]["containerPort"], 8080);
    assert_eq!(
        deployment["spec"]["selector"]["matchLabels"]["app"], "web",
        "{deployment}"
    );
    run(&tc, "create job once --image=busybox -n team-a -- echo hi");
    let command = run(
        &tc,
        "get job once -n team-a -o jsonpath={.spec.template.spec.containers[0].command}",
    );
    assert_eq!(command, r#"["echo","hi"]"#);
    // A body kubectl says is one kind sent to another kind's URL, and garbage: refused.
    let refused = fails(
        &tc,
        &[
            "create",
            "job",
            "x",
            "--image=busybox",
            "--dry-run=server",
            "-n",
            "no-such-namespace",
        ],
    );
    assert!(refused.contains("no-such-namespace"), "{refused}");
}

/// The guide's 5.1: `oc policy add-role-to-user system:image-builder USER -n PROJECT` binds
/// the ClusterRole OpenShift ships, and the grantee may push (update `imagestreams/layers`)
/// until the binding goes.
#[tokio::test(flavor = "multi_thread")]
async fn the_registry_roles_are_seeded_and_a_grant_holds_until_revoked() {
    let tc = TestCluster::start(false).await;
    for role in [
        "registry-viewer",
        "registry-editor",
        "system:image-builder",
        "system:registry",
        "registry-monitoring",
    ] {
        run(&tc, &format!("get clusterrole {role}"));
    }
    let can = |verb: &str, subresource: &str| {
        let out = kubectl(
            &tc,
            &[
                "--context",
                "viewer",
                "auth",
                "can-i",
                verb,
                // The legacy group's name: the demo serves no image.openshift.io, and for
                // a group it does not serve kubectl sends the group inside the resource.
                "imagestreams",
                &format!("--subresource={subresource}"),
                "-n",
                "default",
            ],
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    assert_eq!(can("update", "layers"), "no", "no push before the grant");
    // What `oc policy add-role-to-user system:image-builder viewer -n default` sends.
    run(
        &tc,
        "create rolebinding viewer-image-builder --clusterrole=system:image-builder --user=viewer -n default",
    );
    assert_eq!(can("update", "layers"), "yes", "the grant lets them push");
    assert_eq!(can("delete", "layers"), "no", "and nothing more");
    run(&tc, "delete rolebinding viewer-image-builder -n default");
    assert_eq!(can("update", "layers"), "no", "revoked");
}

/// The guide's 6.1 reads the default route's host from `spec.host`, which OpenShift fills
/// when a route is created without one.
#[tokio::test(flavor = "multi_thread")]
async fn a_route_created_without_a_host_gets_one_in_its_spec() {
    let tc = TestCluster::start(false).await;
    let route = tc.dir.path().join("route.json");
    std::fs::write(
        &route,
        serde_json::json!({
            "apiVersion": "route.openshift.io/v1",
            "kind": "Route",
            "metadata": { "name": "public", "namespace": "openshift-image-registry" },
            "spec": { "to": { "kind": "Service", "name": "image-registry" } }
        })
        .to_string(),
    )
    .unwrap();
    ok(&tc, &["create", "-f", route.to_str().unwrap()]);
    assert_eq!(
        run(
            &tc,
            "get route public -n openshift-image-registry --template={{.spec.host}}"
        ),
        "public-openshift-image-registry.apps.demo.example.com"
    );
}

/// The guide's 2.5 with the operator running: the ConfigMap of trusted CAs, named in
/// `images.config.openshift.io/cluster`, reaches `image-registry-certificates`; a key
/// removed goes from it too; a reference to a ConfigMap that does not exist is reported on
/// the config and the ClusterOperator instead of passing without a word.
#[tokio::test(flavor = "multi_thread")]
async fn trusted_cas_reach_the_registry_and_a_missing_configmap_is_reported() {
    let tc = TestCluster::start(true).await;
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.crt");
    let pair = rcgen::generate_simple_self_signed(vec!["registry.example.com".into()]).unwrap();
    std::fs::write(&ca, pair.cert.pem()).unwrap();
    let ca = ca.display();
    let certificates = |key: &str| {
        let out = kubectl(
            &tc,
            &[
                "get",
                "configmap",
                "image-registry-certificates",
                "-n",
                "openshift-image-registry",
                "-o",
                &format!("jsonpath={{.data.{}}}", key.replace('.', "\\.")),
            ],
        );
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    let condition = || {
        run(
            &tc,
            "get configs.imageregistry.operator.openshift.io cluster -o jsonpath={.status.conditions[?(@.type==\"ImageRegistryCertificatesControllerDegraded\")].status}",
        )
    };

    // Named before it exists: reported.
    run(
        &tc,
        r#"patch image.config.openshift.io/cluster --type=merge -p {"spec":{"additionalTrustedCA":{"name":"registry-cas"}}}"#,
    );
    common::eventually(20, "the missing ConfigMap reported", || async {
        (condition() == "True").then_some(())
    })
    .await;
    let degraded = run(
        &tc,
        "get clusteroperator image-registry -o jsonpath={.status.conditions[?(@.type==\"Degraded\")].message}",
    );
    assert!(degraded.contains("registry-cas"), "{degraded}");

    // Created: it reaches the registry, and the condition clears.
    run(
        &tc,
        &format!(
            "create configmap registry-cas -n openshift-config --from-file=registry.example.com..5000={ca} --from-file=mirror.example.com={ca}"
        ),
    );
    common::eventually(20, "the CAs in image-registry-certificates", || async {
        (certificates("registry.example.com..5000") == pair.cert.pem()
            && certificates("mirror.example.com") == pair.cert.pem())
        .then_some(())
    })
    .await;
    assert_eq!(condition(), "False");

    // A key removed from the source goes from the registry's copy.
    ok(
        &tc,
        &[
            "patch",
            "configmap",
            "registry-cas",
            "-n",
            "openshift-config",
            "--type=json",
            "-p",
            r#"[{"op":"remove","path":"/data/mirror.example.com"}]"#,
        ],
    );
    common::eventually(20, "the removed CA gone", || async {
        certificates("mirror.example.com").is_empty().then_some(())
    })
    .await;
    assert_eq!(certificates("registry.example.com..5000"), pair.cert.pem());
}

/// The real CRD's CEL rules hold here too (kube-apiserver before 1.25 drops them): allowed
/// and blocked registries are exclusive, and each entry is a registry scope.
#[tokio::test(flavor = "multi_thread")]
async fn registry_sources_follow_the_crds_rules() {
    let tc = TestCluster::start(false).await;
    let both = run_fails(
        &tc,
        r#"patch image.config.openshift.io/cluster --type=merge -p {"spec":{"registrySources":{"allowedRegistries":["quay.io"],"blockedRegistries":["docker.io"]}}}"#,
    );
    assert!(
        both.contains("spec.registrySources: Invalid value: \"object\": Only one of blockedRegistries or allowedRegistries may be set"),
        "{both}"
    );
    let tagged = run_fails(
        &tc,
        r#"patch image.config.openshift.io/cluster --type=merge -p {"spec":{"registrySources":{"insecureRegistries":["quay.io/app:latest"]}}}"#,
    );
    assert!(
        tagged.contains("spec.registrySources.insecureRegistries[0]"),
        "{tagged}"
    );
    run(
        &tc,
        r#"patch image.config.openshift.io/cluster --type=merge -p {"spec":{"registrySources":{"blockedRegistries":["docker.io"],"insecureRegistries":["registry.example.com:5000/team"]}}}"#,
    );
    assert_eq!(
        run(
            &tc,
            "get image.config.openshift.io/cluster -o jsonpath={.spec.registrySources.blockedRegistries[0]}"
        ),
        "docker.io"
    );
}

/// A `spec.routes` entry naming a TLS Secret that does not exist is reported, as the real
/// operator's failing sync is, and no route is made without its certificate; once the
/// Secret exists, the route is made with it.
#[tokio::test(flavor = "multi_thread")]
async fn a_route_whose_secret_is_missing_is_reported_until_it_exists() {
    let tc = TestCluster::start(true).await;
    ok(
        &tc,
        &[
            "patch",
            "configs.imageregistry.operator.openshift.io",
            "cluster",
            "--type=merge",
            "-p",
            r#"{"spec":{"managementState":"Managed","storage":{"emptyDir":{}},"routes":[{"name":"public","hostname":"registry.apps.example.com","secretName":"public-tls"}]}}"#,
        ],
    );
    let progressing = || {
        run(
            &tc,
            "get configs.imageregistry.operator.openshift.io cluster -o jsonpath={.status.conditions[?(@.type==\"Progressing\")].message}",
        )
    };
    common::eventually(20, "the missing secret reported", || async {
        progressing().contains("public-tls").then_some(())
    })
    .await;
    let routes = run(&tc, "get routes -n openshift-image-registry -o name");
    assert!(!routes.contains("public"), "{routes}");

    let dir = tempfile::tempdir().unwrap();
    let pair =
        rcgen::generate_simple_self_signed(vec!["registry.apps.example.com".into()]).unwrap();
    let (cert, key) = (dir.path().join("tls.crt"), dir.path().join("tls.key"));
    std::fs::write(&cert, pair.cert.pem()).unwrap();
    std::fs::write(&key, pair.key_pair.serialize_pem()).unwrap();
    run(
        &tc,
        &format!(
            "create secret tls public-tls -n openshift-image-registry --cert={} --key={}",
            cert.display(),
            key.display()
        ),
    );
    common::eventually(20, "the route made with its certificate", || async {
        let out = kubectl(
            &tc,
            &[
                "get",
                "route",
                "public",
                "-n",
                "openshift-image-registry",
                "-o",
                "jsonpath={.spec.tls.certificate}",
            ],
        );
        (String::from_utf8_lossy(&out.stdout) == pair.cert.pem()).then_some(())
    })
    .await;
    common::eventually(20, "the report gone", || async {
        (!progressing().contains("public-tls")).then_some(())
    })
    .await;
}

/// `status.storage` says what the registry uses now, not every backend it ever had.
#[tokio::test(flavor = "multi_thread")]
async fn the_status_storage_follows_the_spec_instead_of_piling_up() {
    let tc = TestCluster::start(true).await;
    let storage = || {
        let out = run(
            &tc,
            "get configs.imageregistry.operator.openshift.io cluster -o jsonpath={.status.storage}",
        );
        serde_json::from_str::<serde_json::Value>(&out).unwrap_or_default()
    };
    let patch = |storage: &str| {
        ok(
            &tc,
            &[
                "patch",
                "configs.imageregistry.operator.openshift.io",
                "cluster",
                "--type=merge",
                "-p",
                &format!(r#"{{"spec":{{"managementState":"Managed","storage":{storage}}}}}"#),
            ],
        )
    };
    patch(r#"{"emptyDir":{}}"#);
    common::eventually(20, "emptyDir in the status", || async {
        storage().get("emptyDir").is_some().then_some(())
    })
    .await;
    patch(r#"{"emptyDir":null,"pvc":{"claim":""}}"#);
    common::eventually(20, "only the claim in the status", || async {
        let now = storage();
        (now.get("pvc").is_some() && now.get("emptyDir").is_none()).then_some(())
    })
    .await;
}

/// Built-in objects are validated as kube-apiserver validates them: a Recreate Deployment
/// with a rollingUpdate block and a role rule without verbs (guide 5.5's YAML as printed)
/// are refused with the field named.
#[tokio::test(flavor = "multi_thread")]
async fn invalid_deployments_and_roles_are_refused_as_kube_apiserver_does() {
    let tc = TestCluster::start(false).await;
    let file = tc.dir.path().join("objects.json");
    let write = |object: serde_json::Value| {
        std::fs::write(&file, object.to_string()).unwrap();
        file.to_str().unwrap().to_owned()
    };
    let role = write(serde_json::json!({
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRole",
        "metadata": { "name": "prometheus-scraper" },
        "rules": [{ "apiGroups": ["image.openshift.io"], "resources": ["registry/metrics"] }]
    }));
    let refused = fails(&tc, &["create", "-f", &role]);
    assert!(refused.contains("rules[0].verbs"), "{refused}");
    let deployment = write(serde_json::json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": { "name": "d", "namespace": "default" },
        "spec": {
            "selector": { "matchLabels": { "a": "b" } },
            "strategy": { "type": "Recreate", "rollingUpdate": { "maxUnavailable": 1 } },
            "template": { "metadata": { "labels": { "a": "b" } }, "spec": { "containers": [{ "name": "c", "image": "i" }] } }
        }
    }));
    let refused = fails(&tc, &["create", "-f", &deployment]);
    assert!(refused.contains("spec.strategy.rollingUpdate"), "{refused}");
}

/// The guide's 3.4.6: a volume provisioned by hand, a claim for it, the registry on the claim;
/// then what kubectl shows of volumes, nodes (5.2's `-o wide` addresses) and the
/// registry's namespace (5.3: the operator's pod and a node-ca pod on every node).
#[tokio::test(flavor = "multi_thread")]
async fn a_volume_made_by_hand_is_claimed_and_the_registry_runs_on_it() {
    let tc = TestCluster::start(true).await;
    let ns = "openshift-image-registry";
    let pv = tc.dir.path().join("pv.json");
    std::fs::write(
        &pv,
        serde_json::json!({
            "apiVersion": "v1", "kind": "PersistentVolume",
            "metadata": { "name": "registry-block" },
            "spec": {
                "capacity": { "storage": "100Gi" }, "accessModes": ["ReadWriteOnce"],
                "persistentVolumeReclaimPolicy": "Retain", "storageClassName": "",
                "volumeMode": "Block", "local": { "path": "/dev/sdb" },
                "nodeAffinity": { "required": { "nodeSelectorTerms": [{ "matchExpressions": [{ "key": "kubernetes.io/hostname", "operator": "In", "values": ["worker-0"] }] }] } }
            }
        })
        .to_string(),
    )
    .unwrap();
    ok(&tc, &["create", "-f", pv.to_str().unwrap()]);
    let phase = |what: &str| run(&tc, &format!("get {what} -o jsonpath={{.status.phase}}"));
    eventually(10, "the volume Available", || async {
        (phase("pv registry-block") == "Available").then_some(())
    })
    .await;
    let pvc = tc.dir.path().join("pvc.json");
    std::fs::write(
        &pvc,
        serde_json::json!({
            "apiVersion": "v1", "kind": "PersistentVolumeClaim",
            "metadata": { "name": "registry-block", "namespace": ns },
            "spec": { "accessModes": ["ReadWriteOnce"], "volumeMode": "Block", "storageClassName": "", "resources": { "requests": { "storage": "100Gi" } } }
        })
        .to_string(),
    )
    .unwrap();
    ok(&tc, &["create", "-f", pvc.to_str().unwrap()]);
    eventually(10, "the claim bound to the volume made by hand", || async {
        let volume = run(
            &tc,
            &format!("get pvc registry-block -n {ns} -o jsonpath={{.spec.volumeName}}"),
        );
        (volume == "registry-block" && phase(&format!("pvc registry-block -n {ns}")) == "Bound")
            .then_some(())
    })
    .await;
    let table = run(&tc, "get pv");
    assert!(
        table.contains("RWO")
            && table.contains("Retain")
            && table.contains(&format!("{ns}/registry-block")),
        "{table}"
    );
    run(
        &tc,
        "patch configs.imageregistry.operator.openshift.io/cluster --type=merge -p {\"spec\":{\"managementState\":\"Managed\",\"rolloutStrategy\":\"Recreate\",\"replicas\":1,\"storage\":{\"pvc\":{\"claim\":\"registry-block\"}}}}",
    );
    // Five nodes, all Linux: five node-ca pods, ready.
    eventually(20, "node-ca on every node", || async {
        let out = kubectl(
            &tc,
            &[
                "get",
                "daemonset",
                "node-ca",
                "-n",
                ns,
                "-o",
                "jsonpath={.status.numberReady}",
            ],
        );
        (String::from_utf8_lossy(&out.stdout) == "5").then_some(())
    })
    .await;
    let pods = run(&tc, &format!("get pods -n {ns} -o wide"));
    assert!(pods.contains("cluster-image-registry-operator-"), "{pods}");
    assert_eq!(pods.matches("node-ca-").count(), 5, "{pods}");
    assert!(
        pods.contains("master-0"),
        "the operator runs on a master: {pods}"
    );
    let nodes = run(&tc, "get nodes -o wide");
    assert!(
        nodes.contains("INTERNAL-IP") && nodes.contains("10.0.0.20"),
        "{nodes}"
    );

    // Released, not deleted, when the claim goes: the policy is Retain.
    run(
        &tc,
        "patch configs.imageregistry.operator.openshift.io/cluster --type=merge -p {\"spec\":{\"storage\":{\"pvc\":null,\"emptyDir\":{}}}}",
    );
    run(&tc, &format!("delete pvc registry-block -n {ns}"));
    eventually(10, "the volume Released", || async {
        (phase("pv registry-block") == "Released").then_some(())
    })
    .await;
}

/// A claim in the default class gets a volume made for it, deleted with the claim.
#[tokio::test(flavor = "multi_thread")]
async fn a_claim_in_the_default_class_is_provisioned_and_its_volume_deleted_with_it() {
    let tc = TestCluster::start(true).await;
    let pvc = tc.dir.path().join("pvc.json");
    std::fs::write(
        &pvc,
        serde_json::json!({
            "apiVersion": "v1", "kind": "PersistentVolumeClaim",
            "metadata": { "name": "scratch", "namespace": "default" },
            "spec": { "accessModes": ["ReadWriteMany"], "resources": { "requests": { "storage": "5Gi" } } }
        })
        .to_string(),
    )
    .unwrap();
    ok(&tc, &["create", "-f", pvc.to_str().unwrap()]);
    let volume = eventually(10, "a volume provisioned", || async {
        let v = run(
            &tc,
            "get pvc scratch -n default -o jsonpath={.spec.volumeName}",
        );
        (!v.is_empty()
            && run(
                &tc,
                "get pvc scratch -n default -o jsonpath={.status.phase}",
            ) == "Bound")
            .then_some(v)
    })
    .await;
    let pv: serde_json::Value =
        serde_json::from_str(&run(&tc, &format!("get pv {volume} -o json"))).unwrap();
    assert_eq!(pv["spec"]["storageClassName"], "standard");
    assert_eq!(pv["spec"]["capacity"]["storage"], "5Gi");
    assert_eq!(pv["spec"]["claimRef"]["name"], "scratch");
    assert_eq!(pv["status"]["phase"], "Bound");
    run(&tc, "delete pvc scratch -n default");
    eventually(10, "the volume deleted with its claim", || async {
        let out = kubectl(&tc, &["get", "pv", &volume]);
        (!out.status.success()).then_some(())
    })
    .await;
}
