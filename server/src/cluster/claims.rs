//! What a PersistentVolumeClaim offers the registry: its access modes and size, as the
//! shared storage rules judge them.

use k8s_openapi::api::core::v1::PersistentVolumeClaim;
use registry_model::validation::storage::ClaimInfo;

/// The claim's access modes and size: the bound capacity when there is one, else the
/// requested size.
pub fn claim_info(claim: &PersistentVolumeClaim) -> ClaimInfo {
    let spec = claim.spec.as_ref();
    let size = claim
        .status
        .as_ref()
        .and_then(|s| s.capacity.as_ref())
        .and_then(|c| c.get("storage"))
        .or_else(|| {
            spec.and_then(|s| s.resources.as_ref())
                .and_then(|r| r.requests.as_ref())
                .and_then(|r| r.get("storage"))
        });
    ClaimInfo {
        access_modes: spec
            .and_then(|s| s.access_modes.clone())
            .unwrap_or_default(),
        size_bytes: size.and_then(|q| quantity_bytes(&q.0)),
    }
}

/// Bytes in a storage quantity such as `100Gi` or `500M`; `None` for shapes it does not
/// know (then the size is simply not judged).
pub fn quantity_bytes(quantity: &str) -> Option<u64> {
    let split = quantity
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(quantity.len());
    let (number, unit) = quantity.split_at(split);
    let number: f64 = number.parse().ok()?;
    let factor: f64 = match unit {
        "" => 1.0,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "Ki" => 1024.0,
        "Mi" => 1024f64.powi(2),
        "Gi" => 1024f64.powi(3),
        "Ti" => 1024f64.powi(4),
        "Pi" => 1024f64.powi(5),
        _ => return None,
    };
    Some((number * factor) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::PersistentVolumeClaimStatus;
    use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
    use serde_json::json;

    fn claim(modes: &[&str], requested: &str) -> PersistentVolumeClaim {
        serde_json::from_value(json!({
            "metadata": { "name": "block" },
            "spec": { "accessModes": modes, "resources": { "requests": { "storage": requested } } }
        }))
        .unwrap()
    }

    #[test]
    fn sizes_read_in_binary_and_decimal_units_and_unknown_shapes_are_not_judged() {
        assert_eq!(quantity_bytes("100Gi"), Some(100 * 1024 * 1024 * 1024));
        assert_eq!(quantity_bytes("500M"), Some(500_000_000));
        assert_eq!(quantity_bytes("1.5Ki"), Some(1536));
        assert_eq!(quantity_bytes("12345"), Some(12345));
        assert_eq!(quantity_bytes("1e3"), None);
        assert_eq!(quantity_bytes("Gi"), None);
    }

    #[test]
    fn a_claim_offers_its_modes_and_the_bound_size_over_the_requested_one() {
        let mut rwo = claim(&["ReadWriteOnce"], "10Gi");
        let info = claim_info(&rwo);
        assert_eq!(info.access_modes, ["ReadWriteOnce"]);
        assert_eq!(info.size_bytes, Some(10 * 1024 * 1024 * 1024));
        rwo.status = Some(PersistentVolumeClaimStatus {
            capacity: Some([("storage".to_owned(), Quantity("200Gi".into()))].into()),
            ..PersistentVolumeClaimStatus::default()
        });
        assert_eq!(claim_info(&rwo).size_bytes, Some(200 * 1024 * 1024 * 1024));
        assert_eq!(
            claim_info(&PersistentVolumeClaim::default()),
            ClaimInfo {
                access_modes: vec![],
                size_bytes: None
            }
        );
    }
}
