//! Plain-language guidance for the registry states an administrator meets, most of them
//! from the OpenShift 4.4 guide: what the state means and the way out.

use crate::overview::view::{Guidance, GuideStep, Link, Overview, Severity, StepState};
use registry_model::registry_config::ManagementState;

/// Where the first-run steps are taken: the configuration page, set up for a first run.
const FIRST_RUN: &str = "/config?first-run=1";

/// Guidance for `overview`, errors first. `config_missing` says the config object
/// does not exist at all (as opposed to being unreadable). Problems in the configuration
/// are the doctor's (`super::doctor`), not repeated here.
pub fn advise(overview: &Overview, config_missing: bool) -> Vec<Guidance> {
    let mut advice = Vec::new();
    if config_missing {
        advice.push(plain(
            Severity::Error,
            "The registry configuration is missing",
            "configs.imageregistry.operator.openshift.io/cluster does not exist. The image \
             registry operator recreates it with platform defaults on its next sync; if it \
             does not come back, check that the operator is running.",
        ));
    }
    advice.extend(first_run(overview));
    match overview.management_state {
        Some(ManagementState::Unmanaged) => advice.push(plain(
            Severity::Info,
            "The operator is not managing the registry",
            "With Unmanaged the operator leaves the registry as it is and ignores changes to \
             its configuration. Set Managed to have them applied again.",
        )),
        None if !config_missing && overview.resource_version.is_some() => advice.push(plain(
            Severity::Warning,
            "The management state is not set",
            "The operator acts only on Managed, Unmanaged or Removed; with no state it does \
             nothing.",
        )),
        _ => {}
    }
    let degraded = overview
        .operator_conditions
        .iter()
        .chain(&overview.config_conditions)
        .any(|c| c.is("Degraded"));
    if overview.management_state == Some(ManagementState::Managed)
        && !degraded
        && !overview.storage.kinds.is_empty()
        && let (Some(desired), Some(ready)) = (overview.replicas.desired, overview.replicas.ready)
        && ready > 0
        && ready < desired
    {
        advice.push(plain(
            Severity::Info,
            "The registry is starting",
            &format!(
                "{ready} of {desired} replicas are ready; the operator is rolling out the registry."
            ),
        ));
    }
    advice.sort_by_key(|g| match g.severity {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    });
    advice
}

fn plain(severity: Severity, title: &str, body: &str) -> Guidance {
    Guidance {
        severity,
        title: title.into(),
        body: body.into(),
        link: None,
        steps: Vec::new(),
        progress_only: false,
    }
}

/// The bare-metal and vSphere first run as steps: choose storage, set Managed, wait for
/// the pods. Shown while a step is left (Removed, Managed without storage, no pod ready
/// yet); once the registry runs it is sent as finished, for the page that watched it.
fn first_run(overview: &Overview) -> Option<Guidance> {
    let state = overview.management_state;
    if !matches!(
        state,
        Some(ManagementState::Removed | ManagementState::Managed)
    ) {
        return None;
    }
    let kinds = &overview.storage.kinds;
    let has_storage = !kinds.is_empty();
    let managed = state == Some(ManagementState::Managed);
    let desired = overview.replicas.desired.unwrap_or(0);
    let ready = overview.replicas.ready.unwrap_or(0);
    let running = managed && has_storage && ready >= desired;
    let waiting_for_first_pod = managed && has_storage && ready == 0 && desired > 0;
    let step = |done: bool, current: bool| match (done, current) {
        (true, _) => StepState::Done,
        (false, true) => StepState::Current,
        (false, false) => StepState::ToDo,
    };
    let link = |done: bool, label: &str| {
        (!done).then(|| Link {
            href: FIRST_RUN.into(),
            label: label.into(),
        })
    };

    let storage_step = GuideStep {
        title: "Choose storage".into(),
        detail: if has_storage {
            match &overview.storage.location {
                Some(location) => format!("{}: {location}.", kinds.join(", ")),
                None => format!("{}.", kinds.join(", ")),
            }
        } else {
            "On bare metal, a PersistentVolumeClaim: leave the claim empty and the operator \
             creates image-registry-storage (100Gi, ReadWriteMany, from the default storage \
             class). Block storage (a ReadWriteOnce claim) works with 1 replica and the \
             Recreate rollout strategy. emptyDir only for clusters that are not in \
             production: it loses every image when the pod goes."
                .into()
        },
        state: step(has_storage, true),
        link: link(has_storage, "Configure storage"),
    };
    let managed_step = GuideStep {
        title: "Set the management state to Managed".into(),
        detail: if managed {
            "Managed: the operator deploys and reconciles the registry.".into()
        } else {
            "The operator then creates the registry's deployment and service and, for an \
             empty claim, the claim."
                .into()
        },
        state: step(managed, has_storage),
        link: link(managed, "Set Managed"),
    };
    let pods_step = GuideStep {
        title: "Wait for the registry pods to become ready".into(),
        detail: if running {
            format!("{ready} of {desired} ready: the registry is running.")
        } else if managed && has_storage {
            format!(
                "{ready} of {desired} ready. The pods below show their progress; if it stalls, \
                 the doctor's problems say why."
            )
        } else {
            "The pods appear below once the operator deploys them.".into()
        },
        state: step(running, managed && has_storage),
        link: None,
    };

    let (severity, title, body) = match (managed, has_storage) {
        (false, false) => (
            Severity::Warning,
            "The registry is not running: it was removed at install".to_owned(),
            "This is how OpenShift installs the registry on bare metal and vSphere: those \
             platforms have no shared storage the installer could give it, so the image \
             registry operator sets it to Removed. Until it runs, builds cannot push images \
             and nothing can be pulled from the internal registry. Give it storage, then set \
             it to Managed."
                .to_owned(),
        ),
        (false, true) => (
            Severity::Warning,
            "The registry is not running: management state is Removed".to_owned(),
            format!(
                "Storage is configured ({}). Set the management state to Managed to start the \
                 registry.",
                kinds.join(", ")
            ),
        ),
        (true, false) => (
            Severity::Error,
            "The registry is Managed but has no storage".to_owned(),
            "On bare metal and vSphere there is no default storage, so the operator reports \
             StorageNotConfigured and runs no registry. Configure storage and the operator \
             starts it."
                .to_owned(),
        ),
        (true, true) if !running => (
            Severity::Info,
            if ready == 0 {
                "The registry is starting: no pod is ready yet".to_owned()
            } else {
                format!("The registry is starting: {ready} of {desired} pods ready")
            },
            "Storage is set and the registry is Managed; the operator is deploying it.".to_owned(),
        ),
        (true, true) => (
            Severity::Info,
            "The registry is running".to_owned(),
            "Every step is done: the registry's pods are ready. Anything still to fix is \
             listed by the configuration doctor below."
                .to_owned(),
        ),
    };
    Some(Guidance {
        severity,
        title,
        body,
        link: None,
        steps: vec![storage_step, managed_step, pods_step],
        progress_only: !(waiting_for_first_pod || !managed || !has_storage),
    })
}
