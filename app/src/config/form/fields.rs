//! The form's fields, as tables: which inputs each storage provider shows, which
//! credential keys it writes, and the registry settings. Ids are paths as the API names
//! them (under `spec.storage` for providers, under `spec` for settings), so a finding's
//! field leads back to its input.

use registry_model::registry_config::StorageKind;

/// The storage providers the form edits (IBM COS is kept as stored).
pub const KINDS: [StorageKind; 6] = [
    StorageKind::EmptyDir,
    StorageKind::Pvc,
    StorageKind::S3,
    StorageKind::Gcs,
    StorageKind::Azure,
    StorageKind::Swift,
];

/// A provider's text inputs: `provider.path` and label.
pub fn text_fields(kind: StorageKind) -> &'static [(&'static str, &'static str)] {
    match kind {
        StorageKind::S3 => &[
            ("s3.bucket", "Bucket"),
            ("s3.region", "Region"),
            (
                "s3.regionEndpoint",
                "Region endpoint (S3-compatible stores)",
            ),
            ("s3.keyID", "KMS key ID (with encryption)"),
            (
                "s3.chunkSizeMiB",
                "Multipart chunk size in MiB (5–5120; empty: the registry's 10)",
            ),
            (
                "s3.trustedCA.name",
                "Trusted CA: ConfigMap in openshift-config with key ca-bundle.crt",
            ),
            ("s3.cloudFront.baseURL", "CloudFront base URL"),
            ("s3.cloudFront.keypairID", "CloudFront key pair ID"),
            (
                "s3.cloudFront.privateKey.name",
                "CloudFront private key: secret in openshift-image-registry",
            ),
            (
                "s3.cloudFront.privateKey.key",
                "CloudFront private key: key in that secret",
            ),
            (
                "s3.cloudFront.duration",
                "CloudFront signed URL lifetime (Go duration; empty: 20m)",
            ),
        ],
        StorageKind::Gcs => &[
            ("gcs.bucket", "Bucket"),
            ("gcs.region", "Region"),
            ("gcs.projectID", "Project ID"),
            ("gcs.keyID", "KMS key ID"),
        ],
        StorageKind::Azure => &[
            ("azure.accountName", "Storage account name"),
            ("azure.container", "Container"),
            ("azure.cloudName", "Cloud (empty: AzurePublicCloud)"),
        ],
        StorageKind::Swift => &[
            ("swift.authURL", "Keystone auth URL"),
            ("swift.authVersion", "Auth version"),
            ("swift.container", "Container"),
            ("swift.domain", "Domain"),
            ("swift.domainID", "Domain ID"),
            ("swift.tenant", "Tenant (project)"),
            ("swift.tenantID", "Tenant (project) ID"),
            ("swift.regionName", "Region"),
        ],
        _ => &[],
    }
}

/// Provider inputs most setups leave alone: shown folded, under "More options".
pub fn advanced_field(id: &str) -> bool {
    matches!(
        id,
        "s3.keyID" | "s3.chunkSizeMiB" | "s3.trustedCA.name" | "swift.domainID" | "swift.tenantID"
    ) || id.starts_with("s3.cloudFront.")
}

/// Provider inputs that hold whole numbers.
pub fn numeric_field(id: &str) -> bool {
    id == "s3.chunkSizeMiB"
}

/// A provider's yes/no inputs: `provider.path` and label.
pub fn flag_fields(kind: StorageKind) -> &'static [(&'static str, &'static str)] {
    match kind {
        StorageKind::S3 => &[
            (
                "s3.encrypt",
                "Encrypt: the registry asks S3 to encrypt what it stores",
            ),
            (
                "s3.virtualHostedStyle",
                "Virtual-hosted-style URLs (bucket.endpoint) instead of path style",
            ),
        ],
        _ => &[],
    }
}

/// How a credential is entered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecretInput {
    /// Typed into a password field.
    Typed,
    /// Uploaded as a file (the GCS service account key).
    File,
}

/// A provider's credential inputs: the exact key the operator reads, the label, and how
/// the value is entered.
pub fn secret_fields(kind: StorageKind) -> &'static [(&'static str, &'static str, SecretInput)] {
    use SecretInput::*;
    match kind {
        StorageKind::S3 => &[
            ("REGISTRY_STORAGE_S3_ACCESSKEY", "Access key ID", Typed),
            ("REGISTRY_STORAGE_S3_SECRETKEY", "Secret access key", Typed),
        ],
        StorageKind::Gcs => &[(
            "REGISTRY_STORAGE_GCS_KEYFILE",
            "Service account key file (JSON)",
            File,
        )],
        StorageKind::Azure => &[("REGISTRY_STORAGE_AZURE_ACCOUNTKEY", "Account key", Typed)],
        StorageKind::Swift => &[
            ("REGISTRY_STORAGE_SWIFT_USERNAME", "User name", Typed),
            ("REGISTRY_STORAGE_SWIFT_PASSWORD", "Password", Typed),
            (
                "REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALID",
                "Application credential ID",
                Typed,
            ),
            (
                "REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALNAME",
                "Application credential name",
                Typed,
            ),
            (
                "REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALSECRET",
                "Application credential secret",
                Typed,
            ),
            ("REGISTRY_STORAGE_SWIFT_TOKENID", "Token ID", Typed),
        ],
        _ => &[],
    }
}

/// What a provider's credentials need, in a sentence, when it is not obvious.
pub fn secret_note(kind: StorageKind) -> Option<&'static str> {
    match kind {
        StorageKind::Swift => Some(
            "One complete set is enough: user name and password, or the application credential's ID, name and secret, or a token ID.",
        ),
        StorageKind::Azure => {
            Some("With your own account key, the account name and the container must be set too.")
        }
        _ => None,
    }
}

/// The proxy and request-limit inputs: path under `spec`, and label.
pub const SETTING_FIELDS: [(&str, &str); 9] = [
    ("proxy.http", "HTTP proxy"),
    ("proxy.https", "HTTPS proxy"),
    ("proxy.noProxy", "No proxy for (comma-separated)"),
    (
        "requests.read.maxRunning",
        "Reads running at once (0: no limit)",
    ),
    (
        "requests.read.maxInQueue",
        "Reads waiting in the queue (0: no limit)",
    ),
    (
        "requests.read.maxWaitInQueue",
        "Longest wait of a queued read (Go duration: 30s, 2m)",
    ),
    (
        "requests.write.maxRunning",
        "Writes running at once (0: no limit)",
    ),
    (
        "requests.write.maxInQueue",
        "Writes waiting in the queue (0: no limit)",
    ),
    (
        "requests.write.maxWaitInQueue",
        "Longest wait of a queued write (Go duration)",
    ),
];

/// Whether a setting holds a whole number rather than text.
pub fn numeric_setting(id: &str) -> bool {
    id.ends_with(".maxRunning") || id.ends_with(".maxInQueue")
}

/// The container resource inputs: path under `spec.resources`, and label.
pub const RESOURCE_FIELDS: [(&str, &str); 4] = [
    ("requests.cpu", "CPU request (empty: 100m)"),
    ("requests.memory", "Memory request (empty: 256Mi)"),
    ("limits.cpu", "CPU limit (empty: none)"),
    ("limits.memory", "Memory limit (empty: none)"),
];
