//! Just enough of the Kubernetes protobuf encoding to read the access reviews kubectl sends
//! that way (`kubectl auth can-i`); every other request is JSON.

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

fn field<'a>(fs: &[(u64, &'a [u8])], n: u64) -> Option<&'a [u8]> {
    fs.iter().find(|(k, _)| *k == n).map(|(_, v)| *v)
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
            out.push(bytes.len() as u8);
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
}
