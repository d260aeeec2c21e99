//! Plain-language guidance for the registry states an administrator meets, most of them
//! from the OpenShift 4.4 guide: what the state means and the way out.

use app::models::{ConditionView, Guidance, Link, Overview, Severity};

const EMPTY_DIR: &str = "emptyDir (ephemeral)";

fn configure_storage() -> Option<Link> {
    Some(Link {
        href: "/config".into(),
        label: "Configure storage".into(),
    })
}

/// Guidance for `overview`, errors first. `config_missing` says the config object
/// does not exist at all (as opposed to being unreadable).
pub fn advise(overview: &Overview, config_missing: bool) -> Vec<Guidance> {
    let mut advice = Vec::new();
    if config_missing {
        advice.push(Guidance {
            severity: Severity::Error,
            title: "The registry configuration is missing".into(),
            body: "configs.imageregistry.operator.openshift.io/cluster does not exist. The image \
                   registry operator recreates it with platform defaults on its next sync; if it \
                   does not come back, check that the operator is running."
                .into(),
            link: None,
        });
    }
    let storage = &overview.storage.kinds;
    match overview.management_state.as_deref() {
        Some("Removed") if storage.is_empty() => advice.push(Guidance {
            severity: Severity::Warning,
            title: "The registry is not running: it was removed at install".into(),
            body: "This is how OpenShift installs the registry on bare metal and vSphere: those \
                   platforms have no shared storage the installer could give it, so the image \
                   registry operator sets it to Removed. Until it runs, builds cannot push \
                   images and nothing can be pulled from the internal registry. To fix it, give \
                   the registry storage (a PersistentVolumeClaim with ReadWriteMany access, or \
                   object storage such as S3), then set the management state to Managed."
                .into(),
            link: configure_storage(),
        }),
        Some("Removed") => advice.push(Guidance {
            severity: Severity::Warning,
            title: "The registry is not running: management state is Removed".into(),
            body: format!(
                "Storage is configured ({}). Set the management state to Managed to start the \
                 registry.",
                storage.join(", ")
            ),
            link: None,
        }),
        Some("Managed") if storage.is_empty() => advice.push(Guidance {
            severity: Severity::Error,
            title: "The registry is Managed but has no storage".into(),
            body: "On bare metal and vSphere there is no default storage, so the operator reports \
                   StorageNotConfigured and runs no registry. Configure storage and the operator \
                   starts it."
                .into(),
            link: configure_storage(),
        }),
        Some("Unmanaged") => advice.push(Guidance {
            severity: Severity::Info,
            title: "The operator is not managing the registry".into(),
            body: "With Unmanaged the operator leaves the registry as it is and ignores changes \
                   to its configuration. Set Managed to have them applied again."
                .into(),
            link: None,
        }),
        None if !config_missing && overview.resource_version.is_some() => advice.push(Guidance {
            severity: Severity::Warning,
            title: "The management state is not set".into(),
            body: "The operator acts only on Managed, Unmanaged or Removed; with no state it \
                       does nothing."
                .into(),
            link: None,
        }),
        _ => {}
    }
    if storage.len() > 1 {
        advice.push(Guidance {
            severity: Severity::Error,
            title: "More than one storage type is configured".into(),
            body: format!(
                "The operator wants exactly one storage type and applies nothing while several \
                 are set ({}). Keep one and remove the others.",
                storage.join(", ")
            ),
            link: configure_storage(),
        });
    }
    if storage.iter().any(|kind| kind == EMPTY_DIR) {
        let replicas = overview.replicas.desired.unwrap_or(1);
        if replicas > 1 {
            advice.push(Guidance {
                severity: Severity::Error,
                title: format!("emptyDir storage with {replicas} replicas"),
                body: "Each registry pod keeps its own images in its own emptyDir, so a push to \
                       one pod is missing from the others. Use 1 replica, or shared storage."
                    .into(),
                link: configure_storage(),
            });
        }
        advice.push(Guidance {
            severity: Severity::Warning,
            title: "emptyDir storage loses every image when the registry pod restarts".into(),
            body: "Use it only on clusters that are not in production.".into(),
            link: configure_storage(),
        });
    }
    // Reasons already explained above are not repeated as a Degraded item.
    let mut seen = Vec::new();
    if overview.management_state.as_deref() == Some("Managed") && storage.is_empty() {
        seen.push("StorageNotConfigured".to_owned());
    }
    let mut degraded_reported = false;
    for condition in overview
        .operator_conditions
        .iter()
        .chain(&overview.config_conditions)
        .filter(|c| c.type_ == "Degraded" && c.status == "True")
    {
        let reason = condition.reason.clone().unwrap_or_default();
        if seen.contains(&reason) {
            continue;
        }
        advice.push(degraded(condition));
        seen.push(reason);
        degraded_reported = true;
    }
    if overview.management_state.as_deref() == Some("Managed")
        && !degraded_reported
        && let (Some(desired), ready) = (
            overview.replicas.desired,
            overview.replicas.ready.unwrap_or(0),
        )
        && ready < desired
        && !storage.is_empty()
    {
        advice.push(Guidance {
            severity: Severity::Info,
            title: "The registry is starting".into(),
            body: format!(
                "{ready} of {desired} replicas are ready; the operator is rolling out the registry."
            ),
            link: None,
        });
    }
    advice.sort_by_key(|g| match g.severity {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    });
    advice
}

/// What a Degraded reason means and what to look at.
fn degraded(condition: &ConditionView) -> Guidance {
    let reason = condition.reason.as_deref().unwrap_or("");
    let (meaning, link) = match reason {
        "StorageNotConfigured" => (
            "No storage is configured and this platform has none by default.",
            configure_storage(),
        ),
        "VerificationFailed" => (
            "The configuration failed the operator's checks, for example negative replicas or a \
             route name that is repeated or reserved.",
            None,
        ),
        "Unavailable" => (
            "The registry has been unavailable for more than five minutes.",
            None,
        ),
        "ProgressDeadlineExceeded" => (
            "The registry deployment did not finish rolling out in time; the pods below show why.",
            None,
        ),
        "RouteDegraded" => (
            "A route to the registry was not admitted by the router.",
            None,
        ),
        "RemoveFailed" => ("The operator could not remove the registry.", None),
        "ImagePrunerJobFailed" => ("The last image pruner job failed.", None),
        _ => (
            "The operator cannot bring the registry to the configured state.",
            None,
        ),
    };
    let said = condition
        .message
        .as_deref()
        .map(|m| format!(" The operator says: “{m}”"))
        .unwrap_or_default();
    Guidance {
        severity: Severity::Error,
        title: if reason.is_empty() {
            "The operator reports Degraded".into()
        } else {
            format!("The operator reports Degraded: {reason}")
        },
        body: format!("{meaning}{said}"),
        link,
    }
}
