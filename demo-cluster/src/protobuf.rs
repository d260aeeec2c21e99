//! Just enough of the Kubernetes protobuf encoding to read what kubectl sends that way: the
//! access reviews of `kubectl auth can-i`, and the Secrets and ConfigMaps of `kubectl
//! create secret|configmap` (the guide's `oc create secret generic`). Every other body
//! must be JSON.

use serde_json::{Value, json};

use crate::api_error::ApiError;

/// The media type kubectl uses for built-in types.
pub const MEDIA_TYPE: &str = "application/vnd.kubernetes.protobuf";

/// Length-delimited fields of a protobuf message, as `(field number, bytes)`; other wire
/// types are skipped.
fn fields(mut buf: &[u8]) -> Option<Vec<(u64, &[u8])>> {
    let mut out = Vec::new();
    while !buf.is_empty() {
        let key = varint(&mut buf)?;
        match key & 7 {
            0 => {
                varint(&mut buf)?;
            }
            1 => buf = buf.get(8..)?,
            2 => {
                let len = varint(&mut buf)? as usize;
                out.push((key >> 3, buf.get(..len)?));
                buf = &buf[len..];
            }
            5 => buf = buf.get(4..)?,
            _ => return None,
        }
    }
    Some(out)
}

fn varint(buf: &mut &[u8]) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let (&byte, rest) = buf.split_first()?;
        *buf = rest;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

/// The varint fields of a message, as `(field number, value)`.
fn varints(mut buf: &[u8]) -> Option<Vec<(u64, u64)>> {
    let mut out = Vec::new();
    while !buf.is_empty() {
        let key = varint(&mut buf)?;
        match key & 7 {
            0 => out.push((key >> 3, varint(&mut buf)?)),
            1 => buf = buf.get(8..)?,
            2 => {
                let len = varint(&mut buf)? as usize;
                buf = buf.get(len..)?;
            }
            5 => buf = buf.get(4..)?,
            _ => return None,
        }
    }
    Some(out)
}

/// A protobuf map field (repeated entries of key 1 and value 2) as JSON: strings as they
/// are, bytes base64-encoded as the JSON form of Kubernetes has them.
fn map(fs: &[(u64, &[u8])], n: u64, bytes: bool) -> Option<Option<Value>> {
    let mut out = serde_json::Map::new();
    for (_, entry) in fs.iter().filter(|(k, _)| *k == n) {
        let entry = fields(entry)?;
        let key = String::from_utf8_lossy(field(&entry, 1).unwrap_or_default()).into_owned();
        let value = field(&entry, 2).unwrap_or_default();
        let value = if bytes {
            serde_json::to_value(k8s_openapi::ByteString(value.to_vec())).ok()?
        } else {
            json!(String::from_utf8_lossy(value))
        };
        out.insert(key, value);
    }
    Some((!out.is_empty()).then_some(Value::Object(out)))
}

/// ObjectMeta as a create sends it: names, labels and annotations.
fn object_meta(message: &[u8]) -> Option<Value> {
    let fs = fields(message)?;
    let mut meta = strings(
        message,
        &[(1, "name"), (2, "generateName"), (3, "namespace")],
    )?;
    for (n, name) in [(11, "labels"), (12, "annotations")] {
        if let Some(m) = map(&fs, n, false)? {
            meta[name] = m;
        }
    }
    Some(meta)
}

/// Decodes a Secret or ConfigMap that kubectl sent as protobuf into its JSON form.
pub fn decode_object(body: &[u8]) -> Result<Value, ApiError> {
    let refuse = |what: &str| {
        ApiError::bad_request(format!(
            "the demo cluster reads protobuf bodies only for Secrets, ConfigMaps and access reviews, not {what}: send JSON (for example kubectl create ... --dry-run=client -o json | kubectl create -f -)"
        ))
    };
    let unknown = body
        .strip_prefix(b"k8s\0")
        .ok_or_else(|| refuse("this body"))?;
    let envelope = fields(unknown).ok_or_else(|| refuse("this body"))?;
    let type_meta = strings(
        field(&envelope, 1).unwrap_or_default(),
        &[(1, "apiVersion"), (2, "kind")],
    )
    .ok_or_else(|| refuse("this body"))?;
    let kind = type_meta["kind"].as_str().unwrap_or_default().to_owned();
    let raw = field(&envelope, 2).unwrap_or_default();
    let bad = || ApiError::bad_request(format!("the protobuf body is not a valid {kind}"));
    let fs = fields(raw).ok_or_else(bad)?;
    let flags = varints(raw).ok_or_else(bad)?;
    let metadata = object_meta(field(&fs, 1).unwrap_or_default()).ok_or_else(bad)?;
    let mut object = json!({ "apiVersion": "v1", "kind": kind, "metadata": metadata });
    let (maps, immutable): (&[(u64, &str, bool)], u64) = match kind.as_str() {
        "Secret" => {
            if let Some(t) = field(&fs, 3) {
                object["type"] = json!(String::from_utf8_lossy(t));
            }
            (&[(2, "data", true), (4, "stringData", false)], 5)
        }
        "ConfigMap" => (&[(2, "data", false), (3, "binaryData", true)], 4),
        other => return Err(refuse(&format!("a {other}"))),
    };
    for (n, name, bytes) in maps {
        if let Some(m) = map(&fs, *n, *bytes).ok_or_else(bad)? {
            object[*name] = m;
        }
    }
    if let Some((_, v)) = flags.iter().rev().find(|(k, _)| *k == immutable) {
        object["immutable"] = json!(*v != 0);
    }
    Ok(object)
}

/// A singular field: the last occurrence wins, as protobuf says.
fn field<'a>(fs: &[(u64, &'a [u8])], n: u64) -> Option<&'a [u8]> {
    fs.iter().rev().find(|(k, _)| *k == n).map(|(_, v)| *v)
}

fn strings(message: &[u8], names: &[(u64, &str)]) -> Option<Value> {
    let fs = fields(message)?;
    let mut out = serde_json::Map::new();
    for (n, name) in names {
        if let Some(v) = field(&fs, *n) {
            out.insert((*name).to_string(), json!(String::from_utf8_lossy(v)));
        }
    }
    Some(Value::Object(out))
}

/// Decodes a SelfSubjectAccessReview or SelfSubjectRulesReview into its JSON form.
pub fn decode_review(body: &[u8], kind: &str) -> Result<Value, ApiError> {
    let bad = || ApiError::bad_request(format!("the protobuf body is not a {kind}"));
    let unknown = body.strip_prefix(b"k8s\0").ok_or_else(bad)?;
    let raw = field(&fields(unknown).ok_or_else(bad)?, 2).ok_or_else(bad)?;
    let spec = field(&fields(raw).ok_or_else(bad)?, 2).unwrap_or_default();
    let spec_fields = fields(spec).ok_or_else(bad)?;
    let spec_json = if kind == "SelfSubjectRulesReview" {
        strings(spec, &[(1, "namespace")]).ok_or_else(bad)?
    } else if let Some(attrs) = field(&spec_fields, 1) {
        let names = [
            (1, "namespace"),
            (2, "verb"),
            (3, "group"),
            (4, "version"),
            (5, "resource"),
            (6, "subresource"),
            (7, "name"),
        ];
        json!({ "resourceAttributes": strings(attrs, &names).ok_or_else(bad)? })
    } else if let Some(attrs) = field(&spec_fields, 2) {
        json!({ "nonResourceAttributes": strings(attrs, &[(1, "path"), (2, "verb")]).ok_or_else(bad)? })
    } else {
        json!({})
    };
    Ok(
        json!({ "apiVersion": "authorization.k8s.io/v1", "kind": kind, "metadata": {}, "spec": spec_json }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(fields: &[(u64, Vec<u8>)]) -> Vec<u8> {
        let mut out = Vec::new();
        for (n, bytes) in fields {
            out.push(((n << 3) | 2) as u8);
            let mut len = bytes.len();
            while len >= 0x80 {
                out.push((len as u8 & 0x7f) | 0x80);
                len >>= 7;
            }
            out.push(len as u8);
            out.extend(bytes);
        }
        out
    }

    #[test]
    fn decodes_an_access_review_as_kubectl_encodes_it() {
        let attrs = message(&[
            (2, b"patch".to_vec()),
            (3, b"imageregistry.operator.openshift.io".to_vec()),
            (5, b"configs".to_vec()),
        ]);
        let spec = message(&[(1, attrs)]);
        let review = message(&[(1, vec![]), (2, spec)]);
        let type_meta = message(&[
            (1, b"authorization.k8s.io/v1".to_vec()),
            (2, b"SelfSubjectAccessReview".to_vec()),
        ]);
        let mut body = b"k8s\0".to_vec();
        body.extend(message(&[(1, type_meta), (2, review)]));
        let v = decode_review(&body, "SelfSubjectAccessReview").unwrap();
        assert_eq!(
            v["spec"]["resourceAttributes"],
            json!({"verb": "patch", "group": "imageregistry.operator.openshift.io", "resource": "configs"})
        );
        assert!(decode_review(b"nonsense", "SelfSubjectAccessReview").is_err());
    }

    fn entry(key: &str, value: &[u8]) -> Vec<u8> {
        message(&[(1, key.as_bytes().to_vec()), (2, value.to_vec())])
    }

    fn envelope(kind: &str, raw: Vec<u8>) -> Vec<u8> {
        let type_meta = message(&[(1, b"v1".to_vec()), (2, kind.as_bytes().to_vec())]);
        let mut body = b"k8s\0".to_vec();
        body.extend(message(&[(1, type_meta), (2, raw)]));
        body
    }

    #[test]
    fn decodes_secrets_and_config_maps_as_kubectl_create_encodes_them() {
        let meta = message(&[
            (1, b"image-registry-private-configuration-user".to_vec()),
            (3, b"openshift-image-registry".to_vec()),
            (12, entry("note", b"by kubectl")),
        ]);
        let mut secret = message(&[
            (1, meta.clone()),
            (2, entry("REGISTRY_STORAGE_S3_SECRETKEY", b"s3cr\x00t")),
            (3, b"Opaque".to_vec()),
        ]);
        secret.extend([5 << 3, 1]); // immutable: true
        let v = decode_object(&envelope("Secret", secret)).unwrap();
        assert_eq!(v["kind"], "Secret");
        assert_eq!(
            v["metadata"]["name"],
            "image-registry-private-configuration-user"
        );
        assert_eq!(v["metadata"]["annotations"]["note"], "by kubectl");
        assert_eq!(v["type"], "Opaque");
        assert_eq!(v["data"]["REGISTRY_STORAGE_S3_SECRETKEY"], "czNjcgB0");
        assert_eq!(v["immutable"], true);

        let cm = message(&[
            (1, meta),
            (
                2,
                entry("registry.example.com..5000", b"-----BEGIN CERTIFICATE-----"),
            ),
        ]);
        let v = decode_object(&envelope("ConfigMap", cm)).unwrap();
        assert_eq!(
            v["data"]["registry.example.com..5000"],
            "-----BEGIN CERTIFICATE-----"
        );

        let job = decode_object(&envelope("Job", message(&[]))).unwrap_err();
        assert!(format!("{job:?}").contains("not a Job"), "{job:?}");
        assert!(decode_object(b"{}").is_err());
    }
}
