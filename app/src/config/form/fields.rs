//! The form's fields, as tables: which inputs each storage provider shows, which
//! credential keys it writes, and the registry settings. Ids are paths as the API names
//! them (under `spec.storage` for providers, under `spec` for settings), so a finding's
//! field leads back to its input; labels are in the reader's language.

use registry_model::registry_config::StorageKind;

use crate::i18n::tr;

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
pub fn text_fields(kind: StorageKind) -> Vec<(&'static str, String)> {
    match kind {
        StorageKind::S3 => vec![
            ("s3.bucket", tr::config::field_bucket()),
            ("s3.region", tr::config::field_region()),
            ("s3.regionEndpoint", tr::config::field_region_endpoint()),
            ("s3.keyID", tr::config::field_s3_kms_key()),
            ("s3.chunkSizeMiB", tr::config::field_chunk_size()),
            ("s3.trustedCA.name", tr::config::field_trusted_ca()),
            (
                "s3.cloudFront.baseURL",
                tr::config::field_cloudfront_base_url(),
            ),
            (
                "s3.cloudFront.keypairID",
                tr::config::field_cloudfront_keypair(),
            ),
            (
                "s3.cloudFront.privateKey.name",
                tr::config::field_cloudfront_key_secret(),
            ),
            (
                "s3.cloudFront.privateKey.key",
                tr::config::field_cloudfront_key_key(),
            ),
            (
                "s3.cloudFront.duration",
                tr::config::field_cloudfront_duration(),
            ),
        ],
        StorageKind::Gcs => vec![
            ("gcs.bucket", tr::config::field_bucket()),
            ("gcs.region", tr::config::field_region()),
            ("gcs.projectID", tr::config::field_project_id()),
            ("gcs.keyID", tr::config::field_kms_key()),
        ],
        StorageKind::Azure => vec![
            ("azure.accountName", tr::config::field_account_name()),
            ("azure.container", tr::config::field_container()),
            ("azure.cloudName", tr::config::field_azure_cloud()),
        ],
        StorageKind::Swift => vec![
            ("swift.authURL", tr::config::field_auth_url()),
            ("swift.authVersion", tr::config::field_auth_version()),
            ("swift.container", tr::config::field_container()),
            ("swift.domain", tr::config::field_domain()),
            ("swift.domainID", tr::config::field_domain_id()),
            ("swift.tenant", tr::config::field_tenant()),
            ("swift.tenantID", tr::config::field_tenant_id()),
            ("swift.regionName", tr::config::field_region()),
        ],
        _ => Vec::new(),
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
pub fn flag_fields(kind: StorageKind) -> Vec<(&'static str, String)> {
    match kind {
        StorageKind::S3 => vec![
            ("s3.encrypt", tr::config::field_encrypt()),
            ("s3.virtualHostedStyle", tr::config::field_virtual_hosted()),
        ],
        _ => Vec::new(),
    }
}

/// How a credential is entered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecretInput {
    /// Typed into a password field.
    Typed,
    /// An identifier kept beside a secret (an access key ID, a user name): typed where it
    /// can be read, since people check it against their provider's console. Like every
    /// key, it is written and never read back.
    Visible,
    /// Uploaded as a file (the GCS service account key).
    File,
}

/// A provider's credential inputs: the exact key the operator reads, the label, and how
/// the value is entered.
pub fn secret_fields(kind: StorageKind) -> Vec<(&'static str, String, SecretInput)> {
    use SecretInput::*;
    match kind {
        StorageKind::S3 => vec![
            (
                "REGISTRY_STORAGE_S3_ACCESSKEY",
                tr::config::secret_access_key_id(),
                Visible,
            ),
            (
                "REGISTRY_STORAGE_S3_SECRETKEY",
                tr::config::secret_secret_access_key(),
                Typed,
            ),
        ],
        StorageKind::Gcs => vec![(
            "REGISTRY_STORAGE_GCS_KEYFILE",
            tr::config::secret_key_file(),
            File,
        )],
        StorageKind::Azure => vec![(
            "REGISTRY_STORAGE_AZURE_ACCOUNTKEY",
            tr::config::secret_account_key(),
            Typed,
        )],
        StorageKind::Swift => vec![
            (
                "REGISTRY_STORAGE_SWIFT_USERNAME",
                tr::config::secret_user_name(),
                Visible,
            ),
            (
                "REGISTRY_STORAGE_SWIFT_PASSWORD",
                tr::config::secret_password(),
                Typed,
            ),
            (
                "REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALID",
                tr::config::secret_app_credential_id(),
                Visible,
            ),
            (
                "REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALNAME",
                tr::config::secret_app_credential_name(),
                Visible,
            ),
            (
                "REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALSECRET",
                tr::config::secret_app_credential_secret(),
                Typed,
            ),
            (
                "REGISTRY_STORAGE_SWIFT_TOKENID",
                tr::config::secret_token_id(),
                Typed,
            ),
        ],
        _ => Vec::new(),
    }
}

/// What a provider's credentials need, in a sentence, when it is not obvious.
pub fn secret_note(kind: StorageKind) -> Option<String> {
    match kind {
        StorageKind::Swift => Some(tr::config::secret_note_swift()),
        StorageKind::Azure => Some(tr::config::secret_note_azure()),
        _ => None,
    }
}

/// The proxy and request-limit inputs: path under `spec`, and label.
pub fn setting_fields() -> [(&'static str, String); 9] {
    [
        ("proxy.http", tr::config::setting_http_proxy()),
        ("proxy.https", tr::config::setting_https_proxy()),
        ("proxy.noProxy", tr::config::setting_no_proxy()),
        (
            "requests.read.maxRunning",
            tr::config::setting_read_max_running(),
        ),
        (
            "requests.read.maxInQueue",
            tr::config::setting_read_max_in_queue(),
        ),
        (
            "requests.read.maxWaitInQueue",
            tr::config::setting_read_max_wait(),
        ),
        (
            "requests.write.maxRunning",
            tr::config::setting_write_max_running(),
        ),
        (
            "requests.write.maxInQueue",
            tr::config::setting_write_max_in_queue(),
        ),
        (
            "requests.write.maxWaitInQueue",
            tr::config::setting_write_max_wait(),
        ),
    ]
}

/// Whether a setting holds a whole number rather than text.
pub fn numeric_setting(id: &str) -> bool {
    id.ends_with(".maxRunning") || id.ends_with(".maxInQueue")
}

/// The container resource inputs: path under `spec.resources`, and label.
pub fn resource_fields() -> [(&'static str, String); 4] {
    [
        ("requests.cpu", tr::config::resource_cpu_request()),
        ("requests.memory", tr::config::resource_memory_request()),
        ("limits.cpu", tr::config::resource_cpu_limit()),
        ("limits.memory", tr::config::resource_memory_limit()),
    ]
}
