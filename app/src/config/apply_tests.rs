//! The config's review and apply, as pure helpers and against the embedded demo cluster,
//! read back with the real `kubectl`.

use std::time::Duration;

use crate::config::view::{CredentialEdit, SecretValue};
use crate::edit::outcome::{FieldChange, Outcome};
use demo_cluster::DemoUser;
use k8s_openapi::ByteString;
use kube::api::{Patch, PatchParams};
use registry_model::change::DiffLine;
use registry_model::edit::config::{ConfigEdits, HTTP_SECRET_MASK};
use registry_model::registry_config::{LogLevel, ManagementState, PvcStorage, S3Storage};
use registry_model::validation::Severity;
use registry_model::validation::storage::StorageChoice;
use serde_json::{Value, json};

use super::*;
use crate::cluster::dying_api::DyingApi;
use crate::cluster::fingerprint::FingerprintKey;
use crate::cluster::test_cluster::TestCluster;

/// Applies `change` at the version it carries, as the console does.
async fn apply(
    client: &kube::Client,
    key: &FingerprintKey,
    change: &ConfigChange,
) -> Result<Outcome, kube::Error> {
    let shown = ShownVersion::new(&change.shown.resource_version).expect("a shown version");
    super::apply(client, key, change, &shown).await
}

// ---- pure helpers ----

/// Asserts that `outcome` says the change was applied.
fn assert_applied(outcome: &Outcome) {
    assert!(matches!(outcome, Outcome::Applied { .. }), "{outcome:?}");
}

/// Asserts that `outcome` is a refusal with a finding on `field`.
fn assert_refused_on(outcome: &Outcome, field: &str) {
    let Outcome::Refused { findings, .. } = outcome else {
        panic!("{outcome:?}");
    };
    assert!(
        findings.iter().any(|f| f.field == field),
        "no finding on {field}: {findings:?}"
    );
}

fn changed(field: &str) -> FieldChange {
    FieldChange {
        field: field.into(),
        shown: None,
        now: Some("\"x\"".into()),
    }
}

#[test]
fn only_the_operators_own_fields_away_from_the_users_are_rebased_over() {
    let log_level = json!({"spec": {"logLevel": "Debug"}});
    let empty_dir = json!({"spec": {"storage": {"emptyDir": {}, "pvc": null}}});
    assert!(rebasable(&[], &log_level), "status-only changes");
    assert!(rebasable(&[changed("spec.httpSecret")], &log_level));
    assert!(rebasable(
        &[changed("spec.storage.managementState")],
        &log_level
    ));
    assert!(
        !rebasable(&[changed("spec.replicas")], &log_level),
        "a person's change"
    );
    assert!(
        !rebasable(&[changed("spec.storage.pvc.claim")], &empty_dir),
        "both set the storage"
    );
    assert!(
        !rebasable(
            &[changed("spec.storage.managementState")],
            &json!({"spec": {"storage": {"managementState": null, "emptyDir": {}}}})
        ),
        "the same field"
    );
    assert!(under("spec.storage.s3.bucket", "spec.storage"));
    assert!(!under("spec.storage2", "spec.storage"));
}

#[test]
fn a_rebase_keeps_the_operators_values_and_adds_the_users() {
    let now: ConfigView = serde_json::from_value(json!({
        "replicas": 1, "httpSecret": "<set>", "logLevel": "Normal",
        "storage": {"pvc": {"claim": "image-registry-storage"}}
    }))
    .unwrap();
    let rebased = rebase(&now, &json!({"spec": {"logLevel": "Debug"}})).unwrap();
    assert_eq!(rebased.log_level, Some(LogLevel::Debug));
    assert_eq!(rebased.storage, now.storage);
    assert_eq!(rebased.http_secret, now.http_secret);
}

fn credential(key: &str, value: &str) -> CredentialEdit {
    CredentialEdit {
        key: key.into(),
        value: SecretValue::new(value),
        file_name: None,
    }
}

#[test]
fn the_patch_carries_only_changed_fields() {
    let shown: ConfigView = serde_json::from_value(json!({
        "managementState": "Removed", "replicas": 1, "httpSecret": "<set>",
        "rolloutStrategy": "RollingUpdate", "logLevel": "Normal", "storage": {}
    }))
    .unwrap();
    let edits = ConfigEdits {
        management_state: Some(ManagementState::Managed),
        replicas: Some(1),
        log_level: Some(LogLevel::Normal),
        storage: Some(StorageChoice::EmptyDir),
        ..ConfigEdits::default()
    };
    assert_eq!(
        spec_patch(&shown, &edits.apply_to(&shown)),
        Some(json!({"spec": {"managementState": "Managed", "storage": {"emptyDir": {}}}}))
    );
    assert_eq!(spec_patch(&shown, &shown), None);
}

// ---- against the demo cluster ----

/// The fingerprint key a console with this session secret would hold.
fn key() -> FingerprintKey {
    FingerprintKey::derive(b"config-apply-tests-session-secret-0123456789")
}

async fn demo() -> TestCluster {
    TestCluster::start().await
}

/// The reads these tests make of the test cluster.
impl TestCluster {
    async fn config(&self) -> Value {
        self.kubectl_json(&[
            "get",
            "configs.imageregistry.operator.openshift.io",
            "cluster",
            "-o",
            "json",
        ])
        .await
        .unwrap()
    }

    async fn secret(&self) -> Result<Value, String> {
        self.kubectl_json(&[
            "get",
            "secret",
            CREDENTIALS_SECRET,
            "-n",
            REGISTRY_NAMESPACE,
            "-o",
            "json",
        ])
        .await
    }

    /// A claim in `openshift-image-registry`, as kubectl reads it.
    async fn claim(&self, name: &str) -> Result<Value, String> {
        self.kubectl_json(&["get", "pvc", name, "-n", REGISTRY_NAMESPACE, "-o", "json"])
            .await
    }

    /// The config's resourceVersion once the operator has stopped writing for a moment.
    async fn settled_version(&self) -> String {
        let mut last = String::new();
        for _ in 0..40 {
            let now = self.config().await["metadata"]["resourceVersion"]
                .as_str()
                .unwrap()
                .to_owned();
            if now == last {
                return now;
            }
            last = now;
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        panic!("the config kept changing");
    }

    /// Waits until `check` holds for the config as kubectl reads it.
    async fn wait_for(&self, what: &str, check: impl Fn(&Value) -> bool) -> Value {
        let config = [
            "get",
            "configs.imageregistry.operator.openshift.io",
            "cluster",
        ];
        self.wait_for_json(what, &config, check).await
    }
}

/// Reads the config as the page would, then applies `edits` from it (no credentials).
async fn apply_edits(client: &kube::Client, edits: ConfigEdits) -> Outcome {
    apply(client, &key(), &change_from(client, edits).await)
        .await
        .unwrap()
}

async fn change_from(client: &kube::Client, edits: ConfigEdits) -> ConfigChange {
    ConfigChange {
        shown: read(client, &key()).await.unwrap(),
        edits,
        credentials: Vec::new(),
    }
}

fn managed_with(storage: StorageChoice) -> ConfigEdits {
    ConfigEdits {
        management_state: Some(ManagementState::Managed),
        storage: Some(storage),
        ..ConfigEdits::default()
    }
}

/// Managed, on S3 bucket `registry-images` in `us-east-1`.
fn managed_on_s3() -> ConfigEdits {
    managed_with(StorageChoice::S3(S3Storage {
        bucket: Some("registry-images".into()),
        region: Some("us-east-1".into()),
        ..S3Storage::default()
    }))
}

fn log_level_debug() -> ConfigEdits {
    ConfigEdits {
        log_level: Some(LogLevel::Debug),
        ..ConfigEdits::default()
    }
}

#[tokio::test]
async fn empty_dir_is_applied_and_kubectl_reads_it_back() {
    let demo = demo().await;
    let admin = demo.client(DemoUser::Admin).await;
    let change = change_from(&admin, managed_with(StorageChoice::EmptyDir)).await;
    let before = demo.config().await;

    let review = preview(&admin, &key(), &change).await.unwrap();
    assert!(!review.blocked, "{:?}", review.findings);
    assert_eq!(
        review.patch,
        Some(json!({"spec": {"managementState": "Managed", "storage": {"emptyDir": {}}}}))
    );
    assert_eq!(
        review.oc_patch.as_deref(),
        Some(
            r#"oc patch configs.imageregistry.operator.openshift.io/cluster --type merge -p '{"spec":{"managementState":"Managed","storage":{"emptyDir":{}}}}'"#
        )
    );
    assert!(
        review
            .diff
            .contains(&DiffLine::Added("  managementState: Managed".into()))
    );
    assert!(
        review
            .diff
            .contains(&DiffLine::Removed("  managementState: Removed".into()))
    );
    assert!(
        review
            .findings
            .iter()
            .any(|f| f.field == "spec.storage.emptyDir" && f.severity == Severity::Warning),
        "emptyDir warns that images are lost"
    );
    assert_eq!(review.oc_secret, None);

    let outcome = apply(&admin, &key(), &change).await.unwrap();
    assert_applied(&outcome);

    let after = demo.config().await;
    assert_eq!(after["spec"]["managementState"], "Managed");
    assert_eq!(after["spec"]["storage"]["emptyDir"], json!({}));
    for untouched in [
        "replicas",
        "rolloutStrategy",
        "logLevel",
        "operatorLogLevel",
    ] {
        assert_eq!(
            after["spec"][untouched], before["spec"][untouched],
            "{untouched} must stay as it was"
        );
    }
}

#[tokio::test]
async fn an_empty_claim_is_filled_in_by_the_operator() {
    let demo = demo().await;
    let admin = demo.client(DemoUser::Admin).await;
    let change = change_from(
        &admin,
        managed_with(StorageChoice::Pvc(PvcStorage {
            claim: Some(String::new()),
        })),
    )
    .await;
    let outcome = apply(&admin, &key(), &change).await.unwrap();
    assert_applied(&outcome);
    let config = demo
        .wait_for("the operator to name the claim", |c| {
            c["spec"]["storage"]["pvc"]["claim"] == "image-registry-storage"
        })
        .await;
    assert_eq!(config["spec"]["managementState"], "Managed");
    let claim = demo.claim("image-registry-storage").await.unwrap();
    assert_eq!(claim["spec"]["accessModes"], json!(["ReadWriteMany"]));
}

#[tokio::test]
async fn s3_credentials_are_written_under_their_keys_and_never_come_back() {
    const ACCESS: &str = "AKIAEXAMPLEACCESS7Q3Z";
    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYzEXAMPLE";
    let demo = demo().await;
    let admin = demo.client(DemoUser::Admin).await;
    let mut change = change_from(&admin, managed_on_s3()).await;
    change.credentials = vec![
        credential("REGISTRY_STORAGE_S3_ACCESSKEY", ACCESS),
        credential("REGISTRY_STORAGE_S3_SECRETKEY", SECRET),
        // An empty field keeps what is stored: it is not written.
        credential("REGISTRY_STORAGE_S3_REGIONENDPOINT", ""),
    ];
    let encoded = |value: &str| {
        serde_json::to_value(ByteString(value.as_bytes().to_vec()))
            .unwrap()
            .as_str()
            .unwrap()
            .to_owned()
    };
    let assert_hidden = |what: &str, text: &str| {
        for value in [ACCESS, SECRET, &encoded(ACCESS), &encoded(SECRET)] {
            assert!(
                !text.contains(value),
                "{what} carries a secret value: {text}"
            );
        }
    };
    assert_hidden("the change's Debug output", &format!("{change:?}"));

    let review = preview(&admin, &key(), &change).await.unwrap();
    assert!(!review.blocked, "{:?}", review.findings);
    assert_hidden("the review", &serde_json::to_string(&review).unwrap());
    assert_eq!(
        review.oc_secret.as_deref(),
        Some(
            "oc create secret generic image-registry-private-configuration-user -n openshift-image-registry --from-literal=REGISTRY_STORAGE_S3_ACCESSKEY=<redacted> --from-literal=REGISTRY_STORAGE_S3_SECRETKEY=<redacted>"
        )
    );
    assert!(
        demo.secret().await.is_err(),
        "the preview's dry run writes nothing"
    );

    let outcome = apply(&admin, &key(), &change).await.unwrap();
    assert_hidden("the outcome", &serde_json::to_string(&outcome).unwrap());
    let Outcome::Applied { secret_keys, .. } = outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!(
        secret_keys,
        [
            "REGISTRY_STORAGE_S3_ACCESSKEY",
            "REGISTRY_STORAGE_S3_SECRETKEY"
        ]
    );

    let secret = demo.secret().await.unwrap();
    let data = secret["data"].as_object().unwrap();
    let mut keys: Vec<&str> = data.keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "REGISTRY_STORAGE_S3_ACCESSKEY",
            "REGISTRY_STORAGE_S3_SECRETKEY"
        ]
    );
    assert_eq!(data["REGISTRY_STORAGE_S3_ACCESSKEY"], encoded(ACCESS));
    assert_eq!(data["REGISTRY_STORAGE_S3_SECRETKEY"], encoded(SECRET));
    let config = demo.config().await;
    assert_eq!(config["spec"]["storage"]["s3"]["bucket"], "registry-images");

    // The form shows the keys as set, never their values.
    let shown = read(&admin, &key()).await.unwrap();
    assert_eq!(shown.credentials.keys, keys);
    assert_hidden("the shown config", &serde_json::to_string(&shown).unwrap());

    // A second change of one key keeps the other one.
    let mut again = ConfigChange {
        shown,
        edits: ConfigEdits::default(),
        credentials: vec![credential("REGISTRY_STORAGE_S3_SECRETKEY", "rotated")],
    };
    let review = preview(&admin, &key(), &again).await.unwrap();
    assert_eq!(
        review.oc_secret.as_deref(),
        Some(
            "oc set data secret/image-registry-private-configuration-user -n openshift-image-registry REGISTRY_STORAGE_S3_SECRETKEY=<redacted>"
        )
    );
    again.shown = read(&admin, &key()).await.unwrap();
    let outcome = apply(&admin, &key(), &again).await.unwrap();
    assert_applied(&outcome);
    let data = demo.secret().await.unwrap()["data"].clone();
    assert_eq!(data["REGISTRY_STORAGE_S3_ACCESSKEY"], encoded(ACCESS));
    assert_eq!(data["REGISTRY_STORAGE_S3_SECRETKEY"], encoded("rotated"));
}

type ProviderCase<'a> = (StorageChoice, Vec<(&'a str, &'a str)>, &'a str);

#[tokio::test]
async fn each_cloud_provider_is_applied_alone_with_its_own_credential_keys() {
    use registry_model::registry_config::{AzureStorage, GcsStorage, SwiftStorage};
    let keyfile = json!({
        "type": "service_account",
        "project_id": "registry-demo",
        "private_key": "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n",
        "client_email": "registry@registry-demo.iam.gserviceaccount.com"
    })
    .to_string();
    // (storage, credentials, the provider's field under spec.storage)
    let cases: Vec<ProviderCase> = vec![
        (
            StorageChoice::Gcs(GcsStorage {
                bucket: Some("registry-images".into()),
                project_id: Some("registry-demo".into()),
                ..GcsStorage::default()
            }),
            vec![("REGISTRY_STORAGE_GCS_KEYFILE", keyfile.as_str())],
            "gcs",
        ),
        (
            StorageChoice::Azure(AzureStorage {
                account_name: Some("registrystore".into()),
                container: Some("images".into()),
                ..AzureStorage::default()
            }),
            vec![("REGISTRY_STORAGE_AZURE_ACCOUNTKEY", "c2VjcmV0LWtleQ==")],
            "azure",
        ),
        (
            StorageChoice::Swift(SwiftStorage {
                auth_url: Some("https://keystone.example.com/v3".into()),
                container: Some("registry".into()),
                ..SwiftStorage::default()
            }),
            vec![
                ("REGISTRY_STORAGE_SWIFT_USERNAME", "registry"),
                ("REGISTRY_STORAGE_SWIFT_PASSWORD", "swift-password"),
            ],
            "swift",
        ),
    ];
    let demo = demo().await;
    let admin = demo.client(DemoUser::Admin).await;
    for (choice, keys, field) in cases {
        let expected = serde_json::to_value(choice.to_storage()).unwrap()[field].clone();
        let mut change = change_from(&admin, managed_with(choice)).await;
        change.credentials = keys.iter().map(|(k, v)| credential(k, v)).collect();
        let outcome = apply(&admin, &key(), &change).await.unwrap();
        assert!(
            matches!(outcome, Outcome::Applied { .. }),
            "{field}: {outcome:?}"
        );
        let storage = demo.config().await["spec"]["storage"].clone();
        let providers: Vec<&String> = storage
            .as_object()
            .unwrap()
            .keys()
            .filter(|k| *k != "managementState")
            .collect();
        assert_eq!(providers, [field], "only one provider is set: {storage}");
        // Every field as sent, read back with kubectl.
        for (name, value) in expected.as_object().unwrap() {
            assert_eq!(&storage[field][name], value, "{field}.{name}: {storage}");
        }
        let data = demo.secret().await.unwrap()["data"].clone();
        for (key, value) in &keys {
            let stored = base64_decode(data[key].as_str().unwrap());
            assert_eq!(
                stored,
                value.as_bytes(),
                "{field}: {key} holds what was sent"
            );
        }
    }

    let mut bad_keyfile = change_from(
        &admin,
        managed_with(StorageChoice::Gcs(GcsStorage {
            bucket: Some("registry-images".into()),
            ..GcsStorage::default()
        })),
    )
    .await;
    bad_keyfile.credentials = vec![credential(
        "REGISTRY_STORAGE_GCS_KEYFILE",
        "{\"type\": \"user\"}",
    )];
    let outcome = apply(&admin, &key(), &bad_keyfile).await.unwrap();
    assert_refused_on(&outcome, "credentials.REGISTRY_STORAGE_GCS_KEYFILE");
}

#[tokio::test]
async fn settings_are_applied_and_kubectl_reads_them_back() {
    use registry_model::registry_config::{ProxyConfig, RequestLimits, Requests, RolloutStrategy};
    let demo = demo().await;
    let admin = demo.client(DemoUser::Admin).await;
    let edits = ConfigEdits {
        rollout_strategy: Some(RolloutStrategy::Recreate),
        read_only: Some(true),
        disable_redirect: Some(true),
        default_route: Some(true),
        operator_log_level: Some(LogLevel::Trace),
        proxy: Some(ProxyConfig {
            https: Some("http://proxy.example.com:3128".into()),
            no_proxy: Some(".cluster.local".into()),
            ..ProxyConfig::default()
        }),
        requests: Some(Requests {
            read: Some(RequestLimits {
                max_running: Some(10),
                max_in_queue: Some(5),
                max_wait_in_queue: Some("30s".into()),
            }),
            write: None,
        }),
        ..ConfigEdits::default()
    };
    let outcome = apply_edits(&admin, edits).await;
    assert_applied(&outcome);
    let spec = demo.config().await["spec"].clone();
    assert_eq!(spec["rolloutStrategy"], "Recreate");
    assert_eq!(spec["readOnly"], true);
    assert_eq!(spec["disableRedirect"], true);
    assert_eq!(spec["defaultRoute"], true);
    assert_eq!(spec["operatorLogLevel"], "Trace");
    assert_eq!(
        spec["proxy"],
        json!({"https": "http://proxy.example.com:3128", "noProxy": ".cluster.local"})
    );
    assert_eq!(
        spec["requests"],
        json!({"read": {"maxRunning": 10, "maxInQueue": 5, "maxWaitInQueue": "30s"}})
    );
    assert_eq!(spec["logLevel"], "Normal", "untouched");

    // A Go-incompatible duration is refused before it reaches the operator.
    let bad = ConfigEdits {
        requests: Some(Requests {
            read: Some(RequestLimits {
                max_running: Some(1),
                max_wait_in_queue: Some("1d".into()),
                ..RequestLimits::default()
            }),
            write: None,
        }),
        ..ConfigEdits::default()
    };
    let outcome = apply_edits(&admin, bad).await;
    assert_refused_on(&outcome, "spec.requests.read.maxWaitInQueue");
}

#[tokio::test]
async fn a_concurrent_kubectl_change_is_a_conflict_and_nothing_is_overwritten() {
    let demo = demo().await;
    let admin = demo.client(DemoUser::Admin).await;
    let change = change_from(&admin, log_level_debug()).await;
    demo.patch_config(json!({"spec": {"replicas": 3}})).await;

    let outcome = apply(&admin, &key(), &change).await.unwrap();
    let Outcome::Conflict { changes, .. } = &outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!(
        changes,
        &[FieldChange {
            field: "spec.replicas".into(),
            shown: Some("1".into()),
            now: Some("3".into()),
        }]
    );
    assert!(
        outcome
            .message(crate::config::view::OBJECT)
            .contains("spec.replicas")
    );
    let config = demo.config().await;
    assert_eq!(config["spec"]["replicas"], 3);
    assert_eq!(
        config["spec"]["logLevel"], "Normal",
        "the user's change was not applied"
    );
}

#[tokio::test]
async fn an_operator_change_meanwhile_is_rebased_and_the_user_told() {
    let demo = demo().await;
    let admin = demo.client(DemoUser::Admin).await;
    let change = change_from(&admin, log_level_debug()).await;
    assert_eq!(change.shown.spec.http_secret, None);
    // What the operator does first when it manages the registry.
    let generated = "9f8e7d6c5b4a39281706f5e4d3c2b1a0";
    Api::<Config>::all(admin.clone())
        .patch(
            SINGLETON,
            &PatchParams::default(),
            &Patch::Merge(json!({"spec": {"httpSecret": generated}})),
        )
        .await
        .unwrap();

    let outcome = apply(&admin, &key(), &change).await.unwrap();
    assert!(
        !serde_json::to_string(&outcome).unwrap().contains(generated),
        "the httpSecret stays masked"
    );
    let Outcome::Applied { rebased_over, .. } = &outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!(
        rebased_over,
        &[FieldChange {
            field: "spec.httpSecret".into(),
            shown: None,
            now: Some(format!("\"{HTTP_SECRET_MASK}\"")),
        }]
    );
    assert!(
        outcome
            .message(crate::config::view::OBJECT)
            .contains("operator had changed spec.httpSecret")
    );
    let config = demo.config().await;
    assert_eq!(config["spec"]["logLevel"], "Debug");
    assert_eq!(config["spec"]["httpSecret"], generated);
}

#[tokio::test]
async fn fields_the_page_does_not_show_never_reach_it_and_a_change_to_them_is_kept() {
    let demo = demo().await;
    let admin = demo.client(DemoUser::Admin).await;
    let affinity = json!({"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
        {"weight": 1, "podAffinityTerm": {"topologyKey": "kubernetes.io/hostname"}}
    ]}});
    demo.patch_config(
        json!({"spec": {"affinity": affinity, "unsupportedConfigOverrides": {"x": 1}}}),
    )
    .await;
    let change = change_from(&admin, log_level_debug()).await;
    let page = serde_json::to_string(&change.shown).unwrap();
    for hidden in ["affinity", "unsupportedConfigOverrides", "observedConfig"] {
        assert!(!page.contains(hidden), "{hidden} reached the page: {page}");
    }
    // Someone changes a field the page never showed: the user's change does not touch it,
    // so it goes on top and keeps theirs.
    demo.patch_config(json!({"spec": {"affinity": null, "unsupportedConfigOverrides": {"x": 2}}}))
        .await;

    let outcome = apply(&admin, &key(), &change).await.unwrap();
    assert_applied(&outcome);
    let config = demo.config().await;
    assert_eq!(config["spec"]["logLevel"], "Debug");
    assert_eq!(
        config["spec"]["unsupportedConfigOverrides"],
        json!({"x": 2})
    );
    assert_eq!(config["spec"].get("affinity"), None);
}

#[tokio::test]
async fn invalid_values_are_refused_by_field_and_change_nothing() {
    let demo = demo().await;
    let admin = demo.client(DemoUser::Admin).await;
    let version = demo.settled_version().await;

    let mut bad_bucket = change_from(
        &admin,
        managed_with(StorageChoice::S3(S3Storage {
            bucket: Some("Bad_Bucket".into()),
            region: Some("us-east-1".into()),
            ..S3Storage::default()
        })),
    )
    .await;
    bad_bucket.credentials = vec![
        credential("REGISTRY_STORAGE_S3_ACCESSKEY", "a"),
        credential("REGISTRY_STORAGE_S3_SECRETKEY", "b"),
    ];
    let review = preview(&admin, &key(), &bad_bucket).await.unwrap();
    assert!(review.blocked);
    let outcome = apply(&admin, &key(), &bad_bucket).await.unwrap();
    let Outcome::Refused { findings, .. } = &outcome else {
        panic!("{outcome:?}");
    };
    assert!(
        findings
            .iter()
            .any(|f| f.field == "spec.storage.s3.bucket" && f.severity == Severity::Error),
        "{findings:?}"
    );

    let mut two_replicas = managed_with(StorageChoice::EmptyDir);
    two_replicas.replicas = Some(2);
    let outcome = apply_edits(&admin, two_replicas).await;
    let Outcome::Refused { findings, .. } = &outcome else {
        panic!("{outcome:?}");
    };
    assert!(
        findings.iter().any(|f| f.field == "spec.replicas"),
        "{findings:?}"
    );

    let config = demo.config().await;
    assert_eq!(config["metadata"]["resourceVersion"], version.as_str());
    assert_eq!(config["spec"]["managementState"], "Removed");
    assert!(demo.secret().await.is_err(), "no secret was written");
}

#[tokio::test]
async fn a_viewers_apply_is_refused_with_403_and_changes_nothing() {
    let demo = demo().await;
    let viewer = demo.client(DemoUser::Viewer).await;
    let version = demo.settled_version().await;
    let change = change_from(&viewer, managed_with(StorageChoice::EmptyDir)).await;
    assert!(
        !change.shown.credentials.readable,
        "viewers may not read secrets"
    );
    match apply(&viewer, &key(), &change).await {
        Err(kube::Error::Api(status)) => assert_eq!(status.code, 403, "{status:?}"),
        other => panic!("expected 403, got {other:?}"),
    }
    let config = demo.config().await;
    assert_eq!(config["metadata"]["resourceVersion"], version.as_str());
    assert_eq!(config["spec"]["managementState"], "Removed");
}

// ---- as a signed-in user of the console ----

#[tokio::test]
async fn the_console_answers_a_viewer_with_403_and_refuses_everyone_when_read_only() {
    let demo = demo().await;
    let version = demo.settled_version().await;
    let edits = managed_with(StorageChoice::EmptyDir);

    let viewer = demo.signed_in(DemoUser::Viewer, false).await;
    let page = read_as(&viewer).await.unwrap();
    assert!(!page.viewer.can_edit, "viewers get no edit controls");
    let shown = page.shown;
    let change = ConfigChange {
        shown,
        edits: edits.clone(),
        credentials: Vec::new(),
    };
    let error = apply_as(&viewer, &change).await.unwrap_err();
    assert_eq!(error.status(), 403, "{error}");
    assert!(
        error.to_string().contains("change the registry config"),
        "{error}"
    );

    let admin_on_read_only = demo.signed_in(DemoUser::Admin, true).await;
    let error = apply_as(&admin_on_read_only, &change).await.unwrap_err();
    assert_eq!(error.status(), 403);
    assert!(error.to_string().contains("read-only"), "{error}");

    let config = demo.config().await;
    assert_eq!(config["metadata"]["resourceVersion"], version.as_str());
    assert_eq!(config["spec"]["managementState"], "Removed");
}

#[tokio::test]
async fn a_config_change_without_the_version_shown_is_refused_and_changes_nothing() {
    let demo = demo().await;
    let version = demo.settled_version().await;
    let admin = demo.signed_in(DemoUser::Admin, false).await;
    let mut change = change_from(
        &demo.client(DemoUser::Admin).await,
        managed_with(StorageChoice::EmptyDir),
    )
    .await;
    change.shown.resource_version = String::new();
    let error = apply_as(&admin, &change).await.unwrap_err();
    assert_eq!(error.status(), 422, "{error}");
    assert!(error.to_string().contains("resourceVersion"), "{error}");
    let config = demo.config().await;
    assert_eq!(config["metadata"]["resourceVersion"], version.as_str());
    assert_eq!(config["spec"]["managementState"], "Removed");
}

// ---- block storage, credential times, httpSecret, placement and routes ----

fn block_storage(name: &str, size: &str, class: Option<&str>) -> ConfigEdits {
    use registry_model::registry_config::RolloutStrategy;
    use registry_model::validation::claim::NewClaim;
    ConfigEdits {
        management_state: Some(ManagementState::Managed),
        replicas: Some(1),
        rollout_strategy: Some(RolloutStrategy::Recreate),
        storage: Some(StorageChoice::Pvc(PvcStorage {
            claim: Some(name.into()),
        })),
        new_claim: Some(NewClaim {
            name: name.into(),
            size: size.into(),
            storage_class: class.map(str::to_owned),
        }),
        ..ConfigEdits::default()
    }
}

#[tokio::test]
async fn block_storage_creates_its_claim_first_and_kubectl_reads_both_back() {
    let demo = demo().await;
    let admin = demo.client(DemoUser::Admin).await;
    let shown = read(&admin, &key()).await.unwrap();
    let classes = shown
        .storage_classes
        .clone()
        .expect("an admin lists classes");
    assert_eq!(classes.default.as_deref(), Some("standard"));
    assert!(
        shown
            .claims
            .clone()
            .expect("an admin lists claims")
            .is_empty()
    );

    let change = change_from(
        &admin,
        block_storage("registry-block", "100Gi", Some("standard")),
    )
    .await;
    let review = preview(&admin, &key(), &change).await.unwrap();
    assert!(!review.blocked, "{:?}", review.findings);
    let oc = review.oc_claim.clone().expect("the claim's command");
    assert!(oc.starts_with("oc create -f - <<'EOF'"), "{oc}");
    assert!(
        oc.contains("ReadWriteOnce") && oc.contains("storage: 100Gi"),
        "{oc}"
    );
    assert!(
        demo.claim("registry-block").await.is_err(),
        "the review creates nothing"
    );

    let outcome = apply(&admin, &key(), &change).await.unwrap();
    assert_applied(&outcome);
    let claim = demo.claim("registry-block").await.unwrap();
    assert_eq!(claim["spec"]["accessModes"], json!(["ReadWriteOnce"]));
    assert_eq!(claim["spec"]["resources"]["requests"]["storage"], "100Gi");
    assert_eq!(claim["spec"]["storageClassName"], "standard");
    let spec = demo.config().await["spec"].clone();
    assert_eq!(spec["storage"]["pvc"]["claim"], "registry-block");
    assert_eq!(spec["replicas"], 1);
    assert_eq!(spec["rolloutStrategy"], "Recreate");
    let shown = read(&admin, &key()).await.unwrap();
    let listed = shown.claims.unwrap();
    assert_eq!(listed[0].name, "registry-block");
    assert_eq!(listed[0].access_modes, ["ReadWriteOnce"]);
}

#[tokio::test]
async fn credentials_for_a_secret_changed_since_the_page_loaded_are_refused_and_nothing_is_written()
{
    let demo = demo().await;
    let admin = demo.client(DemoUser::Admin).await;
    let keys = |access: &str| {
        vec![
            credential("REGISTRY_STORAGE_S3_ACCESSKEY", access),
            credential("REGISTRY_STORAGE_S3_SECRETKEY", "secret-value"),
        ]
    };
    let mut first = change_from(&admin, managed_on_s3()).await;
    first.credentials = keys("AKIAFIRST");
    assert_applied(&apply(&admin, &key(), &first).await.unwrap());
    // A page loaded now, then someone changes the secret with oc before it applies.
    let mut change = change_from(&admin, log_level_debug()).await;
    change.credentials = keys("AKIASECOND");
    demo.kubectl(
        &[
            "annotate",
            "secret",
            CREDENTIALS_SECRET,
            "-n",
            REGISTRY_NAMESPACE,
            "by=oc",
        ],
        None,
    )
    .await
    .unwrap();
    let outcome = apply(&admin, &key(), &change).await.unwrap();
    assert_refused_on(&outcome, "credentials");
    assert!(
        outcome
            .message(crate::config::view::OBJECT)
            .contains("changed since this page loaded"),
        "{outcome:?}"
    );
    let secret = demo.secret().await.unwrap();
    assert_eq!(
        base64_decode(
            secret["data"]["REGISTRY_STORAGE_S3_ACCESSKEY"]
                .as_str()
                .unwrap()
        ),
        b"AKIAFIRST"
    );
    assert_eq!(demo.config().await["spec"]["logLevel"], "Normal");
}

#[tokio::test]
async fn the_api_server_dying_between_the_config_and_the_keys_is_told_with_what_is_left() {
    let demo = demo().await;
    let admin = demo.client(DemoUser::Admin).await;
    let mut change = change_from(&admin, managed_on_s3()).await;
    change.credentials = vec![
        credential("REGISTRY_STORAGE_S3_ACCESSKEY", "AKIADYINGSERVER7Q"),
        credential("REGISTRY_STORAGE_S3_SECRETKEY", "dying-server-secret"),
    ];
    // The config is the first real write, the keys' Secret the second: the API server
    // dies as that one arrives, and stays away while the console would take the first back.
    let api = DyingApi::start(&demo, 2).await;
    let through = api.client(demo.cluster.token(DemoUser::Admin));
    let outcome = apply(&through, &key(), &change).await.unwrap();
    let Outcome::Refused { findings, undone } = &outcome else {
        panic!("{outcome:?}")
    };
    assert!(
        findings.iter().any(|f| f.field == "credentials"),
        "{findings:?}"
    );
    let [undo] = undone.as_slice() else {
        panic!("{undone:?}")
    };
    assert_eq!(undo.what, Undone::ConfigChange);
    let left = undo
        .left
        .as_deref()
        .expect("the config could not be taken back");
    assert!(
        left.contains("oc patch configs.imageregistry.operator.openshift.io/cluster"),
        "{left}"
    );
    // The page says part of the change is in, which part, and how to take it back.
    let said = outcome.message(crate::edit::outcome::Object::Config);
    assert!(said.starts_with("Not all of the change was made"), "{said}");
    assert!(said.contains("the cluster stopped answering"), "{said}");
    assert!(said.contains("still in place"), "{said}");
    assert!(!said.contains("dying-server-secret"), "{said}");
    assert_eq!(api.writes.load(std::sync::atomic::Ordering::SeqCst), 2);
    // Read directly: the config is written, the keys are not.
    assert_eq!(
        demo.config().await["spec"]["storage"]["s3"]["bucket"],
        "registry-images"
    );
    assert!(demo.secret().await.is_err());
    drop(api);

    // With the API server back, the same change reviewed from what the cluster now holds
    // applies, keys and all.
    let mut again = change_from(&admin, managed_on_s3()).await;
    again.credentials = change.credentials.clone();
    assert_applied(&apply(&admin, &key(), &again).await.unwrap());
    assert!(demo.secret().await.is_ok());
}

#[tokio::test]
async fn undoing_a_config_write_restores_its_fields_only_if_nobody_changed_it_since() {
    let demo = demo().await;
    let admin = demo.client(DemoUser::Admin).await;
    demo.patch_config(json!({"spec": {"logLevel": "Debug", "replicas": 2}}))
        .await;
    let version = |config: &Value| {
        ShownVersion::new(config["metadata"]["resourceVersion"].as_str().unwrap()).unwrap()
    };
    let written = demo.config().await;
    let undo = ConfigUndo {
        version: version(&written),
        inverse: Some(
            json!({"spec": {"logLevel": "Normal", "proxy": {"http": "http://u:***@p:3128"}}}),
        ),
    };
    // Someone changes the config first: the undo is left, with the command that does it.
    demo.patch_config(json!({"spec": {"replicas": 3}})).await;
    let left = undo_config(&admin, &undo).await;
    let why = left.left.expect("a config changed since is kept");
    assert!(
        why.contains("oc patch configs.imageregistry.operator.openshift.io/cluster"),
        "{why}"
    );
    assert!(
        !why.contains("***"),
        "masked values are never written back: {why}"
    );
    assert_eq!(demo.config().await["spec"]["logLevel"], "Debug");
    // At the version it wrote, it restores the fields, and nothing else.
    let undo = ConfigUndo {
        version: version(&demo.config().await),
        ..undo
    };
    assert_eq!(undo_config(&admin, &undo).await.left, None);
    let spec = demo.config().await["spec"].clone();
    assert_eq!(spec["logLevel"], "Normal");
    assert_eq!(spec["replicas"], 3);
    assert_eq!(spec.get("proxy"), None);
}

#[tokio::test]
async fn undoing_removes_only_the_claim_as_this_change_made_it_and_says_so() {
    let demo = demo().await;
    let admin = demo.client(DemoUser::Admin).await;
    let new = NewClaim {
        name: "registry-block".into(),
        size: "100Gi".into(),
        storage_class: None,
    };
    let made = create_claim(&admin, &new, false).await.unwrap().unwrap();
    let made = made.expect("a real create has a version");
    // Someone labels it after the change created it: it is theirs now too, and stays.
    demo.kubectl(
        &[
            "label",
            "pvc",
            "registry-block",
            "-n",
            REGISTRY_NAMESPACE,
            "keep=yes",
        ],
        None,
    )
    .await
    .unwrap();
    let left = undo_claim(&admin, &new, &made).await;
    assert_eq!(
        left.what,
        crate::edit::outcome::Undone::Claim {
            name: "registry-block".into()
        }
    );
    let why = left.left.expect("a claim changed since is left");
    assert!(
        why.contains("oc delete pvc registry-block -n openshift-image-registry"),
        "{why}"
    );
    assert!(demo.claim("registry-block").await.is_ok());
    // As it is now, it is removed.
    let now = demo.claim("registry-block").await.unwrap();
    let now = ShownVersion::new(now["metadata"]["resourceVersion"].as_str().unwrap()).unwrap();
    assert_eq!(undo_claim(&admin, &new, &now).await.left, None);
    assert!(demo.claim("registry-block").await.is_err());
    // A second create of a taken name is a finding on the name, not an error.
    create_claim(&admin, &new, false).await.unwrap().unwrap();
    let taken = create_claim(&admin, &new, true).await.unwrap().unwrap_err();
    assert_eq!(taken[0].field, "newClaim.name");
    assert!(
        taken[0].message.to_string().contains("exists already"),
        "{taken:?}"
    );
}

#[tokio::test]
async fn a_block_storage_change_that_is_not_written_leaves_no_claim_behind() {
    let demo = demo().await;
    let admin = demo.client(DemoUser::Admin).await;
    let change = change_from(&admin, block_storage("registry-block", "100Gi", None)).await;
    demo.patch_config(json!({"spec": {"logLevel": "Debug"}}))
        .await;
    let outcome = apply(&admin, &key(), &change).await.unwrap();
    assert!(matches!(outcome, Outcome::Conflict { .. }), "{outcome:?}");
    assert!(
        demo.claim("registry-block").await.is_err(),
        "the claim made for the refused write is deleted again"
    );
    assert_eq!(demo.config().await["spec"]["managementState"], "Removed");

    // Bad values never reach the API: the claim's own rules refuse them.
    let bad = change_from(
        &admin,
        block_storage("Registry_Block", "lots", Some("gold")),
    )
    .await;
    let Outcome::Refused { findings, .. } = apply(&admin, &key(), &bad).await.unwrap() else {
        panic!("refused");
    };
    let fields: Vec<&str> = findings.iter().map(|f| f.field.as_str()).collect();
    for field in ["newClaim.name", "newClaim.size", "newClaim.storageClass"] {
        assert!(fields.contains(&field), "{field}: {fields:?}");
    }
    let claims = demo
        .kubectl_json(&["get", "pvc", "-n", REGISTRY_NAMESPACE, "-o", "json"])
        .await
        .unwrap();
    assert_eq!(claims["items"], json!([]));
}

#[tokio::test]
async fn each_credential_key_says_when_it_changed_and_who_changed_it() {
    use crate::config::view::KeyChanged;
    let demo = demo().await;
    let admin = demo.client(DemoUser::Admin).await;
    let mut change = change_from(&admin, managed_on_s3()).await;
    change.credentials = vec![
        credential("REGISTRY_STORAGE_S3_ACCESSKEY", "AKIAEXAMPLE"),
        credential("REGISTRY_STORAGE_S3_SECRETKEY", "first-secret-value"),
    ];
    let before = chrono::Utc::now() - chrono::Duration::seconds(1);
    let outcome = apply(&admin, &key(), &change).await.unwrap();
    assert_applied(&outcome);
    let shown = read(&admin, &key()).await.unwrap();
    for key in [
        "REGISTRY_STORAGE_S3_ACCESSKEY",
        "REGISTRY_STORAGE_S3_SECRETKEY",
    ] {
        match &shown.credentials.changed[key] {
            KeyChanged::Console { at } => assert!(*at >= before, "{at}"),
            other => panic!("{key}: {other:?}"),
        }
    }
    let page = serde_json::to_string(&shown).unwrap();
    assert!(!page.contains("first-secret-value") && !page.contains("AKIAEXAMPLE"));

    // A change made with kubectl is told apart, without the value ever being read out.
    let encoded = "b3RoZXItdmFsdWU="; // "other-value"
    demo.kubectl_json(&[
        "patch",
        "secret",
        CREDENTIALS_SECRET,
        "-n",
        REGISTRY_NAMESPACE,
        "--type",
        "merge",
        "-p",
        &format!(r#"{{"data":{{"REGISTRY_STORAGE_S3_SECRETKEY":"{encoded}"}}}}"#),
    ])
    .await
    .unwrap();
    let shown = read(&admin, &key()).await.unwrap();
    assert!(matches!(
        shown.credentials.changed["REGISTRY_STORAGE_S3_ACCESSKEY"],
        KeyChanged::Console { .. }
    ));
    assert!(
        matches!(
            shown.credentials.changed["REGISTRY_STORAGE_S3_SECRETKEY"],
            KeyChanged::Elsewhere { .. }
        ),
        "{:?}",
        shown.credentials.changed
    );
    let annotations = demo.secret().await.unwrap()["metadata"]["annotations"].clone();
    let mark = annotations["registry-console.io/changed-REGISTRY_STORAGE_S3_SECRETKEY"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(!mark.contains("first-secret-value"), "{mark}");
}

#[tokio::test]
async fn a_regenerated_http_secret_is_new_and_never_shown() {
    let demo = demo().await;
    let admin = demo.client(DemoUser::Admin).await;
    let old = "0123456789abcdef";
    demo.patch_config(json!({"spec": {"httpSecret": old}}))
        .await;
    let change = change_from(
        &admin,
        ConfigEdits {
            regenerate_http_secret: true,
            ..ConfigEdits::default()
        },
    )
    .await;
    assert_eq!(
        change.shown.spec.http_secret.as_deref(),
        Some(HTTP_SECRET_MASK)
    );
    let review = preview(&admin, &key(), &change).await.unwrap();
    let oc = review.oc_patch.clone().unwrap();
    assert!(
        oc.contains(r#""httpSecret":"'"$(openssl rand -hex 64)"'""#),
        "{oc}"
    );
    let outcome = apply(&admin, &key(), &change).await.unwrap();
    assert_applied(&outcome);
    let now = demo.config().await["spec"]["httpSecret"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(now, old);
    assert_eq!(now.len(), 128);
    assert!(now.bytes().all(|b| b.is_ascii_hexdigit()));
    let returned =
        serde_json::to_string(&(review, outcome, read(&admin, &key()).await.unwrap())).unwrap();
    assert!(!returned.contains(&now), "the new value never comes back");
}

#[tokio::test]
async fn placement_resources_and_routes_are_applied_and_kubectl_reads_them_back() {
    use k8s_openapi::api::core::v1::{ResourceRequirements, Toleration};
    use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
    use registry_model::registry_config::ImageRegistryConfigRoute;
    let demo = demo().await;
    let admin = demo.client(DemoUser::Admin).await;
    let edits = ConfigEdits {
        node_selector: Some([("node-role.kubernetes.io/infra".into(), String::new())].into()),
        tolerations: Some(vec![Toleration {
            key: Some("node-role.kubernetes.io/infra".into()),
            operator: Some("Exists".into()),
            effect: Some("NoSchedule".into()),
            ..Toleration::default()
        }]),
        resources: Some(ResourceRequirements {
            requests: Some([("memory".into(), Quantity("512Mi".into()))].into()),
            limits: Some([("memory".into(), Quantity("1Gi".into()))].into()),
            ..ResourceRequirements::default()
        }),
        routes: Some(vec![ImageRegistryConfigRoute {
            name: "public".into(),
            hostname: Some("registry.apps.example.com".into()),
            secret_name: None,
        }]),
        ..ConfigEdits::default()
    };
    let outcome = apply_edits(&admin, edits).await;
    assert_applied(&outcome);
    let spec = demo.config().await["spec"].clone();
    assert_eq!(
        spec["nodeSelector"],
        json!({"node-role.kubernetes.io/infra": ""})
    );
    assert_eq!(
        spec["tolerations"],
        json!([{"key": "node-role.kubernetes.io/infra", "operator": "Exists", "effect": "NoSchedule"}])
    );
    assert_eq!(
        spec["resources"],
        json!({"requests": {"memory": "512Mi"}, "limits": {"memory": "1Gi"}})
    );
    assert_eq!(
        spec["routes"],
        json!([{"name": "public", "hostname": "registry.apps.example.com"}])
    );

    // A request above its limit is refused and changes nothing.
    let bad = ConfigEdits {
        resources: Some(ResourceRequirements {
            requests: Some([("memory".into(), Quantity("4Gi".into()))].into()),
            limits: Some([("memory".into(), Quantity("1Gi".into()))].into()),
            ..ResourceRequirements::default()
        }),
        ..ConfigEdits::default()
    };
    let outcome = apply_edits(&admin, bad).await;
    let Outcome::Refused { findings, .. } = &outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!(findings[0].field, "spec.resources.requests.memory");
    assert_eq!(demo.config().await["spec"]["resources"], spec["resources"]);

    // Emptied, they are removed rather than left empty (an empty node selector would
    // still drop the operator's default spreading).
    let cleared = ConfigEdits {
        node_selector: Some(Default::default()),
        tolerations: Some(Vec::new()),
        resources: Some(ResourceRequirements::default()),
        routes: Some(Vec::new()),
        ..ConfigEdits::default()
    };
    let outcome = apply_edits(&admin, cleared).await;
    assert_applied(&outcome);
    let spec = demo.config().await["spec"].clone();
    for field in ["nodeSelector", "tolerations", "resources", "routes"] {
        assert!(spec.get(field).is_none(), "{field}: {spec}");
    }
}

#[tokio::test]
async fn a_viewer_lists_claims_and_classes_but_credentials_stay_unknown() {
    let demo = demo().await;
    let viewer = demo.client(DemoUser::Viewer).await;
    let shown = read(&viewer, &key()).await.unwrap();
    // The demo viewer may list claims and classes, but not read secrets: the keys are
    // unknown, which the form says, rather than missing.
    assert!(shown.claims.is_some());
    assert_eq!(
        shown.storage_classes.unwrap().default.as_deref(),
        Some("standard")
    );
    assert!(!shown.credentials.readable);
    assert!(shown.credentials.keys.is_empty() && shown.credentials.changed.is_empty());
}

/// Standard base64, as the API encodes secret data.
fn base64_decode(text: &str) -> Vec<u8> {
    serde_json::from_value::<k8s_openapi::ByteString>(Value::String(text.into()))
        .unwrap()
        .0
}

#[tokio::test]
async fn without_a_user_secret_the_clusters_own_credentials_serve() {
    let demo = demo().await;
    let admin = demo.client(DemoUser::Admin).await;
    let s3 = managed_on_s3;
    // Bare metal: nothing to fall back on, so S3 without keys is refused.
    let outcome = apply_edits(&admin, s3()).await;
    let Outcome::Refused { findings, .. } = &outcome else {
        panic!("{outcome:?}");
    };
    assert!(
        findings[0]
            .message
            .to_string()
            .contains("installer-cloud-credentials"),
        "{findings:?}"
    );

    // With the cloud credential operator's secret (as on AWS), no keys are needed.
    demo.kubectl_json(&[
        "create",
        "secret",
        "generic",
        "installer-cloud-credentials",
        "-n",
        REGISTRY_NAMESPACE,
        "--from-literal=aws_access_key_id=AKIAMINTED",
        "--from-literal=aws_secret_access_key=minted",
    ])
    .await
    .unwrap();
    let change = change_from(&admin, s3()).await;
    assert_eq!(
        change.shown.credentials.cluster_keys,
        ["aws_access_key_id", "aws_secret_access_key"]
    );
    assert!(
        !serde_json::to_string(&change.shown)
            .unwrap()
            .contains("AKIAMINTED")
    );
    let outcome = apply(&admin, &key(), &change).await.unwrap();
    assert_applied(&outcome);
    assert!(demo.secret().await.is_err(), "no user secret was made");
    // The simulated operator uses them too: the registry comes up on S3.
    demo.wait_for("the registry ready on S3", |config| {
        config["status"]["conditions"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|c| c["type"] == "Available" && c["status"] == "True" && c["reason"] == "Ready")
    })
    .await;

    // A user secret replaces them as a whole: one key alone is refused.
    let mut half = change_from(&admin, log_level_debug()).await;
    half.credentials = vec![credential("REGISTRY_STORAGE_S3_ACCESSKEY", "AKIAUSER")];
    let Outcome::Refused { findings, .. } = apply(&admin, &key(), &half).await.unwrap() else {
        panic!("refused");
    };
    assert!(
        findings[0].message.to_string().contains("as a whole"),
        "{findings:?}"
    );
    assert!(demo.secret().await.is_err(), "nothing was written");
}

#[tokio::test]
async fn a_proxy_password_never_reaches_the_page_and_survives_other_changes() {
    use registry_model::registry_config::ProxyConfig;
    let demo = demo().await;
    let admin = demo.client(DemoUser::Admin).await;
    let stored = "http://registry:Pr0xy-pa55@proxy.example.com:3128";
    demo.patch_config(json!({"spec": {"proxy": {"http": stored}}}))
        .await;
    let shown = read(&admin, &key()).await.unwrap();
    let masked = shown.spec.proxy.clone().unwrap().http.unwrap();
    assert_eq!(masked, "http://registry:***@proxy.example.com:3128");
    assert!(
        !serde_json::to_string(&shown)
            .unwrap()
            .contains("Pr0xy-pa55")
    );

    // Another proxy field changes; the password stays as stored and is never shown.
    let edits = ConfigEdits {
        proxy: Some(ProxyConfig {
            http: Some(masked.clone()),
            no_proxy: Some(".cluster.local".into()),
            ..ProxyConfig::default()
        }),
        ..ConfigEdits::default()
    };
    let change = change_from(&admin, edits).await;
    let review = preview(&admin, &key(), &change).await.unwrap();
    assert!(
        !serde_json::to_string(&review)
            .unwrap()
            .contains("Pr0xy-pa55")
    );
    let outcome = apply(&admin, &key(), &change).await.unwrap();
    assert_applied(&outcome);
    let proxy = demo.config().await["spec"]["proxy"].clone();
    assert_eq!(proxy["http"], stored);
    assert_eq!(proxy["noProxy"], ".cluster.local");

    // A changed URL that still carries the mask is refused: the password must be typed.
    let edits = ConfigEdits {
        proxy: Some(ProxyConfig {
            http: Some("http://registry:***@proxy.example.com:3129".into()),
            no_proxy: Some(".cluster.local".into()),
            ..ProxyConfig::default()
        }),
        ..ConfigEdits::default()
    };
    let outcome = apply_edits(&admin, edits).await;
    let Outcome::Refused { findings, .. } = &outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!(findings[0].field, "spec.proxy.http");
    assert_eq!(demo.config().await["spec"]["proxy"]["http"], stored);
}

#[tokio::test]
async fn moving_to_a_claim_of_your_own_gives_up_ownership_so_removed_keeps_it() {
    let demo = demo().await;
    let admin = demo.client(DemoUser::Admin).await;
    let operator_claim = || {
        managed_with(StorageChoice::Pvc(PvcStorage {
            claim: Some(String::new()),
        }))
    };
    let outcome = apply_edits(&admin, operator_claim()).await;
    assert_applied(&outcome);
    demo.wait_for("the operator's own claim, Managed", |c| {
        c["spec"]["storage"]["managementState"] == "Managed"
    })
    .await;

    // The admin's own claim, then the registry moved onto it.
    let own = json!({
        "apiVersion": "v1", "kind": "PersistentVolumeClaim",
        "metadata": {"name": "my-registry-claim", "namespace": REGISTRY_NAMESPACE},
        "spec": {"accessModes": ["ReadWriteMany"], "resources": {"requests": {"storage": "200Gi"}}}
    });
    Api::<PersistentVolumeClaim>::namespaced(admin.clone(), REGISTRY_NAMESPACE)
        .create(&Default::default(), &serde_json::from_value(own).unwrap())
        .await
        .unwrap();
    let moved = ConfigEdits {
        storage: Some(StorageChoice::Pvc(PvcStorage {
            claim: Some("my-registry-claim".into()),
        })),
        ..ConfigEdits::default()
    };
    let change = change_from(&admin, moved).await;
    let review = preview(&admin, &key(), &change).await.unwrap();
    assert_eq!(
        review.patch.as_ref().unwrap()["spec"]["storage"].get("managementState"),
        Some(&Value::Null),
        "the operator decides again for a claim it did not make: {:?}",
        review.patch
    );
    let outcome = apply(&admin, &key(), &change).await.unwrap();
    assert_applied(&outcome);
    demo.wait_for("the admin's claim, Unmanaged", |c| {
        c["spec"]["storage"]["managementState"] == "Unmanaged"
    })
    .await;

    // Removed now leaves the admin's claim (and its images) alone.
    let removed = ConfigEdits {
        management_state: Some(ManagementState::Removed),
        ..ConfigEdits::default()
    };
    let outcome = apply_edits(&admin, removed).await;
    assert_applied(&outcome);
    demo.wait_for("the registry removed", |c| {
        c["status"]["conditions"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|c| c["type"] == "Removed" && c["status"] == "True")
    })
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        demo.claim("my-registry-claim").await.is_ok(),
        "the admin's claim is kept"
    );
}
