//! The storage wizard's rules: one provider at a time, its fields, the credentials each
//! provider reads, and the replica and rollout combinations the guide warns about.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::names::*;
use super::{Finding, Message};
use crate::duration::parse_go_duration;
use crate::registry_config::{
    AzureStorage, EmptyDir, GcsStorage, PvcStorage, RolloutStrategy, S3Storage, Storage,
    StorageKind, SwiftStorage,
};

/// The storage a form configures: exactly one provider, by construction.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum StorageChoice {
    /// Pod-local; every image is lost when a pod restarts. Non-production only.
    EmptyDir,
    /// A claim in `openshift-image-registry`; empty lets the operator create one.
    Pvc(PvcStorage),
    S3(S3Storage),
    Gcs(GcsStorage),
    Azure(AzureStorage),
    Swift(SwiftStorage),
}

impl StorageChoice {
    /// The provider.
    pub fn kind(&self) -> StorageKind {
        match self {
            StorageChoice::EmptyDir => StorageKind::EmptyDir,
            StorageChoice::Pvc(_) => StorageKind::Pvc,
            StorageChoice::S3(_) => StorageKind::S3,
            StorageChoice::Gcs(_) => StorageKind::Gcs,
            StorageChoice::Azure(_) => StorageKind::Azure,
            StorageChoice::Swift(_) => StorageKind::Swift,
        }
    }

    /// The `spec.storage` this choice stands for (other providers unset).
    pub fn to_storage(&self) -> Storage {
        let mut s = Storage::default();
        match self.clone() {
            StorageChoice::EmptyDir => s.empty_dir = Some(EmptyDir {}),
            StorageChoice::Pvc(p) => s.pvc = Some(p),
            StorageChoice::S3(p) => s.s3 = Some(p),
            StorageChoice::Gcs(p) => s.gcs = Some(p),
            StorageChoice::Azure(p) => s.azure = Some(p),
            StorageChoice::Swift(p) => s.swift = Some(p),
        }
        s
    }

    /// Where the images live: the provider and its bucket, account and container, or claim
    /// (an empty name counts as unset). Two choices with the same location hold the same
    /// images; any other change starts the registry on empty storage.
    pub fn location(&self) -> (StorageKind, Vec<Option<String>>) {
        let name = |v: &Option<String>| v.clone().filter(|v| !v.is_empty());
        let fields = match self {
            StorageChoice::EmptyDir => Vec::new(),
            // An empty claim is the one the operator creates (and reuses).
            StorageChoice::Pvc(p) => {
                vec![name(&p.claim).or_else(|| Some(crate::names::DEFAULT_CLAIM.to_owned()))]
            }
            StorageChoice::S3(s) => vec![name(&s.bucket), name(&s.region_endpoint)],
            StorageChoice::Gcs(g) => vec![name(&g.bucket), name(&g.project_id)],
            StorageChoice::Azure(a) => vec![name(&a.account_name), name(&a.container)],
            StorageChoice::Swift(s) => vec![name(&s.auth_url), name(&s.container)],
        };
        (self.kind(), fields)
    }

    /// The choice a stored configuration makes; `None` when it sets no provider, several, or
    /// one the console does not configure (IBM COS).
    pub fn from_storage(s: &Storage) -> Option<StorageChoice> {
        if s.kinds().len() != 1 {
            return None;
        }
        Some(match s.kinds()[0] {
            StorageKind::EmptyDir => StorageChoice::EmptyDir,
            StorageKind::Pvc => StorageChoice::Pvc(s.pvc.clone()?),
            StorageKind::S3 => StorageChoice::S3(s.s3.clone()?),
            StorageKind::Gcs => StorageChoice::Gcs(s.gcs.clone()?),
            StorageKind::Azure => StorageChoice::Azure(s.azure.clone()?),
            StorageKind::Swift => StorageChoice::Swift(s.swift.clone()?),
            StorageKind::IbmCos => return None,
        })
    }
}

/// The keys the operator reads from `image-registry-private-configuration-user` for a
/// provider: any one complete set will do (`registry-api.md` §4).
pub fn credential_keys(kind: StorageKind) -> &'static [&'static [&'static str]] {
    match kind {
        StorageKind::S3 => &[&[
            "REGISTRY_STORAGE_S3_ACCESSKEY",
            "REGISTRY_STORAGE_S3_SECRETKEY",
        ]],
        StorageKind::Gcs => &[&["REGISTRY_STORAGE_GCS_KEYFILE"]],
        StorageKind::Azure => &[&["REGISTRY_STORAGE_AZURE_ACCOUNTKEY"]],
        StorageKind::Swift => &[
            &[
                "REGISTRY_STORAGE_SWIFT_USERNAME",
                "REGISTRY_STORAGE_SWIFT_PASSWORD",
            ],
            &[
                "REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALID",
                "REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALNAME",
                "REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALSECRET",
            ],
            &["REGISTRY_STORAGE_SWIFT_TOKENID"],
        ],
        StorageKind::IbmCos => &[&["REGISTRY_STORAGE_IBMCOS_IAMAPIKEY"]],
        StorageKind::EmptyDir | StorageKind::Pvc => &[],
    }
}

/// What an existing claim offers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClaimInfo {
    pub access_modes: Vec<String>,
    /// Requested (or bound) size in bytes, when known.
    pub size_bytes: Option<u64>,
}

/// What the storage rules need to know besides the choice itself.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StorageContext {
    pub replicas: i32,
    pub rollout: Option<RolloutStrategy>,
    /// The claim named by a PVC choice, when it exists (`None`: it does not, or no claim).
    pub claim: Option<ClaimInfo>,
    /// Keys the credentials secret holds now.
    pub stored_keys: BTreeSet<String>,
    /// Keys the form is about to write.
    pub new_keys: BTreeSet<String>,
    /// Whether `image-registry-private-configuration-user` exists: then it replaces the
    /// cluster's own credentials as a whole (`registry-api.md` §4).
    pub user_secret: bool,
    /// The key names of the cluster-minted `installer-cloud-credentials` (empty when it
    /// does not exist), which the operator reads when there is no user secret.
    pub cluster_keys: BTreeSet<String>,
    /// Whether the user may not read that secret: then it is not judged missing.
    pub cluster_keys_unknown: bool,
}

impl StorageContext {
    /// Whether the user's own credentials are what the operator will use.
    pub fn own_credentials(&self) -> bool {
        self.user_secret || !self.new_keys.is_empty()
    }

    /// Whether the cluster's own credentials serve this provider.
    pub fn cluster_serves(&self, kind: StorageKind) -> bool {
        self.cluster_keys_unknown
            || cluster_credential_keys(kind)
                .iter()
                .any(|set| set.iter().all(|k| self.cluster_keys.contains(*k)))
    }
}

/// The keys of `installer-cloud-credentials` the operator reads for a provider when there
/// is no user secret (`registry-api.md` §4): any one complete set will do.
pub fn cluster_credential_keys(kind: StorageKind) -> &'static [&'static [&'static str]] {
    match kind {
        StorageKind::S3 => &[
            &["credentials"],
            &["aws_access_key_id", "aws_secret_access_key"],
        ],
        StorageKind::Gcs => &[&["service_account.json"]],
        StorageKind::Azure => &[
            &["azure_client_id", "azure_client_secret", "azure_tenant_id"],
            &[
                "azure_client_id",
                "azure_federated_token_file",
                "azure_tenant_id",
            ],
        ],
        StorageKind::Swift => &[&["clouds.yaml"]],
        StorageKind::IbmCos => &[&["ibmcloud_api_key"]],
        StorageKind::EmptyDir | StorageKind::Pvc => &[],
    }
}

/// 100Gi, the size the guide requires for a registry claim.
pub const RECOMMENDED_CLAIM_BYTES: u64 = 100 * 1024 * 1024 * 1024;

/// Checks a storage choice in its context.
pub fn validate_storage(choice: &StorageChoice, ctx: &StorageContext) -> Vec<Finding> {
    let mut out = Vec::new();
    let rolling =
        ctx.rollout.unwrap_or(RolloutStrategy::RollingUpdate) == RolloutStrategy::RollingUpdate;
    match choice {
        StorageChoice::EmptyDir => {
            out.push(Finding::warning(
                "spec.storage.emptyDir",
                Message::EmptyDirLosesImages,
            ));
            if ctx.replicas > 1 {
                out.push(Finding::error(
                    "spec.replicas",
                    Message::EmptyDirReplicas {
                        replicas: ctx.replicas,
                    },
                ));
            }
        }
        StorageChoice::Pvc(pvc) => validate_pvc(pvc, ctx, rolling, &mut out),
        StorageChoice::S3(s3) => validate_s3(s3, &mut out),
        StorageChoice::Gcs(gcs) => match gcs.bucket.as_deref().unwrap_or("") {
            "" => out.push(Finding::warning(
                "spec.storage.gcs.bucket",
                Message::GcsBucketGenerated,
            )),
            b => out.extend(
                gcs_bucket_problem(b).map(|m| Finding::error("spec.storage.gcs.bucket", m)),
            ),
        },
        StorageChoice::Azure(azure) => {
            let account = azure.account_name.as_deref().unwrap_or("");
            let container = azure.container.as_deref().unwrap_or("");
            out.extend(
                (!account.is_empty())
                    .then(|| azure_account_problem(account))
                    .flatten()
                    .map(|m| Finding::error("spec.storage.azure.accountName", m)),
            );
            out.extend(
                (!container.is_empty())
                    .then(|| azure_container_problem(container))
                    .flatten()
                    .map(|m| Finding::error("spec.storage.azure.container", m)),
            );
            // With your own account key the operator cannot create or find these itself.
            for (field, value) in [("accountName", account), ("container", container)] {
                if value.is_empty() && ctx.own_credentials() {
                    out.push(Finding::error(
                        format!("spec.storage.azure.{field}"),
                        Message::AzureRequired {
                            field: field.into(),
                        },
                    ));
                }
            }
        }
        StorageChoice::Swift(swift) => validate_swift(swift, ctx.own_credentials(), &mut out),
    }
    out.extend(validate_credentials(choice.kind(), ctx));
    out
}

fn validate_pvc(pvc: &PvcStorage, ctx: &StorageContext, rolling: bool, out: &mut Vec<Finding>) {
    let claim = pvc.claim.as_deref().unwrap_or("");
    if claim.is_empty() {
        if ctx.replicas > 1 {
            out.push(Finding::warning(
                "spec.storage.pvc.claim",
                Message::OperatorClaimReadWriteMany,
            ));
        }
        return;
    }
    if !is_dns1123_subdomain(claim) {
        out.push(Finding::error(
            "spec.storage.pvc.claim",
            Message::ClaimName { name: claim.into() },
        ));
        return;
    }
    let Some(info) = &ctx.claim else {
        out.push(Finding::error(
            "spec.storage.pvc.claim",
            Message::ClaimMissing {
                claim: claim.into(),
            },
        ));
        return;
    };
    let rwx = info.access_modes.iter().any(|m| m == "ReadWriteMany");
    let rwo = info.access_modes.iter().any(|m| m == "ReadWriteOnce");
    if !rwx && !rwo {
        out.push(Finding::error(
            "spec.storage.pvc.claim",
            Message::ClaimAccessMode {
                claim: claim.into(),
            },
        ));
    } else if !rwx {
        if ctx.replicas > 1 {
            out.push(Finding::error(
                "spec.replicas",
                Message::ClaimReadWriteOnceReplicas {
                    claim: claim.into(),
                },
            ));
        }
        if rolling {
            out.push(Finding::error(
                "spec.rolloutStrategy",
                Message::ClaimReadWriteOnceRolling {
                    claim: claim.into(),
                },
            ));
        }
    }
    if info.size_bytes.is_some_and(|b| b < RECOMMENDED_CLAIM_BYTES) {
        out.push(Finding::warning(
            "spec.storage.pvc.claim",
            Message::ClaimSmall {
                claim: claim.into(),
            },
        ));
    }
}

fn validate_s3(s3: &S3Storage, out: &mut Vec<Finding>) {
    let f = |name: &str| format!("spec.storage.s3.{name}");
    match s3.bucket.as_deref().unwrap_or("") {
        "" => out.push(Finding::warning(f("bucket"), Message::S3BucketGenerated)),
        b => out.extend(s3_bucket_problem(b).map(|m| Finding::error(f("bucket"), m))),
    }
    let endpoint = s3.region_endpoint.as_deref().unwrap_or("");
    if !endpoint.is_empty() {
        out.extend(http_url_problem(endpoint).map(|m| Finding::error(f("regionEndpoint"), m)));
    }
    match s3.region.as_deref().unwrap_or("") {
        "" if !endpoint.is_empty() => {
            out.push(Finding::error(f("region"), Message::EndpointNeedsRegion))
        }
        "" => out.push(Finding::warning(f("region"), Message::RegionFromCluster)),
        r if endpoint.is_empty() => {
            out.extend(aws_region_problem(r).map(|m| Finding::error(f("region"), m)))
        }
        _ => {}
    }
    if let Some(size) = s3.chunk_size_mib.filter(|s| !(5..=5120).contains(s)) {
        out.push(Finding::error(
            f("chunkSizeMiB"),
            Message::ChunkSize { size },
        ));
    }
    if s3.key_id.as_deref().is_some_and(|k| !k.is_empty()) && s3.encrypt != Some(true) {
        out.push(Finding::warning(f("keyID"), Message::KmsKeyWithoutEncrypt));
    }
    if let Some(ca) = s3
        .trusted_ca
        .as_ref()
        .and_then(|t| t.name.as_deref())
        .filter(|n| !n.is_empty())
        && !is_dns1123_subdomain(ca)
    {
        out.push(Finding::error(
            f("trustedCA.name"),
            Message::ConfigMapName { name: ca.into() },
        ));
    }
    if let Some(cf) = &s3.cloud_front {
        out.extend(
            http_url_problem(&cf.base_url).map(|m| Finding::error(f("cloudFront.baseURL"), m)),
        );
        if cf.keypair_id.is_empty() {
            out.push(Finding::error(
                f("cloudFront.keypairID"),
                Message::CloudFrontKeypair,
            ));
        }
        if cf.private_key.name.as_deref().unwrap_or("").is_empty() || cf.private_key.key.is_empty()
        {
            out.push(Finding::error(
                f("cloudFront.privateKey"),
                Message::CloudFrontPrivateKey,
            ));
        }
        if let Some(d) = cf.duration.as_deref().filter(|d| !d.is_empty()) {
            out.extend(
                parse_go_duration(d)
                    .err()
                    .map(|e| Finding::error(f("cloudFront.duration"), e.into())),
            );
        }
    }
}

fn validate_swift(swift: &SwiftStorage, own_credentials: bool, out: &mut Vec<Finding>) {
    let f = |name: &str| format!("spec.storage.swift.{name}");
    if let Some(url) = swift.auth_url.as_deref().filter(|u| !u.is_empty()) {
        match http_url_problem(url) {
            Some(m) => out.push(Finding::error(f("authURL"), m)),
            None => {
                let path = url.splitn(4, '/').nth(3).unwrap_or("");
                if !(path.is_empty()
                    || path.starts_with("v1")
                    || path.starts_with("v2")
                    || path.starts_with("v3"))
                {
                    out.push(Finding::error(
                        f("authURL"),
                        Message::SwiftAuthPath { url: url.into() },
                    ));
                }
            }
        }
    } else if own_credentials {
        // The cluster's clouds.yaml is not read once the user secret exists.
        out.push(Finding::error(f("authURL"), Message::SwiftAuthUrl));
    }
    if let Some(v) = swift.auth_version.as_deref().filter(|v| !v.is_empty())
        && v.parse::<u32>().is_err()
    {
        out.push(Finding::error(
            f("authVersion"),
            Message::SwiftAuthVersion { version: v.into() },
        ));
    }
}

/// Credentials for cloud providers. The user secret, once it exists (or is about to), is
/// all the operator reads, so it must hold one complete set of keys; without it the
/// operator uses the cluster's own `installer-cloud-credentials`, if there are any.
pub fn validate_credentials(kind: StorageKind, ctx: &StorageContext) -> Vec<Finding> {
    let sets = credential_keys(kind);
    if sets.is_empty() || (!ctx.own_credentials() && ctx.cluster_serves(kind)) {
        return Vec::new();
    }
    let has = |k: &str| ctx.stored_keys.contains(k) || ctx.new_keys.contains(k);
    if sets.iter().any(|set| set.iter().all(|k| has(k))) {
        return Vec::new();
    }
    let missing: Vec<&str> = sets[0].iter().copied().filter(|k| !has(k)).collect();
    let message = if ctx.own_credentials() {
        Message::CredentialsIncomplete {
            keys: missing.join(", "),
        }
    } else {
        Message::CredentialsNoFallback {
            provider: kind.label().into(),
            keys: missing.join(", "),
        }
    };
    vec![Finding::error("credentials", message)]
}

/// The providers whose credentials the console writes.
const CLOUD_KINDS: [StorageKind; 5] = [
    StorageKind::S3,
    StorageKind::Gcs,
    StorageKind::Azure,
    StorageKind::Swift,
    StorageKind::IbmCos,
];

/// Typed credentials (`(key, value)`) that the operator does not read for the chosen
/// provider (or for any, without one), and GCS key files that are not service-account
/// keys. Values are only looked into for the GCS key file and never repeated.
pub fn credential_findings(kind: Option<StorageKind>, typed: &[(&str, &str)]) -> Vec<Finding> {
    let mut out = Vec::new();
    for &(key, value) in typed {
        let field = format!("credentials.{key}");
        let read_by = |k: StorageKind| credential_keys(k).iter().any(|set| set.contains(&key));
        match kind {
            Some(kind) if !read_by(kind) => out.push(Finding::error(
                field.clone(),
                Message::KeyNotRead {
                    key: key.into(),
                    provider: kind.label().into(),
                },
            )),
            None if !CLOUD_KINDS.into_iter().any(read_by) => out.push(Finding::error(
                field.clone(),
                Message::KeyNotReadAtAll { key: key.into() },
            )),
            _ => {}
        }
        if key == "REGISTRY_STORAGE_GCS_KEYFILE"
            && let Some(problem) = gcs_keyfile_problem(value)
        {
            out.push(Finding::error(field, problem));
        }
    }
    out
}

/// Why a GCS key file is not a service-account JSON key, or `None`.
pub fn gcs_keyfile_problem(text: &str) -> Option<Message> {
    let value: serde_json::Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            return Some(Message::KeyFileJson {
                error: e.to_string(),
            });
        }
    };
    if value.get("type").and_then(|t| t.as_str()) != Some("service_account") {
        return Some(Message::KeyFileType);
    }
    for field in ["private_key", "client_email", "project_id"] {
        if value
            .get(field)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .is_empty()
        {
            return Some(Message::KeyFileField {
                field: field.into(),
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validation::Severity;

    fn ctx(replicas: i32, rollout: RolloutStrategy) -> StorageContext {
        StorageContext {
            replicas,
            rollout: Some(rollout),
            ..Default::default()
        }
    }

    fn errors(findings: &[Finding]) -> Vec<(&str, String)> {
        findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| (f.field.as_str(), f.message.to_string()))
            .collect()
    }

    #[test]
    fn credentials_must_be_keys_the_operator_reads() {
        let gcs_for_s3 = ("REGISTRY_STORAGE_GCS_KEYFILE", "{}");
        let typo = ("REGISTRY_STORAGE_S3_ACCESS_KEY", "x");
        let s3 = ("REGISTRY_STORAGE_S3_ACCESSKEY", "x");
        let findings = credential_findings(Some(StorageKind::S3), &[gcs_for_s3, s3]);
        assert_eq!(findings.len(), 2, "{findings:?}");
        assert!(
            findings
                .iter()
                .all(|f| f.field == "credentials.REGISTRY_STORAGE_GCS_KEYFILE")
        );
        assert!(findings[0].message.to_string().contains("Amazon S3"));
        assert!(
            findings[1].message.to_string().contains("not valid JSON")
                || findings[1].message.to_string().contains("service account")
        );
        let unknown = credential_findings(None, &[typo]);
        assert_eq!(
            unknown[0].field,
            "credentials.REGISTRY_STORAGE_S3_ACCESS_KEY"
        );
        assert!(credential_findings(None, &[s3]).is_empty());
    }

    #[test]
    fn a_choice_sets_exactly_one_provider_and_round_trips() {
        for choice in [
            StorageChoice::EmptyDir,
            StorageChoice::Pvc(PvcStorage::default()),
            StorageChoice::S3(S3Storage::default()),
        ] {
            let storage = choice.to_storage();
            assert_eq!(storage.kinds(), vec![choice.kind()]);
            assert_eq!(StorageChoice::from_storage(&storage), Some(choice));
        }
        let two = Storage {
            empty_dir: Some(EmptyDir {}),
            pvc: Some(PvcStorage::default()),
            ..Default::default()
        };
        assert_eq!(StorageChoice::from_storage(&two), None);
        assert_eq!(StorageChoice::from_storage(&Storage::default()), None);
    }

    /// A choice, replicas, rollout and claim, with the fields that must be refused.
    type Case = (
        StorageChoice,
        i32,
        RolloutStrategy,
        Option<ClaimInfo>,
        Vec<&'static str>,
    );

    #[test]
    fn replica_and_rollout_rules() {
        let rwo = Some(ClaimInfo {
            access_modes: vec!["ReadWriteOnce".into()],
            size_bytes: Some(RECOMMENDED_CLAIM_BYTES),
        });
        let rwx = Some(ClaimInfo {
            access_modes: vec!["ReadWriteMany".into()],
            size_bytes: Some(RECOMMENDED_CLAIM_BYTES),
        });
        let claim = StorageChoice::Pvc(PvcStorage {
            claim: Some("block".into()),
        });
        // (choice, replicas, rollout, claim, fields that must be refused)
        let cases: Vec<Case> = vec![
            (
                StorageChoice::EmptyDir,
                1,
                RolloutStrategy::RollingUpdate,
                None,
                vec![],
            ),
            (
                StorageChoice::EmptyDir,
                2,
                RolloutStrategy::RollingUpdate,
                None,
                vec!["spec.replicas"],
            ),
            (
                claim.clone(),
                1,
                RolloutStrategy::Recreate,
                rwo.clone(),
                vec![],
            ),
            (
                claim.clone(),
                2,
                RolloutStrategy::Recreate,
                rwo.clone(),
                vec!["spec.replicas"],
            ),
            (
                claim.clone(),
                1,
                RolloutStrategy::RollingUpdate,
                rwo.clone(),
                vec!["spec.rolloutStrategy"],
            ),
            (
                claim.clone(),
                3,
                RolloutStrategy::RollingUpdate,
                rwx,
                vec![],
            ),
            (
                claim.clone(),
                1,
                RolloutStrategy::Recreate,
                None,
                vec!["spec.storage.pvc.claim"],
            ),
        ];
        for (choice, replicas, rollout, info, want) in cases {
            let mut c = ctx(replicas, rollout);
            c.claim = info;
            let findings = validate_storage(&choice, &c);
            let got: Vec<&str> = errors(&findings).into_iter().map(|(f, _)| f).collect();
            assert_eq!(got, want, "{choice:?} replicas={replicas} {rollout:?}");
        }
    }

    #[test]
    fn small_claims_and_empty_dir_warn() {
        let mut c = ctx(1, RolloutStrategy::Recreate);
        c.claim = Some(ClaimInfo {
            access_modes: vec!["ReadWriteOnce".into()],
            size_bytes: Some(10 << 30),
        });
        let f = validate_storage(
            &StorageChoice::Pvc(PvcStorage {
                claim: Some("small".into()),
            }),
            &c,
        );
        assert!(
            f.iter()
                .any(|f| f.severity == Severity::Warning && f.message.to_string().contains("100Gi")),
            "{f:?}"
        );
        let f = validate_storage(
            &StorageChoice::EmptyDir,
            &ctx(1, RolloutStrategy::RollingUpdate),
        );
        assert!(
            f.iter()
                .any(|f| f.severity == Severity::Warning && f.message.to_string().contains("lost")),
            "{f:?}"
        );
    }

    #[test]
    fn s3_fields_and_credentials() {
        let s3 = |bucket: &str, region: &str, endpoint: Option<&str>| {
            StorageChoice::S3(S3Storage {
                bucket: Some(bucket.into()),
                region: Some(region.into()),
                region_endpoint: endpoint.map(str::to_string),
                ..Default::default()
            })
        };
        let mut c = ctx(2, RolloutStrategy::RollingUpdate);
        let f = validate_storage(&s3("registry", "us-east-1", None), &c);
        assert_eq!(
            errors(&f).iter().map(|(f, _)| *f).collect::<Vec<_>>(),
            ["credentials"]
        );
        assert!(
            errors(&f)[0]
                .1
                .contains("REGISTRY_STORAGE_S3_ACCESSKEY, REGISTRY_STORAGE_S3_SECRETKEY")
        );

        c.stored_keys.insert("REGISTRY_STORAGE_S3_ACCESSKEY".into());
        c.new_keys.insert("REGISTRY_STORAGE_S3_SECRETKEY".into());
        assert!(errors(&validate_storage(&s3("registry", "us-east-1", None), &c)).is_empty());
        let bad = validate_storage(&s3("Bad_Bucket", "moon-1", None), &c);
        assert_eq!(
            errors(&bad).iter().map(|(f, _)| *f).collect::<Vec<_>>(),
            ["spec.storage.s3.bucket", "spec.storage.s3.region"]
        );
        let compat = validate_storage(&s3("registry", "whatever", Some("minio.local:9000")), &c);
        assert_eq!(
            errors(&compat).iter().map(|(f, _)| *f).collect::<Vec<_>>(),
            ["spec.storage.s3.regionEndpoint"]
        );
    }

    #[test]
    fn swift_accepts_any_complete_credential_set() {
        let swift = StorageChoice::Swift(SwiftStorage {
            auth_url: Some("https://keystone.example.com/v3".into()),
            ..Default::default()
        });
        let mut c = ctx(1, RolloutStrategy::RollingUpdate);
        c.new_keys.insert("REGISTRY_STORAGE_SWIFT_TOKENID".into());
        assert!(errors(&validate_storage(&swift, &c)).is_empty());
        let bad_path = StorageChoice::Swift(SwiftStorage {
            auth_url: Some("https://keystone.example.com/identity".into()),
            ..Default::default()
        });
        assert_eq!(
            errors(&validate_storage(&bad_path, &c))[0].0,
            "spec.storage.swift.authURL"
        );
    }

    #[test]
    fn azure_with_own_key_needs_account_and_container() {
        let mut c = ctx(1, RolloutStrategy::RollingUpdate);
        c.new_keys
            .insert("REGISTRY_STORAGE_AZURE_ACCOUNTKEY".into());
        let empty = validate_storage(&StorageChoice::Azure(AzureStorage::default()), &c);
        assert_eq!(
            errors(&empty).iter().map(|(f, _)| *f).collect::<Vec<_>>(),
            [
                "spec.storage.azure.accountName",
                "spec.storage.azure.container"
            ]
        );
    }

    #[test]
    fn the_cluster_credentials_serve_until_a_user_secret_exists() {
        let s3 = StorageChoice::S3(S3Storage {
            bucket: Some("images".into()),
            region: Some("us-east-1".into()),
            ..Default::default()
        });
        let fields = |c: &StorageContext| {
            errors(&validate_storage(&s3, c))
                .into_iter()
                .map(|(f, m)| (f.to_owned(), m.to_owned()))
                .collect::<Vec<_>>()
        };
        // A default AWS cluster: no user secret, the cluster's credentials exist.
        let mut c = ctx(1, RolloutStrategy::RollingUpdate);
        c.cluster_keys = [
            "aws_access_key_id".to_string(),
            "aws_secret_access_key".to_string(),
        ]
        .into();
        assert!(fields(&c).is_empty());
        // AWS credentials do not serve GCS.
        let gcs = StorageChoice::Gcs(GcsStorage {
            bucket: Some("images".into()),
            ..Default::default()
        });
        assert_eq!(errors(&validate_storage(&gcs, &c))[0].0, "credentials");
        // A user secret replaces them as a whole: then it needs both keys.
        c.user_secret = true;
        c.stored_keys.insert("REGISTRY_STORAGE_S3_ACCESSKEY".into());
        let found = fields(&c);
        assert_eq!(found.len(), 1);
        assert!(
            found[0].1.contains("REGISTRY_STORAGE_S3_SECRETKEY"),
            "{found:?}"
        );
        assert!(found[0].1.contains("as a whole"), "{found:?}");
        // Bare metal: nothing to fall back on.
        let bare = ctx(1, RolloutStrategy::RollingUpdate);
        let found = fields(&bare);
        assert!(
            found[0].1.contains("no installer-cloud-credentials"),
            "{found:?}"
        );
        // Azure's account and container, and Swift's authURL, are needed with own keys only.
        let mut cloud = ctx(1, RolloutStrategy::RollingUpdate);
        cloud.cluster_keys_unknown = true;
        assert!(
            errors(&validate_storage(
                &StorageChoice::Azure(AzureStorage::default()),
                &cloud
            ))
            .is_empty()
        );
        assert!(
            errors(&validate_storage(
                &StorageChoice::Swift(SwiftStorage::default()),
                &cloud
            ))
            .is_empty()
        );
        cloud
            .new_keys
            .insert("REGISTRY_STORAGE_SWIFT_TOKENID".into());
        assert_eq!(
            errors(&validate_storage(
                &StorageChoice::Swift(SwiftStorage::default()),
                &cloud
            ))[0]
                .0,
            "spec.storage.swift.authURL"
        );
    }

    #[test]
    fn more_provider_field_rules() {
        let mut own = ctx(1, RolloutStrategy::RollingUpdate);
        own.user_secret = true;
        own.stored_keys = [
            "REGISTRY_STORAGE_S3_ACCESSKEY".to_string(),
            "REGISTRY_STORAGE_S3_SECRETKEY".to_string(),
            "REGISTRY_STORAGE_SWIFT_TOKENID".to_string(),
        ]
        .into();
        let s3 = |edit: fn(&mut S3Storage)| {
            let mut s3 = S3Storage {
                bucket: Some("images".into()),
                region: Some("us-east-1".into()),
                ..Default::default()
            };
            edit(&mut s3);
            StorageChoice::S3(s3)
        };
        let cases: Vec<(StorageChoice, &str)> = vec![
            (
                s3(|s| s.chunk_size_mib = Some(4)),
                "spec.storage.s3.chunkSizeMiB",
            ),
            (
                s3(|s| s.chunk_size_mib = Some(5121)),
                "spec.storage.s3.chunkSizeMiB",
            ),
            (
                s3(|s| {
                    s.trusted_ca = Some(crate::registry_config::S3TrustedCa {
                        name: Some("Bad_CA".into()),
                    })
                }),
                "spec.storage.s3.trustedCA.name",
            ),
            (
                s3(|s| {
                    s.region = None;
                    s.region_endpoint = Some("https://s3.example.com".into());
                }),
                "spec.storage.s3.region",
            ),
            (
                StorageChoice::Swift(SwiftStorage {
                    auth_url: Some("https://keystone.example.com/v3".into()),
                    auth_version: Some("three".into()),
                    ..Default::default()
                }),
                "spec.storage.swift.authVersion",
            ),
            (
                StorageChoice::Swift(SwiftStorage::default()),
                "spec.storage.swift.authURL",
            ),
            (
                StorageChoice::Pvc(PvcStorage {
                    claim: Some("Bad_Claim".into()),
                }),
                "spec.storage.pvc.claim",
            ),
        ];
        for (choice, field) in cases {
            let findings = validate_storage(&choice, &own);
            let found = errors(&findings);
            assert!(found.iter().any(|(f, _)| *f == field), "{field}: {found:?}");
        }
        // A claim that is neither ReadWriteOnce nor ReadWriteMany.
        let mut rox = own.clone();
        rox.claim = Some(ClaimInfo {
            access_modes: vec!["ReadOnlyMany".into()],
            size_bytes: None,
        });
        let pvc = StorageChoice::Pvc(PvcStorage {
            claim: Some("registry".into()),
        });
        assert_eq!(
            errors(&validate_storage(&pvc, &rox))[0].0,
            "spec.storage.pvc.claim"
        );
        // keyID without encryption is a warning: the key is not used.
        let key_only = validate_storage(&s3(|s| s.key_id = Some("kms-key".into())), &own);
        assert!(
            key_only
                .iter()
                .any(|f| f.field == "spec.storage.s3.keyID" && f.severity == Severity::Warning),
            "{key_only:?}"
        );
    }

    #[test]
    fn gcs_key_files() {
        let good = r#"{"type":"service_account","project_id":"p","private_key":"-----BEGIN PRIVATE KEY-----","client_email":"a@p.iam.gserviceaccount.com"}"#;
        assert_eq!(gcs_keyfile_problem(good), None);
        assert!(
            gcs_keyfile_problem("not json")
                .unwrap()
                .to_string()
                .contains("not valid JSON")
        );
        assert!(
            gcs_keyfile_problem(r#"{"type":"authorized_user"}"#)
                .unwrap()
                .to_string()
                .contains("service account")
        );
        assert!(
            gcs_keyfile_problem(r#"{"type":"service_account","project_id":"p"}"#)
                .unwrap()
                .to_string()
                .contains("private_key")
        );
    }
}
