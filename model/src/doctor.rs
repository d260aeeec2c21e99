//! The configuration doctor: problems in the stored configuration, each with its fix.
//! It runs the same rules as the forms over what the cluster holds now, so a problem made
//! with `oc` shows on the overview as clearly as one the form would have refused.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::edit::config::ConfigView;
use crate::registry_config::{Config, ManagementState};
use crate::validation::names::is_dns1123_subdomain;
use crate::validation::settings::validate_settings;
use crate::validation::storage::{ClaimInfo, StorageChoice, StorageContext, validate_storage};
use crate::validation::{Finding, Message, Severity};

/// One problem and how to fix it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// The field the problem is about.
    pub field: String,
    /// What is wrong.
    pub message: Message,
    /// What to do about it.
    pub fix: Fix,
    /// Blocking problems break the registry; warnings are risks.
    pub severity: Severity,
}

/// The way out of a problem: what to correct, on the configuration page. (The console
/// words it for the reader; `Display` is the English of logs and tests.)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Fix {
    ChooseStorage,
    EnterCredentials,
    AdjustReplicas,
    CorrectStorage,
    CorrectSetting,
}

impl std::fmt::Display for Fix {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Fix::ChooseStorage => "Choose one storage type on the configuration page",
            Fix::EnterCredentials => "Enter the provider's credentials on the configuration page",
            Fix::AdjustReplicas => "Adjust replicas and rollout strategy on the configuration page",
            Fix::CorrectStorage => "Correct the storage settings on the configuration page",
            Fix::CorrectSetting => "Correct the setting on the configuration page",
        })
    }
}

/// What the doctor needs besides the config.
#[derive(Clone, Debug, Default)]
pub struct Observed {
    /// The claim `spec.storage.pvc.claim` names, when it exists.
    pub claim: Option<ClaimInfo>,
    /// Whether the user could read the claims; without that, a claim that was not seen is
    /// not judged missing.
    pub claim_readable: bool,
    /// The keys of `image-registry-private-configuration-user` (empty when it is missing
    /// or the user may not read secrets).
    pub secret_keys: BTreeSet<String>,
    /// Whether the user could read the secret; without that, credentials are not judged.
    pub secret_readable: bool,
    /// Whether the secret exists: then it replaces the cluster's own credentials.
    pub secret_exists: bool,
    /// The key names of `installer-cloud-credentials` (empty when it does not exist).
    pub cluster_keys: BTreeSet<String>,
    /// Whether the user may not read that secret: then it is not judged missing.
    pub cluster_keys_unknown: bool,
}

/// The problems of a config as the cluster holds it.
///
/// Removed and Unmanaged registries are not reconciled, so their settings do nothing yet,
/// and having no storage is their normal state. Storage they do name is judged all the
/// same, by the rules the configuration form runs: the first-run guide, the form and the
/// doctor then say the same thing about it (emptyDir loses every image, whatever the state).
pub fn diagnose(config: &Config, observed: &Observed) -> Vec<Problem> {
    let spec = &config.spec;
    let managed = spec.management_state == Some(ManagementState::Managed);
    let storage = spec.storage.clone().unwrap_or_default();
    if !managed && storage.kinds().is_empty() {
        return Vec::new();
    }
    let mut findings: Vec<Finding> = if managed {
        validate_settings(&ConfigView::from(spec.clone()))
    } else {
        Vec::new()
    };
    match storage.kinds().len() {
        0 => findings.push(Finding::error("spec.storage", Message::NoStorage)),
        1 => {
            if let Some(choice) = StorageChoice::from_storage(&storage) {
                // A valid claim name the user could not look up: its absence is not a finding
                // (the rules report only "does not exist" for it, on the claim's field).
                let claim_unknown = !observed.claim_readable
                    && observed.claim.is_none()
                    && matches!(&choice, StorageChoice::Pvc(pvc)
                    if pvc.claim.as_deref().is_some_and(|c| !c.is_empty() && is_dns1123_subdomain(c)));
                let ctx = StorageContext {
                    replicas: spec.replicas,
                    rollout: spec.rollout_strategy,
                    claim: observed.claim.clone(),
                    stored_keys: observed.secret_keys.clone(),
                    new_keys: BTreeSet::new(),
                    user_secret: observed.secret_exists,
                    cluster_keys: observed.cluster_keys.clone(),
                    cluster_keys_unknown: observed.cluster_keys_unknown,
                };
                findings.extend(
                    validate_storage(&choice, &ctx)
                        .into_iter()
                        .filter(|f| observed.secret_readable || f.field != "credentials")
                        .filter(|f| !(claim_unknown && f.field == "spec.storage.pvc.claim")),
                );
            }
        }
        n => findings.push(Finding::error(
            "spec.storage",
            Message::SeveralStorageTypes { count: n },
        )),
    }
    findings
        .into_iter()
        .map(|f| Problem {
            fix: fix_for(&f.field),
            field: f.field,
            message: f.message,
            severity: f.severity,
        })
        .collect()
}

fn fix_for(field: &str) -> Fix {
    match field {
        "spec.storage" => Fix::ChooseStorage,
        "credentials" => Fix::EnterCredentials,
        "spec.replicas" | "spec.rolloutStrategy" => Fix::AdjustReplicas,
        f if f.starts_with("spec.storage") => Fix::CorrectStorage,
        _ => Fix::CorrectSetting,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry_config::{
        ConfigSpec, EmptyDir, PvcStorage, RolloutStrategy, S3Storage, Storage,
    };

    fn managed(storage: Storage, replicas: i32) -> Config {
        Config::new(
            "cluster",
            ConfigSpec {
                management_state: Some(ManagementState::Managed),
                replicas,
                storage: Some(storage),
                ..Default::default()
            },
        )
    }

    fn fields(problems: &[Problem]) -> Vec<&str> {
        problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .map(|p| p.field.as_str())
            .collect()
    }

    #[test]
    fn finds_the_combinations_the_guide_warns_about() {
        let observed = Observed {
            secret_readable: true,
            ..Default::default()
        };
        assert_eq!(
            fields(&diagnose(&managed(Storage::default(), 1), &observed)),
            ["spec.storage"]
        );
        let two = Storage {
            empty_dir: Some(EmptyDir {}),
            pvc: Some(PvcStorage::default()),
            ..Default::default()
        };
        assert_eq!(
            fields(&diagnose(&managed(two, 1), &observed)),
            ["spec.storage"]
        );
        let empty_dir = Storage {
            empty_dir: Some(EmptyDir {}),
            ..Default::default()
        };
        assert_eq!(
            fields(&diagnose(&managed(empty_dir, 2), &observed)),
            ["spec.replicas"]
        );
        let s3 = Storage {
            s3: Some(S3Storage {
                bucket: Some("registry".into()),
                region: Some("us-east-1".into()),
                ..Default::default()
            }),
            ..Default::default()
        };
        // A user secret without the keys: it replaces the cluster's credentials as a whole.
        let empty_secret = Observed {
            secret_readable: true,
            secret_exists: true,
            ..Default::default()
        };
        let problems = diagnose(&managed(s3.clone(), 1), &empty_secret);
        assert_eq!(fields(&problems), ["credentials"]);
        assert_eq!(problems[0].fix, Fix::EnterCredentials);
        // No user secret and nothing of the cluster's to fall back on (bare metal).
        let problems = diagnose(&managed(s3.clone(), 1), &observed);
        assert_eq!(fields(&problems), ["credentials"]);
        // The cluster's own AWS credentials serve S3 while there is no user secret.
        let minted = Observed {
            cluster_keys: ["credentials".to_string()].into(),
            ..observed.clone()
        };
        assert!(fields(&diagnose(&managed(s3.clone(), 1), &minted)).is_empty());
        // A user who may not read secrets is not told the credentials are missing.
        assert!(fields(&diagnose(&managed(s3, 1), &Observed::default())).is_empty());
    }

    #[test]
    fn a_read_write_once_claim_with_rolling_update_is_a_problem() {
        let mut config = managed(
            Storage {
                pvc: Some(PvcStorage {
                    claim: Some("block".into()),
                }),
                ..Default::default()
            },
            1,
        );
        config.spec.rollout_strategy = Some(RolloutStrategy::RollingUpdate);
        let observed = Observed {
            claim: Some(ClaimInfo {
                access_modes: vec!["ReadWriteOnce".into()],
                size_bytes: None,
            }),
            ..Default::default()
        };
        assert_eq!(
            fields(&diagnose(&config, &observed)),
            ["spec.rolloutStrategy"]
        );
    }

    #[test]
    fn a_claim_the_user_may_not_read_is_not_called_missing() {
        let config = managed(
            Storage {
                pvc: Some(PvcStorage {
                    claim: Some("block".into()),
                }),
                ..Default::default()
            },
            1,
        );
        let readable = Observed {
            claim_readable: true,
            ..Default::default()
        };
        assert_eq!(
            fields(&diagnose(&config, &readable)),
            ["spec.storage.pvc.claim"],
            "a claim that is not there is missing"
        );
        assert!(fields(&diagnose(&config, &Observed::default())).is_empty());
        let mut invalid = config.clone();
        invalid.spec.storage = Some(Storage {
            pvc: Some(PvcStorage {
                claim: Some("Not_A_Name".into()),
            }),
            ..Default::default()
        });
        assert_eq!(
            fields(&diagnose(&invalid, &Observed::default())),
            ["spec.storage.pvc.claim"],
            "an invalid name is wrong whatever the user may read"
        );
    }

    #[test]
    fn removed_and_unmanaged_registries_are_judged_only_on_the_storage_they_name() {
        let mut config = managed(Storage::default(), 1);
        config.spec.management_state = Some(ManagementState::Removed);
        assert!(
            diagnose(&config, &Observed::default()).is_empty(),
            "no storage is the normal state of a Removed registry"
        );
        // The settings do nothing yet...
        config.spec.management_state = Some(ManagementState::Unmanaged);
        config.spec.replicas = -1;
        assert!(diagnose(&config, &Observed::default()).is_empty());
        // ...but the storage it names is what Managed will use: the form's rules hold.
        config.spec.replicas = 1;
        config.spec.storage = Some(Storage {
            empty_dir: Some(EmptyDir {}),
            ..Default::default()
        });
        let problems = diagnose(&config, &Observed::default());
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].message, Message::EmptyDirLosesImages);
        assert_eq!(problems[0].severity, Severity::Warning);
    }
}
