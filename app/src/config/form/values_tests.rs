use super::*;
use crate::config::view::{CredentialsStatus, StorageClasses};
use registry_model::edit::config::HTTP_SECRET_REGENERATED;
use registry_model::registry_config::{AzureStorage, S3Storage};
use registry_model::validation::claim::ClaimSummary;
use registry_model::validation::{Severity, blocks};

const S3_ACCESS_KEY: &str = "REGISTRY_STORAGE_S3_ACCESSKEY";
const S3_SECRET_KEY: &str = "REGISTRY_STORAGE_S3_SECRETKEY";

fn shown(storage: Storage, keys: &[&str]) -> ShownConfig {
    ShownConfig {
        resource_version: "7".into(),
        spec: ConfigView {
            management_state: Some(ManagementState::Removed),
            replicas: 1,
            storage: Some(storage),
            ..ConfigView::default()
        },
        credentials: CredentialsStatus {
            readable: true,
            exists: !keys.is_empty(),
            keys: keys.iter().map(|k| k.to_string()).collect(),
            ..CredentialsStatus::default()
        },
        claims: Some(Vec::new()),
        storage_classes: None,
    }
}

fn type_in(values: &mut FormValues, id: &str, text: &str) {
    values.fields.insert(id.into(), text.into());
}

#[test]
fn an_untouched_form_changes_nothing_it_does_not_show() {
    let s3 = S3Storage {
        bucket: Some("images".into()),
        region: Some("us-east-1".into()),
        encrypt: Some(true),
        ..S3Storage::default()
    };
    let shown = shown(
        Storage {
            s3: Some(s3),
            ..Storage::default()
        },
        &[S3_ACCESS_KEY, S3_SECRET_KEY],
    );
    let values = FormValues::from_shown(&shown);
    assert_eq!(values.kind, Some(StorageKind::S3));
    assert_eq!(values.fields["s3.bucket"], "images");
    assert_eq!(
        values.edits(&shown).apply_to(&shown.spec),
        shown.spec,
        "encrypt is kept, unset settings shown as their defaults are not sent"
    );
    assert!(values.request(&shown).credentials.is_empty());
    assert!(!blocks(&values.findings(&shown)));
    let mut toggled = values.clone();
    toggled.default_route = true;
    toggled.log_level = LogLevel::Debug;
    let edits = toggled.edits(&shown);
    assert_eq!(edits.default_route, Some(true));
    assert_eq!(edits.log_level, Some(LogLevel::Debug));
    assert_eq!(edits.read_only, None);
    assert_eq!(edits.proxy, None);
    assert_eq!(edits.requests, None);
}

#[test]
fn proxy_and_request_limits_are_sent_whole_and_only_when_changed() {
    let mut shown = shown(Storage::default(), &[]);
    shown.spec.proxy = Some(ProxyConfig {
        http: Some("http://proxy:3128".into()),
        ..ProxyConfig::default()
    });
    let mut values = FormValues::from_shown(&shown);
    assert_eq!(values.settings["proxy.http"], "http://proxy:3128");
    values
        .settings
        .insert("requests.read.maxRunning".into(), "10".into());
    values
        .settings
        .insert("requests.read.maxWaitInQueue".into(), "30s".into());
    let edits = values.edits(&shown);
    assert_eq!(edits.proxy, None, "the proxy did not change");
    let read = edits.requests.unwrap().read.unwrap();
    assert_eq!(read.max_running, Some(10));
    assert_eq!(read.max_wait_in_queue.as_deref(), Some("30s"));
    values
        .settings
        .insert("requests.write.maxInQueue".into(), "many".into());
    assert!(
        values
            .findings(&shown)
            .iter()
            .any(|f| f.field == "spec.requests.write.maxInQueue")
    );
    values.settings.insert("proxy.http".into(), String::new());
    assert_eq!(values.edits(&shown).proxy, Some(ProxyConfig::default()));
}

#[test]
fn the_browser_runs_the_shared_rules() {
    let shown = shown(Storage::default(), &[]);
    let mut values = FormValues::from_shown(&shown);
    assert_eq!(values.kind, None);
    values.kind = Some(StorageKind::S3);
    type_in(&mut values, "s3.bucket", "Bad_Bucket");
    type_in(&mut values, "s3.region", "us-east-1");
    let fields: Vec<String> = values
        .findings(&shown)
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.field)
        .collect();
    assert!(
        fields.contains(&"spec.storage.s3.bucket".to_string()),
        "{fields:?}"
    );
    assert!(fields.contains(&"credentials".to_string()), "{fields:?}");
    values.kind = Some(StorageKind::Azure);
    type_in(&mut values, "azure.accountName", "registrystore");
    // With the user's own account key, the operator needs the container named.
    values
        .secrets
        .insert("REGISTRY_STORAGE_AZURE_ACCOUNTKEY".into(), "key==".into());
    let fields: Vec<String> = values
        .findings(&shown)
        .into_iter()
        .map(|f| f.field)
        .collect();
    assert!(
        fields.contains(&"spec.storage.azure.container".to_string()),
        "{fields:?}"
    );
    values.kind = Some(StorageKind::EmptyDir);
    values.replicas = "2".into();
    assert!(
        values
            .findings(&shown)
            .iter()
            .any(|f| f.field == "spec.replicas")
    );
    values.replicas = "two".into();
    assert!(blocks(&values.findings(&shown)));
}

#[test]
fn each_provider_sends_only_its_fields_and_typed_credentials() {
    let shown = shown(Storage::default(), &[]);
    let mut values = FormValues::from_shown(&shown);
    values.kind = Some(StorageKind::Azure);
    type_in(&mut values, "azure.accountName", "registrystore");
    type_in(&mut values, "azure.container", "images");
    type_in(&mut values, "s3.bucket", "not-for-azure");
    values
        .secrets
        .insert("REGISTRY_STORAGE_AZURE_ACCOUNTKEY".into(), "key==".into());
    values.secrets.insert(S3_ACCESS_KEY.into(), "AKIA".into());
    let request = values.request(&shown);
    assert_eq!(
        request.edits.storage,
        Some(StorageChoice::Azure(AzureStorage {
            account_name: Some("registrystore".into()),
            container: Some("images".into()),
            ..AzureStorage::default()
        }))
    );
    assert_eq!(
        request.credentials,
        [(
            "REGISTRY_STORAGE_AZURE_ACCOUNTKEY".to_string(),
            "key==".to_string(),
            None
        )]
    );
    values.kind = Some(StorageKind::Pvc);
    assert!(values.request(&shown).credentials.is_empty());
    assert_eq!(
        values.edits(&shown).storage,
        Some(StorageChoice::Pvc(PvcStorage {
            claim: Some(String::new())
        }))
    );
}

fn claim(name: &str, mode: &str, size: &str) -> ClaimSummary {
    ClaimSummary {
        name: name.into(),
        access_modes: vec![mode.into()],
        size: Some(size.into()),
        storage_class: None,
        phase: Some("Bound".into()),
    }
}

fn error_fields(values: &FormValues, shown: &ShownConfig) -> Vec<String> {
    values
        .findings(shown)
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.field)
        .collect()
}

#[test]
fn block_storage_creates_a_read_write_once_claim_with_one_replica_and_recreate() {
    let mut shown = shown(Storage::default(), &[]);
    shown.spec.replicas = 2;
    shown.claims = Some(vec![claim("taken", "ReadWriteMany", "200Gi")]);
    shown.storage_classes = Some(StorageClasses {
        names: vec!["standard".into(), "fast".into()],
        default: Some("standard".into()),
    });
    let mut values = FormValues::from_shown(&shown);
    assert_eq!(
        values.new_claim_class, "standard",
        "the default class is proposed"
    );
    values.choose_block_storage();
    assert_eq!(values.replicas, "1");
    assert_eq!(values.rollout, RolloutStrategy::Recreate);
    let edits = values.edits(&shown);
    let new = edits.new_claim.clone().expect("a claim to create");
    assert_eq!(new.name, BLOCK_CLAIM_NAME);
    assert_eq!(new.size, "100Gi");
    assert_eq!(new.storage_class.as_deref(), Some("standard"));
    assert_eq!(
        edits.storage,
        Some(StorageChoice::Pvc(PvcStorage {
            claim: Some(BLOCK_CLAIM_NAME.into())
        }))
    );
    assert_eq!(edits.replicas, Some(1));
    assert_eq!(edits.rollout_strategy, Some(RolloutStrategy::Recreate));
    assert!(
        error_fields(&values, &shown).is_empty(),
        "{:?}",
        values.findings(&shown)
    );

    // Back to two replicas on the new ReadWriteOnce claim: refused, as the guide says.
    values.replicas = "2".into();
    assert!(error_fields(&values, &shown).contains(&"spec.replicas".to_string()));
    values.replicas = "1".into();
    values.new_claim_name = "taken".into();
    values.new_claim_class = "slow".into();
    let fields = error_fields(&values, &shown);
    assert!(fields.contains(&"newClaim.name".to_string()), "{fields:?}");
    assert!(
        fields.contains(&"newClaim.storageClass".to_string()),
        "{fields:?}"
    );

    // Choosing a plain PVC again drops the claim to create.
    values.claim_mode = ClaimMode::Operator;
    assert_eq!(values.edits(&shown).new_claim, None);
}

#[test]
fn the_browser_judges_existing_claims_it_may_list() {
    let mut shown = shown(Storage::default(), &[]);
    shown.spec.replicas = 2;
    shown.claims = Some(vec![
        claim("rwo", "ReadWriteOnce", "100Gi"),
        claim("rwx", "ReadWriteMany", "100Gi"),
    ]);
    let mut values = FormValues::from_shown(&shown);
    values.kind = Some(StorageKind::Pvc);
    values.claim_mode = ClaimMode::Existing;
    values.claim = "rwo".into();
    let fields = error_fields(&values, &shown);
    assert!(fields.contains(&"spec.replicas".to_string()), "{fields:?}");
    assert!(
        fields.contains(&"spec.rolloutStrategy".to_string()),
        "{fields:?}"
    );
    values.claim = "rwx".into();
    assert!(error_fields(&values, &shown).is_empty());
    values.claim = "missing".into();
    assert_eq!(error_fields(&values, &shown), ["spec.storage.pvc.claim"]);
    values.claim = String::new();
    let unpicked = values.findings(&shown);
    assert!(
        unpicked.iter().any(|f| f.field == "spec.storage.pvc.claim"
            && f.message.to_string().contains("choose the claim")),
        "{unpicked:?}"
    );
    // Without list access the browser cannot tell; the server decides.
    values.claim = "missing".into();
    shown.claims = None;
    assert!(error_fields(&values, &shown).is_empty());
}

#[test]
fn s3_advanced_fields_nest_and_partial_cloudfront_is_named() {
    let shown = shown(Storage::default(), &[S3_ACCESS_KEY, S3_SECRET_KEY]);
    let mut values = FormValues::from_shown(&shown);
    values.kind = Some(StorageKind::S3);
    type_in(&mut values, "s3.bucket", "images");
    type_in(&mut values, "s3.region", "us-east-1");
    type_in(&mut values, "s3.trustedCA.name", "s3-ca");
    type_in(&mut values, "s3.chunkSizeMiB", "64");
    values.flags.insert("s3.encrypt".into(), true);
    values.flags.insert("s3.virtualHostedStyle".into(), true);
    let Some(StorageChoice::S3(s3)) = values.edits(&shown).storage else {
        panic!("S3 is chosen");
    };
    assert_eq!(s3.trusted_ca.and_then(|t| t.name).as_deref(), Some("s3-ca"));
    assert_eq!(s3.chunk_size_mib, Some(64));
    assert_eq!(s3.encrypt, Some(true));
    assert_eq!(s3.virtual_hosted_style, Some(true));
    assert_eq!(s3.cloud_front, None, "nothing typed: no CloudFront");
    assert!(error_fields(&values, &shown).is_empty());

    type_in(
        &mut values,
        "s3.cloudFront.baseURL",
        "https://d111.cloudfront.net",
    );
    let fields = error_fields(&values, &shown);
    assert!(
        fields.contains(&"spec.storage.s3.cloudFront.keypairID".to_string()),
        "{fields:?}"
    );
    assert!(
        fields.contains(&"spec.storage.s3.cloudFront.privateKey".to_string()),
        "{fields:?}"
    );
    type_in(&mut values, "s3.cloudFront.keypairID", "K2JCJMDEHXQW5F");
    type_in(&mut values, "s3.cloudFront.privateKey.name", "cloudfront");
    type_in(&mut values, "s3.cloudFront.privateKey.key", "private.pem");
    type_in(&mut values, "s3.cloudFront.duration", "1d");
    assert_eq!(
        error_fields(&values, &shown),
        ["spec.storage.s3.cloudFront.duration"]
    );
    type_in(&mut values, "s3.cloudFront.duration", "30m");
    assert!(error_fields(&values, &shown).is_empty());
    let Some(StorageChoice::S3(s3)) = values.edits(&shown).storage else {
        panic!("S3 is chosen");
    };
    let cf = s3.cloud_front.expect("CloudFront");
    assert_eq!(cf.private_key.name.as_deref(), Some("cloudfront"));
    assert_eq!(cf.private_key.key, "private.pem");

    type_in(&mut values, "s3.chunkSizeMiB", "big");
    assert!(error_fields(&values, &shown).contains(&"spec.storage.s3.chunkSizeMiB".to_string()));
}

#[test]
fn clearing_stored_nested_fields_removes_them() {
    let stored = S3Storage {
        bucket: Some("images".into()),
        region: Some("us-east-1".into()),
        trusted_ca: Some(registry_model::registry_config::S3TrustedCa {
            name: Some("s3-ca".into()),
        }),
        chunk_size_mib: Some(64),
        ..S3Storage::default()
    };
    let shown = shown(
        Storage {
            s3: Some(stored),
            ..Storage::default()
        },
        &[S3_ACCESS_KEY, S3_SECRET_KEY],
    );
    let mut values = FormValues::from_shown(&shown);
    assert_eq!(values.fields["s3.trustedCA.name"], "s3-ca");
    assert_eq!(values.fields["s3.chunkSizeMiB"], "64");
    type_in(&mut values, "s3.trustedCA.name", "");
    type_in(&mut values, "s3.chunkSizeMiB", "");
    let Some(StorageChoice::S3(s3)) = values.edits(&shown).storage else {
        panic!("S3 is chosen");
    };
    assert_eq!(s3.trusted_ca, None);
    assert_eq!(s3.chunk_size_mib, None);
    assert_eq!(s3.bucket.as_deref(), Some("images"));
}

#[test]
fn placement_resources_routes_and_the_http_secret() {
    let mut shown = shown(Storage::default(), &[]);
    shown.spec.http_secret = Some(registry_model::edit::config::HTTP_SECRET_MASK.into());
    let mut values = FormValues::from_shown(&shown);
    let untouched = values.edits(&shown);
    assert_eq!(untouched.node_selector, None);
    assert_eq!(untouched.tolerations, None);
    assert_eq!(untouched.resources, None);
    assert_eq!(untouched.routes, None);
    assert!(!untouched.regenerate_http_secret);

    values.node_selector = "node-role.kubernetes.io/infra=".into();
    values.tolerations = "node-role.kubernetes.io/infra:NoSchedule".into();
    values
        .resources
        .insert("requests.memory".into(), "512Mi".into());
    values
        .resources
        .insert("limits.memory".into(), "1Gi".into());
    values.routes.push(RouteRow {
        name: "public".into(),
        hostname: "registry.apps.example.com".into(),
        secret_name: "public-tls".into(),
    });
    values.regenerate_http_secret = true;
    let desired = values.edits(&shown).apply_to(&shown.spec);
    assert_eq!(
        desired.node_selector,
        Some([("node-role.kubernetes.io/infra".to_string(), String::new())].into())
    );
    assert_eq!(desired.tolerations.as_ref().map(Vec::len), Some(1));
    let resources = desired.resources.clone().expect("resources");
    assert_eq!(resources.requests.unwrap()["memory"].0, "512Mi");
    assert_eq!(resources.limits.unwrap()["memory"].0, "1Gi");
    let routes = desired.routes.clone().expect("routes");
    assert_eq!(routes[0].secret_name.as_deref(), Some("public-tls"));
    assert_eq!(
        desired.http_secret.as_deref(),
        Some(HTTP_SECRET_REGENERATED)
    );
    assert!(error_fields(&values, &shown).is_empty());

    // Bad lines and values are named, and nothing is sent for them.
    values.node_selector = "not a selector".into();
    values.tolerations = "x:Sometimes".into();
    values
        .resources
        .insert("requests.memory".into(), "2Gi".into());
    values.routes[0].name = "default-route".into();
    let fields = error_fields(&values, &shown);
    for field in [
        "spec.nodeSelector",
        "spec.tolerations",
        "spec.resources.requests.memory",
        "spec.routes[0].name",
    ] {
        assert!(fields.contains(&field.to_string()), "{field}: {fields:?}");
    }

    // Emptied again: removed rather than set empty.
    let mut shown_set = shown.clone();
    shown_set.spec = desired;
    let mut values = FormValues::from_shown(&shown_set);
    values.node_selector.clear();
    values.tolerations.clear();
    values.resources.values_mut().for_each(String::clear);
    values.routes.clear();
    let cleared = values.edits(&shown_set).apply_to(&shown_set.spec);
    assert_eq!(cleared.node_selector, None);
    assert_eq!(cleared.tolerations, None);
    assert_eq!(cleared.resources, None);
    assert_eq!(cleared.routes, None);
}

#[test]
fn a_gcs_key_file_is_checked_in_the_browser_and_named_in_the_request() {
    let shown = shown(Storage::default(), &[]);
    let mut values = FormValues::from_shown(&shown);
    values.kind = Some(StorageKind::Gcs);
    type_in(&mut values, "gcs.bucket", "registry-images");
    values
        .secrets
        .insert(GCS_KEYFILE.into(), r#"{"type": "authorized_user"}"#.into());
    values
        .secret_files
        .insert(GCS_KEYFILE.into(), "key.json".into());
    let key_field = format!("credentials.{GCS_KEYFILE}");
    assert!(error_fields(&values, &shown).contains(&key_field));
    let key = r#"{"type": "service_account", "project_id": "p", "private_key": "-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n", "client_email": "r@p.iam.gserviceaccount.com"}"#;
    values.secrets.insert(GCS_KEYFILE.into(), key.into());
    assert!(!error_fields(&values, &shown).contains(&key_field));
    assert_eq!(
        values.request(&shown).credentials,
        [(
            GCS_KEYFILE.to_string(),
            key.to_string(),
            Some("key.json".to_string())
        )]
    );
}

#[test]
fn the_first_run_proposes_managed_on_an_operator_claim_only_when_nothing_is_set_up() {
    let shown = shown(Storage::default(), &[]);
    let mut values = FormValues::from_shown(&shown);
    values.start_first_run(&shown);
    assert_eq!(values.state, Some(ManagementState::Managed));
    assert_eq!(values.kind, Some(StorageKind::Pvc));
    assert_eq!(
        values.edits(&shown).storage,
        Some(StorageChoice::Pvc(PvcStorage {
            claim: Some(String::new())
        }))
    );
    let configured = self::shown(
        Storage {
            empty_dir: Some(registry_model::registry_config::EmptyDir {}),
            ..Storage::default()
        },
        &[],
    );
    let mut values = FormValues::from_shown(&configured);
    values.start_first_run(&configured);
    assert_eq!(
        values.kind,
        Some(StorageKind::EmptyDir),
        "configured storage is kept"
    );
    assert_eq!(values.state, Some(ManagementState::Removed));
}

#[test]
fn a_cloud_cluster_without_a_user_secret_needs_no_keys_typed() {
    let mut shown = shown(Storage::default(), &[]);
    shown.credentials.cluster_keys = vec!["credentials".into()];
    let mut values = FormValues::from_shown(&shown);
    values.kind = Some(StorageKind::S3);
    type_in(&mut values, "s3.bucket", "images");
    type_in(&mut values, "s3.region", "us-east-1");
    assert!(error_fields(&values, &shown).is_empty());
    // Typing one key makes the user secret the credentials: then it needs the other too.
    values.secrets.insert(S3_ACCESS_KEY.into(), "AKIA".into());
    assert_eq!(error_fields(&values, &shown), ["credentials"]);
}

/// The issue's conflict: `replicas: 2` typed here while someone set `logLevel` with `oc`.
#[test]
fn a_conflict_keeps_the_edits_that_do_not_touch_what_changed() {
    use crate::edit::merge::Carried;
    let s3 = Storage {
        s3: Some(S3Storage {
            bucket: Some("images".into()),
            region: Some("us-east-1".into()),
            ..S3Storage::default()
        }),
        ..Storage::default()
    };
    let before = shown(s3, &[]);
    let saw = FormValues::from_shown(&before);
    let mut mine = saw.clone();
    mine.replicas = "2".into();
    mine.secrets
        .insert(S3_ACCESS_KEY.into(), "AKIAEXAMPLE".into());
    type_in(&mut mine, "s3.region", "eu-west-1");
    let mut after = before.clone();
    after.resource_version = "8".into();
    after.spec.log_level = Some(LogLevel::Debug);
    after
        .spec
        .storage
        .as_mut()
        .unwrap()
        .s3
        .as_mut()
        .unwrap()
        .region = Some("us-east-2".into());

    let merged = Carried { saw, mine }.onto(&FormValues::from_shown(&after));
    assert_eq!(merged.values.replicas, "2", "the unrelated edit is kept");
    assert_eq!(
        merged.values.log_level,
        LogLevel::Debug,
        "their change is taken"
    );
    assert_eq!(merged.values.secrets[S3_ACCESS_KEY], "AKIAEXAMPLE");
    let kept: Vec<String> = merged.kept.iter().map(|p| field_name(p)).collect();
    assert_eq!(
        kept,
        ["spec.replicas", "credentials.REGISTRY_STORAGE_S3_ACCESSKEY"]
    );
    // The region changed on both sides: the user chooses, theirs held until then.
    assert_eq!(merged.clashes.len(), 1);
    let clash = &merged.clashes[0];
    assert_eq!(field_name(&clash.path), "spec.storage.s3.region");
    assert_eq!(
        (clash.saw.as_str(), clash.mine.as_str(), clash.now.as_str()),
        (Some("us-east-1"), Some("eu-west-1"), Some("us-east-2"))
    );
    assert_eq!(merged.values.fields["s3.region"], "eu-west-1");
    // What goes to the cluster on the next review: the kept edits over the current spec.
    let edits = merged.values.edits(&after);
    let spec = edits.apply_to(&after.spec);
    assert_eq!(spec.replicas, 2);
    assert_eq!(spec.log_level, Some(LogLevel::Debug));
}
