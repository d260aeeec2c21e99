//! Which keys the credentials secret holds, never their values.

use std::collections::BTreeSet;

use k8s_openapi::api::core::v1::Secret;

/// The keys of `secret` that hold a value: the operator treats an empty value as missing.
/// Only the names leave this function (the API never returns `stringData`).
pub fn stored_keys(secret: &Secret) -> BTreeSet<String> {
    secret
        .data
        .iter()
        .flatten()
        .filter(|(_, value)| !value.0.is_empty())
        .map(|(key, _)| key.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_keys_with_values_count() {
        let secret: Secret = serde_json::from_value(json!({
            "metadata": { "name": "image-registry-private-configuration-user" },
            "data": { "REGISTRY_STORAGE_S3_ACCESSKEY": "QUtJQQ==", "REGISTRY_STORAGE_S3_SECRETKEY": "" }
        }))
        .unwrap();
        assert_eq!(
            stored_keys(&secret).into_iter().collect::<Vec<_>>(),
            ["REGISTRY_STORAGE_S3_ACCESSKEY"]
        );
        assert!(stored_keys(&Secret::default()).is_empty());
    }
}
