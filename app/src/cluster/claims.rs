//! What a PersistentVolumeClaim offers the registry: its access modes and size, as the
//! shared storage rules judge them.

use k8s_openapi::api::core::v1::PersistentVolumeClaim;
use registry_model::validation::claim::ClaimSummary;
use registry_model::validation::storage::ClaimInfo;

/// The claim as forms list it: name, access modes, size (the bound capacity when there is
/// one, else the requested size), class and phase.
pub fn claim_summary(claim: &PersistentVolumeClaim) -> ClaimSummary {
    let spec = claim.spec.as_ref();
    let status = claim.status.as_ref();
    let size = status
        .and_then(|s| s.capacity.as_ref())
        .and_then(|c| c.get("storage"))
        .or_else(|| {
            spec.and_then(|s| s.resources.as_ref())
                .and_then(|r| r.requests.as_ref())
                .and_then(|r| r.get("storage"))
        });
    ClaimSummary {
        name: claim.metadata.name.clone().unwrap_or_default(),
        access_modes: spec
            .and_then(|s| s.access_modes.clone())
            .unwrap_or_default(),
        size: size.map(|q| q.0.clone()),
        storage_class: spec.and_then(|s| s.storage_class_name.clone()),
        phase: status.and_then(|s| s.phase.clone()),
    }
}

/// What the shared storage rules judge of a claim: its access modes and size.
pub fn claim_info(claim: &PersistentVolumeClaim) -> ClaimInfo {
    claim_summary(claim).info()
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
