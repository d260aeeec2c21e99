//! The warnings a storage or state choice deserves before it is applied.

use registry_model::edit::config::ConfigView;
use registry_model::registry_config::{ManagementState, StorageKind, StorageManagementState};
use registry_model::validation::claim::ClaimSummary;
use registry_model::validation::storage::StorageChoice;

use crate::i18n::tr;

/// Images stay where they are: say so when the user moves the registry to another
/// provider, or to another bucket, container or claim of the same one.
pub fn switch_warning(
    stored: Option<&StorageChoice>,
    chosen: Option<&StorageChoice>,
) -> Option<String> {
    let (stored, chosen) = (stored?, chosen?);
    let (from, to) = (stored.location(), chosen.location());
    if from == to {
        return None;
    }
    Some(if from.0 != to.0 {
        tr::config::switch_provider(kind_label(from.0), kind_label(to.0))
    } else {
        match to.0 {
            StorageKind::Pvc => tr::config::switch_claim(),
            StorageKind::Azure | StorageKind::Swift => tr::config::switch_container(),
            _ => tr::config::switch_bucket(),
        }
    })
}

/// A storage provider as the form names it: the product's name, and for emptyDir what it
/// means.
pub fn kind_label(kind: StorageKind) -> String {
    match kind {
        StorageKind::EmptyDir => tr::config::kind_empty_dir(),
        kind => kind.label().to_owned(),
    }
}

/// The storage a config points at, named for a warning: the claim with its size (when the
/// user may list claims), or the bucket or container.
fn storage_name(spec: &ConfigView, claims: Option<&[ClaimSummary]>) -> String {
    let location = spec
        .storage
        .as_ref()
        .and_then(StorageChoice::from_storage)
        .map(|choice| choice.location());
    match location {
        Some((StorageKind::Pvc, fields)) => {
            let claim = fields.into_iter().flatten().next().unwrap_or_default();
            let size = claims
                .into_iter()
                .flatten()
                .find(|c| c.name == claim)
                .and_then(|c| c.size.clone());
            match size {
                Some(size) => tr::config::storage_claim_sized(claim, size),
                None => tr::config::storage_claim(claim),
            }
        }
        Some((_, fields)) => match fields.into_iter().flatten().next() {
            Some(name) => tr::config::storage_named(name),
            None => tr::config::storage_unnamed(),
        },
        None => tr::config::storage_unnamed(),
    }
}

/// `Removed` deletes the storage the operator created (`registry-api.md` §9.4): warn when
/// the user chooses it for such storage, naming it (and the claim's size).
pub fn removal_warning(
    spec: ConfigView,
    chosen: Option<ManagementState>,
    claims: Option<&[ClaimSummary]>,
) -> Option<String> {
    let owned = spec.storage.as_ref().and_then(|s| s.management_state)
        == Some(StorageManagementState::Managed);
    let removing = owned
        && chosen == Some(ManagementState::Removed)
        && spec.management_state != Some(ManagementState::Removed);
    // Called by name, not passed as `then(tr::...)`: the catalogue test finds keys by call.
    if removing {
        Some(tr::config::removal_warning(storage_name(&spec, claims)))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use registry_model::registry_config::{PvcStorage, Storage};

    #[test]
    fn switching_providers_and_removing_owned_storage_are_warned_about() {
        let pvc = |claim: &str| {
            StorageChoice::Pvc(PvcStorage {
                claim: Some(claim.into()),
            })
        };
        let s3 = StorageChoice::S3(Default::default());
        assert!(
            switch_warning(Some(&pvc("image-registry-storage")), Some(&s3))
                .unwrap()
                .contains("does not migrate images")
        );
        assert_eq!(switch_warning(None, Some(&s3)), None, "nothing was stored");
        assert_eq!(switch_warning(Some(&s3), Some(&s3)), None);
        assert!(
            switch_warning(
                Some(&pvc("image-registry-storage")),
                Some(&pvc("image-registry-block"))
            )
            .unwrap()
            .contains("another claim")
        );
        let mut spec = ConfigView {
            replicas: 1,
            storage: Some(Storage {
                management_state: Some(StorageManagementState::Managed),
                pvc: Some(PvcStorage::default()),
                ..Storage::default()
            }),
            ..ConfigView::default()
        };
        spec.management_state = Some(ManagementState::Managed);
        // The operator's own claim, named with its size.
        let claims = [ClaimSummary {
            name: "image-registry-storage".into(),
            access_modes: vec!["ReadWriteMany".into()],
            size: Some("100Gi".into()),
            storage_class: None,
            phase: Some("Bound".into()),
        }];
        let warning =
            removal_warning(spec.clone(), Some(ManagementState::Removed), Some(&claims)).unwrap();
        assert!(
            warning.contains("`image-registry-storage` (100Gi)") && warning.contains("every image"),
            "{warning}"
        );
        let unlisted = removal_warning(spec.clone(), Some(ManagementState::Removed), None).unwrap();
        assert!(
            unlisted.contains("`image-registry-storage`") && !unlisted.contains("Gi"),
            "{unlisted}"
        );
        assert!(removal_warning(spec.clone(), Some(ManagementState::Unmanaged), None).is_none());
        spec.storage.as_mut().unwrap().management_state = Some(StorageManagementState::Unmanaged);
        assert!(removal_warning(spec, Some(ManagementState::Removed), None).is_none());
    }
}
