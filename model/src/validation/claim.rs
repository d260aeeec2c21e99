//! Block storage for the registry (the guide's procedure): a ReadWriteOnce claim the
//! console creates in `openshift-image-registry`, with one replica and the Recreate
//! rollout, so the old pod lets go of the volume before the new one mounts it.

use serde::{Deserialize, Serialize};

use super::names::is_dns1123_subdomain;
use super::storage::{ClaimInfo, RECOMMENDED_CLAIM_BYTES};
use super::{Finding, Message};
use crate::quantity::{quantity_bytes, quantity_problem};

/// The access mode of a claim made for block storage.
pub const BLOCK_ACCESS_MODE: &str = "ReadWriteOnce";

/// A claim to create before the config names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewClaim {
    pub name: String,
    /// A storage quantity (`100Gi`).
    pub size: String,
    /// `None`: the cluster's default storage class.
    pub storage_class: Option<String>,
}

/// A claim that exists in `openshift-image-registry`, as forms list it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimSummary {
    pub name: String,
    pub access_modes: Vec<String>,
    /// The bound capacity, else the requested size, as the API writes it.
    pub size: Option<String>,
    pub storage_class: Option<String>,
    /// `Pending`, `Bound` or `Lost`.
    pub phase: Option<String>,
}

impl ClaimSummary {
    /// What the storage rules need to know of it.
    pub fn info(&self) -> ClaimInfo {
        ClaimInfo {
            access_modes: self.access_modes.clone(),
            size_bytes: self.size.as_deref().and_then(quantity_bytes),
        }
    }
}

impl NewClaim {
    /// What the storage rules will see once it exists.
    pub fn info(&self) -> ClaimInfo {
        ClaimInfo {
            access_modes: vec![BLOCK_ACCESS_MODE.to_owned()],
            size_bytes: quantity_bytes(&self.size),
        }
    }
}

/// Checks a claim to create. `existing` and `classes` are what the user may list (`None`
/// when they may not, and then the API decides).
pub fn validate_new_claim(
    claim: &NewClaim,
    existing: Option<&[ClaimSummary]>,
    classes: Option<&[String]>,
) -> Vec<Finding> {
    const NAME: &str = "newClaim.name";
    const SIZE: &str = "newClaim.size";
    let mut out = Vec::new();
    let name = claim.name.as_str();
    if name.is_empty() {
        out.push(Finding::error(NAME, Message::NameTheClaim));
    } else if !is_dns1123_subdomain(name) {
        out.push(Finding::error(
            NAME,
            Message::ClaimName { name: name.into() },
        ));
    } else if existing.is_some_and(|claims| claims.iter().any(|c| c.name == name)) {
        out.push(Finding::error(
            NAME,
            Message::ClaimExists { name: name.into() },
        ));
    }
    match quantity_problem(&claim.size) {
        Some(problem) => out.push(Finding::error(SIZE, problem)),
        None => match quantity_bytes(&claim.size) {
            Some(0) | None => out.push(Finding::error(SIZE, Message::SizeZero)),
            Some(bytes) if bytes < RECOMMENDED_CLAIM_BYTES => {
                out.push(Finding::warning(SIZE, Message::SizeBelowGuide))
            }
            Some(_) => {}
        },
    }
    if let (Some(class), Some(classes)) = (&claim.storage_class, classes)
        && !classes.contains(class)
    {
        out.push(Finding::error(
            "newClaim.storageClass",
            Message::NoSuchStorageClass {
                class: class.clone(),
                classes: classes.join(", "),
            },
        ));
    }
    out
}

/// A claim to create is there for the storage to use: `storage_claim` (the config's
/// `spec.storage.pvc.claim`) must name it.
pub fn new_claim_is_the_storage(claim: &NewClaim, storage_claim: Option<&str>) -> Option<Finding> {
    (storage_claim != Some(claim.name.as_str())).then(|| {
        Finding::error(
            "newClaim.name",
            Message::ClaimNotStorage {
                name: claim.name.clone(),
            },
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validation::Severity;

    fn claim(name: &str, size: &str, class: Option<&str>) -> NewClaim {
        NewClaim {
            name: name.into(),
            size: size.into(),
            storage_class: class.map(str::to_owned),
        }
    }

    #[test]
    fn a_claim_to_create_is_the_one_the_storage_names() {
        let new = claim("registry-block", "100Gi", None);
        assert_eq!(new_claim_is_the_storage(&new, Some("registry-block")), None);
        for named in [None, Some("other")] {
            let finding = new_claim_is_the_storage(&new, named).expect("refused");
            assert_eq!(finding.field, "newClaim.name");
        }
    }

    #[test]
    fn each_new_claim_rule() {
        let existing = [ClaimSummary {
            name: "taken".into(),
            access_modes: vec!["ReadWriteMany".into()],
            size: Some("100Gi".into()),
            storage_class: None,
            phase: Some("Bound".into()),
        }];
        let classes = ["standard".to_string(), "fast".to_string()];
        let cases: &[(NewClaim, &[(&str, Severity)])] = &[
            (claim("registry-block", "100Gi", Some("fast")), &[]),
            (claim("registry-block", "100Gi", None), &[]),
            (
                claim("", "100Gi", None),
                &[("newClaim.name", Severity::Error)],
            ),
            (
                claim("Registry", "100Gi", None),
                &[("newClaim.name", Severity::Error)],
            ),
            (
                claim("taken", "100Gi", None),
                &[("newClaim.name", Severity::Error)],
            ),
            (
                claim("b", "100 GB", None),
                &[("newClaim.size", Severity::Error)],
            ),
            (claim("b", "0", None), &[("newClaim.size", Severity::Error)]),
            (
                claim("b", "10Gi", None),
                &[("newClaim.size", Severity::Warning)],
            ),
            (
                claim("b", "100Gi", Some("slow")),
                &[("newClaim.storageClass", Severity::Error)],
            ),
        ];
        for (new, want) in cases {
            let got: Vec<(String, Severity)> =
                validate_new_claim(new, Some(&existing), Some(&classes))
                    .into_iter()
                    .map(|f| (f.field, f.severity))
                    .collect();
            let want: Vec<(String, Severity)> =
                want.iter().map(|(f, s)| (f.to_string(), *s)).collect();
            assert_eq!(got, want, "{new:?}");
        }
        // Without list access, names and classes are left to the API.
        assert!(validate_new_claim(&claim("taken", "100Gi", Some("slow")), None, None).is_empty());
    }

    #[test]
    fn a_new_claim_is_read_write_once_of_its_size() {
        let info = claim("b", "1Gi", None).info();
        assert_eq!(info.access_modes, ["ReadWriteOnce"]);
        assert_eq!(info.size_bytes, Some(1024 * 1024 * 1024));
    }
}
