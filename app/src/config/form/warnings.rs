//! The warnings a storage or state choice deserves before it is applied.

use registry_model::edit::config::ConfigView;
use registry_model::registry_config::{ManagementState, StorageKind, StorageManagementState};
use registry_model::validation::storage::StorageChoice;

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
        format!(
            "Switching from {} to {} does not migrate images: the registry starts empty on the new storage.",
            from.0.label(),
            to.0.label()
        )
    } else {
        let place = match to.0 {
            StorageKind::Pvc => "claim",
            StorageKind::Azure | StorageKind::Swift => "account or container",
            _ => "bucket",
        };
        format!(
            "Pointing the registry at another {place} does not move images: it starts empty there, and the old {place} is left as it is."
        )
    })
}

/// `Removed` deletes the storage the operator created (`registry-api.md` §9.4): warn when
/// the user chooses it for such storage.
pub fn removal_warning(spec: ConfigView, chosen: Option<ManagementState>) -> Option<&'static str> {
    let owned =
        spec.storage.and_then(|s| s.management_state) == Some(StorageManagementState::Managed);
    (owned
        && chosen == Some(ManagementState::Removed)
        && spec.management_state != Some(ManagementState::Removed))
    .then_some(
        "Removed deletes the registry and the storage the operator created for it (storage management Managed), with every image in it.",
    )
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
        assert!(removal_warning(spec.clone(), Some(ManagementState::Removed)).is_some());
        assert!(removal_warning(spec.clone(), Some(ManagementState::Unmanaged)).is_none());
        spec.storage.as_mut().unwrap().management_state = Some(StorageManagementState::Unmanaged);
        assert!(removal_warning(spec, Some(ManagementState::Removed)).is_none());
    }
}
