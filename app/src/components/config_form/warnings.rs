//! The warnings a storage or state choice deserves before it is applied.

use registry_model::registry_config::{
    ConfigSpec, ManagementState, StorageKind, StorageManagementState,
};

/// Switching providers leaves the images behind: say so when the user switches.
pub fn switch_warning(stored: Option<StorageKind>, chosen: Option<StorageKind>) -> Option<String> {
    match (stored, chosen) {
        (Some(from), Some(to)) if from != to => Some(format!(
            "Switching from {} to {} does not migrate images: the registry starts empty on the new storage.",
            from.label(),
            to.label()
        )),
        _ => None,
    }
}

/// `Removed` deletes the storage the operator created (`registry-api.md` §9.4): warn when
/// the user chooses it for such storage.
pub fn removal_warning(spec: ConfigSpec, chosen: Option<ManagementState>) -> Option<&'static str> {
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
        assert!(
            switch_warning(Some(StorageKind::Pvc), Some(StorageKind::S3))
                .unwrap()
                .contains("does not migrate images")
        );
        assert_eq!(switch_warning(None, Some(StorageKind::S3)), None);
        assert_eq!(
            switch_warning(Some(StorageKind::S3), Some(StorageKind::S3)),
            None
        );
        let mut spec = ConfigSpec {
            replicas: 1,
            storage: Some(Storage {
                management_state: Some(StorageManagementState::Managed),
                pvc: Some(PvcStorage::default()),
                ..Storage::default()
            }),
            ..ConfigSpec::default()
        };
        spec.management_state = Some(ManagementState::Managed);
        assert!(removal_warning(spec.clone(), Some(ManagementState::Removed)).is_some());
        assert!(removal_warning(spec.clone(), Some(ManagementState::Unmanaged)).is_none());
        spec.storage.as_mut().unwrap().management_state = Some(StorageManagementState::Unmanaged);
        assert!(removal_warning(spec, Some(ManagementState::Removed)).is_none());
    }
}
