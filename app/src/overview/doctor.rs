//! The configuration doctor on the overview: the shared rules (`registry_model::doctor`)
//! over the config as the cluster holds it, with what they need gathered from the same
//! snapshot (the named claim, the credential keys) as far as the user may read it, and the
//! operator's Degraded reasons, each with its fix.

use crate::i18n::{Phrase, said};
use crate::overview::view::{ConditionView, Diagnosis, Doctor, Link, Overview, Severity};
use kube::ResourceExt;
use registry_model::Config;
use registry_model::doctor::{Fix, Observed, diagnose};
use registry_model::names::{CREDENTIALS_SECRET, REGISTRY_NAMESPACE};
use registry_model::registry_config::ManagementState;
use registry_model::validation;
use registry_model::validation::storage::credential_keys;

use super::snapshot::{Part, Snapshot};
use crate::cluster::claims::claim_info;

/// Where the configuration is fixed.
fn configuration_page() -> Option<Link> {
    Some(Link {
        href: "/config".into(),
        label: said::overview::link_open_configuration(),
    })
}

/// The configuration page, at the input of `field` (a path such as `spec.replicas`, or
/// `credentials`): the page puts the focus there (`edit::focus::focus_field_of_address`).
fn configuration_field(field: &str) -> Option<Link> {
    Some(Link {
        href: format!("/config#{field}"),
        label: said::overview::link_open_configuration(),
    })
}

/// The claim `config` names, if any.
fn claim_name(config: &Config) -> Option<&str> {
    config
        .spec
        .storage
        .as_ref()
        .and_then(|s| s.pvc.as_ref())
        .and_then(|p| p.claim.as_deref())
        .filter(|c| !c.is_empty())
}

/// What the rules need besides the config, from what the user could read: a part they
/// may not read is "not judged", never "missing".
pub fn observe(config: &Config, snapshot: &Snapshot) -> Observed {
    let (claim, claim_readable) = match &snapshot.claims {
        Part::Found(claims) => (
            claim_name(config)
                .and_then(|name| claims.iter().find(|c| c.name_any() == name))
                .map(claim_info),
            true,
        ),
        Part::Missing => (None, true),
        Part::Forbidden(_) => (None, false),
    };
    let (secret_keys, secret_readable, secret_exists) = match &snapshot.credentials {
        Part::Found(keys) => (keys.clone(), true, true),
        Part::Missing => (Default::default(), true, false),
        Part::Forbidden(_) => (Default::default(), false, false),
    };
    let (cluster_keys, cluster_keys_unknown) = match &snapshot.cluster_credentials {
        Part::Found(keys) => (keys.clone(), false),
        Part::Missing => (Default::default(), false),
        Part::Forbidden(_) => (Default::default(), true),
    };
    Observed {
        claim,
        claim_readable,
        secret_keys,
        secret_readable,
        secret_exists,
        cluster_keys,
        cluster_keys_unknown,
    }
}

/// The doctor's findings for `snapshot`, whose conditions `overview` already shows.
pub fn examine(snapshot: &Snapshot, overview: &Overview) -> Doctor {
    let mut doctor = Doctor::default();
    if let Some(config) = snapshot.config.found() {
        let observed = observe(config, snapshot);
        doctor.problems = diagnose(config, &observed)
            .into_iter()
            .map(|p| Diagnosis {
                severity: match p.severity {
                    validation::Severity::Error => Severity::Error,
                    validation::Severity::Warning => Severity::Warning,
                },
                link: configuration_field(&p.field),
                source: p.field,
                problem: Phrase::finding(&p.message),
                fix: fix(p.fix),
            })
            .collect();
        doctor.not_judged = not_judged(config, snapshot);
    }
    // A config without storage is already a problem above; the operator's
    // StorageNotConfigured says the same thing.
    let mut seen: Vec<String> = Vec::new();
    if doctor.problems.iter().any(|p| p.source == "spec.storage") {
        seen.push("StorageNotConfigured".into());
    }
    for condition in overview
        .config_conditions
        .iter()
        .chain(&overview.operator_conditions)
        .filter(|c| c.is("Degraded"))
    {
        let reason = condition.reason.clone().unwrap_or_default();
        if seen.contains(&reason) {
            continue;
        }
        doctor
            .problems
            .push(degraded(condition, !overview.pods.is_empty()));
        seen.push(reason);
    }
    doctor.problems.sort_by_key(|p| match p.severity {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    });
    doctor
}

/// The words of a fix of the shared rules.
fn fix(fix: Fix) -> Phrase {
    match fix {
        Fix::ChooseStorage => said::overview::fix_choose_storage(),
        Fix::EnterCredentials => said::overview::fix_enter_credentials(),
        Fix::AdjustReplicas => said::overview::fix_adjust_replicas(),
        Fix::CorrectStorage => said::overview::fix_correct_storage(),
        Fix::CorrectSetting => said::overview::fix_correct_setting(),
    }
}

/// What the rules could not check because the user may not read it.
fn not_judged(config: &Config, snapshot: &Snapshot) -> Vec<Phrase> {
    if config.spec.management_state != Some(ManagementState::Managed) {
        return Vec::new();
    }
    let mut notes = Vec::new();
    let kinds = config
        .spec
        .storage
        .as_ref()
        .map(|s| s.kinds())
        .unwrap_or_default();
    if let (Part::Forbidden(_), [kind]) = (&snapshot.credentials, kinds.as_slice())
        && !credential_keys(*kind).is_empty()
    {
        notes.push(said::overview::credentials_not_checked(
            kind.label(),
            CREDENTIALS_SECRET,
            REGISTRY_NAMESPACE,
        ));
    }
    if let (Part::Forbidden(_), Some(name)) = (&snapshot.claims, claim_name(config)) {
        notes.push(said::overview::claim_not_checked(name, REGISTRY_NAMESPACE));
    }
    notes
}

/// Degraded reasons the operator reports, what each means and the way out. Reasons of the
/// ClusterOperator may carry a prefix, so a reason is matched by the known one it contains.
type Words = fn() -> Phrase;
const REASONS: [(&str, Words, Words); 7] = [
    (
        "StorageNotConfigured",
        said::overview::reason_storage_not_configured,
        said::overview::reason_storage_not_configured_fix,
    ),
    (
        "VerificationFailed",
        said::overview::reason_verification_failed,
        said::overview::reason_verification_failed_fix,
    ),
    (
        "Unavailable",
        said::overview::reason_unavailable,
        said::overview::reason_unavailable_fix,
    ),
    (
        "ProgressDeadlineExceeded",
        said::overview::reason_progress_deadline,
        said::overview::reason_progress_deadline_fix,
    ),
    (
        "RouteDegraded",
        said::overview::reason_route_degraded,
        said::overview::reason_route_degraded_fix,
    ),
    (
        "RemoveFailed",
        said::overview::reason_remove_failed,
        said::overview::reason_remove_failed_fix,
    ),
    (
        "ImagePrunerJobFailed",
        said::overview::reason_pruner_job_failed,
        said::overview::reason_pruner_job_failed_fix,
    ),
];

/// The reasons whose fix sends the reader to the registry's pods.
const ABOUT_PODS: [&str; 2] = ["Unavailable", "ProgressDeadlineExceeded"];

/// A Degraded condition as a problem with its fix. `pods`: whether the registry has any pod
/// to look at; without one, a fix that points at the pods points at the operator instead.
fn degraded(condition: &ConditionView, pods: bool) -> Diagnosis {
    let reason = condition.reason.as_deref().unwrap_or("");
    let message = condition.message.as_deref().unwrap_or("");
    let known = REASONS.iter().find(|(known, _, _)| reason.contains(known));
    let (meaning, fix, link) = if mentions_credentials(message) {
        (
            said::overview::reason_credentials(),
            said::overview::reason_credentials_fix(CREDENTIALS_SECRET, REGISTRY_NAMESPACE),
            configuration_page(),
        )
    } else {
        match known {
            Some((name, meaning, _)) if !pods && ABOUT_PODS.contains(name) => (
                meaning(),
                said::overview::reason_no_pods_fix(REGISTRY_NAMESPACE),
                configuration_page(),
            ),
            Some((name, meaning, fix)) => (
                meaning(),
                fix(),
                (*name != "ImagePrunerJobFailed")
                    .then(configuration_page)
                    .flatten(),
            ),
            None => (
                said::overview::reason_unknown(),
                said::overview::reason_unknown_fix(),
                configuration_page(),
            ),
        }
    };
    Diagnosis {
        severity: Severity::Error,
        source: if reason.is_empty() {
            "Degraded".into()
        } else {
            format!("Degraded: {reason}")
        },
        // The operator's own words as it wrote them, after the console's explanation.
        problem: if message.is_empty() {
            meaning
        } else {
            said::overview::operator_says(meaning, message)
        },
        fix,
        link,
    }
}

/// Whether an operator message is about missing storage credentials (the real operator's
/// "unable to get cluster minted credentials", a secret without the required keys).
fn mentions_credentials(message: &str) -> bool {
    message.contains(CREDENTIALS_SECRET) || message.contains("credentials")
}

#[cfg(test)]
#[path = "doctor_tests.rs"]
mod on_the_demo_cluster;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::fixtures::*;
    use registry_model::registry_config::{RolloutStrategy, S3Storage, Storage, StorageKind};
    use std::collections::BTreeSet;

    fn condition(reason: &str, message: &str) -> ConditionView {
        ConditionView {
            type_: "Degraded".into(),
            status: registry_model::condition::ConditionStatus::True,
            reason: Some(reason.into()),
            message: Some(message.into()),
            since: None,
        }
    }

    #[test]
    fn each_known_degraded_reason_has_its_own_fix_and_unknown_ones_a_generic_fix() {
        let mut fixes = BTreeSet::new();
        for (reason, _, _) in REASONS {
            let d = degraded_among_pods(&condition(reason, "something happened"));
            assert_eq!(d.source, format!("Degraded: {reason}"));
            assert_eq!(d.severity, Severity::Error);
            assert!(
                d.problem.english().ends_with("“something happened”"),
                "{}",
                d.problem
            );
            fixes.insert(d.fix.english());
        }
        assert_eq!(fixes.len(), REASONS.len(), "every reason has its own fix");
        assert!(
            degraded_among_pods(&condition("StorageNotConfigured", ""))
                .fix
                .english()
                .contains("PersistentVolumeClaim")
        );
        assert!(
            degraded_among_pods(&condition("ProgressDeadlineExceeded", ""))
                .fix
                .english()
                .contains("pods")
        );
        let unknown = degraded_among_pods(&condition("SomethingNew", "the disk is on fire"));
        assert!(unknown.fix.english().contains("operator's message"));
        assert!(unknown.problem.english().contains("the disk is on fire"));
        assert_eq!(unknown.link.unwrap().href, "/config");
        // The ClusterOperator may prefix reasons; the known one inside still counts.
        assert_eq!(
            degraded_among_pods(&condition("ImagePrunerJobFailed", "job failed")).link,
            None,
            "no console page fixes the pruner yet"
        );
    }

    /// A Degraded condition on a registry that has pods to look at.
    fn degraded_among_pods(condition: &ConditionView) -> Diagnosis {
        degraded(condition, true)
    }

    #[test]
    fn a_fix_points_at_the_pods_only_when_there_are_pods() {
        let stuck = condition("ProgressDeadlineExceeded", "deployment timed out");
        assert!(
            degraded(&stuck, true)
                .fix
                .english()
                .contains("registry pods below")
        );
        let none = degraded(&stuck, false).fix.english();
        assert!(!none.contains("pods below"), "{none}");
        assert!(
            none.contains("oc get events -n openshift-image-registry"),
            "{none}"
        );
    }

    #[test]
    fn the_demo_operators_missing_credentials_message_gets_the_credentials_fix() {
        let d = degraded_among_pods(&condition(
            "Unavailable",
            "unable to get cluster minted credentials for \"s3\": secret \
             \"image-registry-private-configuration-user\" not found in openshift-image-registry",
        ));
        assert!(
            d.fix.english().contains("Enter the provider's credentials"),
            "{}",
            d.fix
        );
        let d = degraded_among_pods(&condition(
            "Unavailable",
            "secret \"image-registry-private-configuration-user\" does not contain required \
             key(s) REGISTRY_STORAGE_S3_SECRETKEY",
        ));
        assert!(d.fix.english().contains("credentials"));
    }

    fn s3() -> Storage {
        Storage {
            s3: Some(S3Storage {
                bucket: Some("registry".into()),
                region: Some("us-east-1".into()),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    #[test]
    fn observed_reads_the_named_claim_and_the_credential_keys() {
        let config = removed_config().managed().on(pvc_storage("block"));
        let snapshot = Snapshot {
            claims: Part::Found(vec![
                claim("other", &["ReadWriteMany"], "1Gi"),
                claim("block", &["ReadWriteOnce"], "100Gi"),
            ]),
            credentials: Part::Found(["REGISTRY_STORAGE_S3_ACCESSKEY".to_owned()].into()),
            ..fresh_install()
        };
        let observed = observe(&config, &snapshot);
        assert_eq!(
            observed.claim.unwrap().access_modes,
            ["ReadWriteOnce"],
            "the claim the config names, not another"
        );
        assert!(observed.claim_readable && observed.secret_readable);
        assert!(
            observed
                .secret_keys
                .contains("REGISTRY_STORAGE_S3_ACCESSKEY")
        );

        let missing = observe(
            &config,
            &Snapshot {
                claims: Part::Found(vec![]),
                credentials: Part::Missing,
                ..fresh_install()
            },
        );
        assert!(missing.claim.is_none() && missing.claim_readable);
        assert!(missing.secret_keys.is_empty() && missing.secret_readable);

        let forbidden = observe(
            &config,
            &Snapshot {
                claims: Part::Forbidden("no".into()),
                credentials: Part::Forbidden("no".into()),
                ..fresh_install()
            },
        );
        assert!(!forbidden.claim_readable && !forbidden.secret_readable);
    }

    fn examined(config: Config, snapshot: Snapshot) -> Doctor {
        let snapshot = Snapshot {
            config: Part::Found(config),
            ..snapshot
        };
        let overview = super::super::assemble::assemble(&snapshot, chrono::Utc::now());
        overview.doctor
    }

    #[test]
    fn missing_credentials_are_a_problem_only_for_users_who_may_read_the_secret() {
        let config = removed_config().managed().on(s3());
        // A user secret without the keys (it replaces the cluster's credentials as a whole).
        let admin = examined(
            config.clone(),
            Snapshot {
                credentials: Part::Found(Default::default()),
                ..fresh_install()
            },
        );
        let problem = admin
            .problems
            .iter()
            .find(|p| p.source == "credentials")
            .expect("missing credentials are found");
        assert!(
            problem
                .problem
                .english()
                .contains("REGISTRY_STORAGE_S3_ACCESSKEY")
        );
        assert!(problem.fix.english().contains("credentials"));
        assert_eq!(problem.link.as_ref().unwrap().href, "/config#credentials");
        assert!(admin.not_judged.is_empty());

        let viewer = examined(
            config,
            Snapshot {
                credentials: Part::Forbidden("secrets is forbidden".into()),
                ..fresh_install()
            },
        );
        assert!(!viewer.problems.iter().any(|p| p.source == "credentials"));
        assert_eq!(viewer.not_judged.len(), 1);
        assert!(
            viewer.not_judged[0]
                .english()
                .contains(StorageKind::S3.label())
        );
    }

    #[test]
    fn a_read_write_once_claim_with_rolling_update_and_two_replicas_is_found_with_fixes() {
        let mut config = removed_config()
            .managed()
            .on(pvc_storage("block"))
            .replicas(2);
        config.spec.rollout_strategy = Some(RolloutStrategy::RollingUpdate);
        let snapshot = Snapshot {
            claims: Part::Found(vec![claim("block", &["ReadWriteOnce"], "100Gi")]),
            ..fresh_install()
        };
        let doctor = examined(config.clone(), snapshot.clone());
        let sources: Vec<_> = doctor.problems.iter().map(|p| p.source.as_str()).collect();
        assert_eq!(sources, ["spec.replicas", "spec.rolloutStrategy"]);
        assert!(doctor.problems.iter().all(|p| !p.fix.english().is_empty()));

        config.spec.rollout_strategy = Some(RolloutStrategy::Recreate);
        config.spec.replicas = 1;
        assert!(examined(config, snapshot).problems.is_empty());
    }

    #[test]
    fn a_claim_too_small_or_missing_is_found_unless_claims_are_unreadable() {
        let config = removed_config().managed().on(pvc_storage("block"));
        let small = examined(
            config.clone(),
            Snapshot {
                claims: Part::Found(vec![claim("block", &["ReadWriteMany"], "10Gi")]),
                ..fresh_install()
            },
        );
        assert_eq!(small.problems[0].severity, Severity::Warning);
        assert!(
            small.problems[0]
                .problem
                .english()
                .contains("smaller than the 100Gi")
        );
        let missing = examined(config.clone(), fresh_install());
        assert!(
            missing.problems[0]
                .problem
                .english()
                .contains("does not exist")
        );
        let unreadable = examined(
            config,
            Snapshot {
                claims: Part::Forbidden("no".into()),
                ..fresh_install()
            },
        );
        assert!(unreadable.problems.is_empty());
        assert!(
            unreadable.not_judged[0]
                .english()
                .contains("Claim `block` was not checked")
        );
    }

    #[test]
    fn degraded_reasons_are_listed_once_and_storage_not_configured_not_twice() {
        let snapshot = Snapshot {
            operator: Part::Found(operator(&[
                ("Available", "False", "StorageNotConfigured"),
                ("Degraded", "True", "StorageNotConfigured"),
            ])),
            ..fresh_install()
        };
        let doctor = examined(removed_config().managed().on(Storage::default()), snapshot);
        let sources: Vec<_> = doctor.problems.iter().map(|p| p.source.as_str()).collect();
        assert_eq!(sources, ["spec.storage"]);
    }
}
