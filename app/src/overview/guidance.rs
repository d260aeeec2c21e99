//! Plain-language guidance for the registry states an administrator meets, most of them
//! from the OpenShift 4.4 guide: what the state means and the way out.

use crate::i18n::{Phrase, said};
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
            said::overview::config_missing_title(),
            said::overview::config_missing_body(),
        ));
    }
    advice.extend(first_run(overview));
    match overview.management_state {
        Some(ManagementState::Unmanaged) => advice.push(plain(
            Severity::Info,
            said::overview::unmanaged_title(),
            said::overview::unmanaged_body(),
        )),
        None if !config_missing && overview.resource_version.is_some() => advice.push(plain(
            Severity::Warning,
            said::overview::no_state_title(),
            said::overview::no_state_body(),
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
            said::overview::rolling_out_title(),
            said::overview::rolling_out_body(ready, desired),
        ));
    }
    advice.sort_by_key(|g| match g.severity {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    });
    advice
}

fn plain(severity: Severity, title: Phrase, body: Phrase) -> Guidance {
    Guidance {
        severity,
        title,
        body,
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
    let link = |done: bool, label: Phrase| {
        (!done).then(|| Link {
            href: FIRST_RUN.into(),
            label,
        })
    };
    let kind_list = kinds.join(", ");
    // The reason of the operator's (or the config's) Degraded condition, when it is True.
    let degraded = overview
        .operator_conditions
        .iter()
        .chain(&overview.config_conditions)
        .find(|c| c.is("Degraded"))
        .map(|c| c.reason.clone().unwrap_or_default());
    // What the doctor finds about the storage (the same rules as the form): an error
    // leaves the step to do, a warning is said on the ticked step, so the guide, the
    // doctor and the form never disagree.
    let storage_problem = overview
        .doctor
        .problems
        .iter()
        .filter(|p| p.source.starts_with("spec.storage") || p.source == "credentials")
        .min_by_key(|p| p.severity != Severity::Error);
    let storage_detail = if has_storage {
        let chosen = match &overview.storage.location {
            Some(location) => said::overview::step_storage_at(&kind_list, location.clone()),
            None => said::overview::step_storage_done(&kind_list),
        };
        match storage_problem {
            Some(problem) => said::overview::step_storage_problem(chosen, problem.problem.clone()),
            None => chosen,
        }
    } else {
        said::overview::step_storage_how()
    };
    let storage_error = storage_problem.is_some_and(|p| p.severity == Severity::Error);
    let storage_step = GuideStep {
        title: said::overview::step_storage(),
        detail: storage_detail,
        state: match storage_problem {
            Some(_) if storage_error => StepState::Current,
            Some(_) if has_storage => StepState::Warning,
            _ => step(has_storage, true),
        },
        link: match storage_problem {
            Some(problem) if has_storage => problem.link.clone().map(|link| Link {
                label: said::overview::link_fix_storage(),
                ..link
            }),
            _ => link(has_storage, said::overview::link_configure_storage()),
        },
    };
    let managed_step = GuideStep {
        title: said::overview::step_managed(),
        detail: if managed {
            said::overview::step_managed_done()
        } else {
            said::overview::step_managed_how()
        },
        state: step(managed, has_storage),
        link: link(managed, said::overview::link_set_managed()),
    };
    let pods_step = GuideStep {
        title: said::overview::step_pods(),
        detail: if running {
            said::overview::step_pods_done(ready, desired)
        } else if managed && has_storage {
            said::overview::step_pods_progress(ready, desired)
        } else {
            said::overview::step_pods_how()
        },
        state: step(running, managed && has_storage),
        link: None,
    };

    let (severity, title, body) = match (managed, has_storage) {
        (false, false) => (
            Severity::Warning,
            said::overview::removed_at_install_title(),
            said::overview::removed_at_install_body(),
        ),
        (false, true) => (
            Severity::Warning,
            said::overview::removed_with_storage_title(),
            said::overview::removed_with_storage_body(&kind_list),
        ),
        (true, false) => (
            Severity::Error,
            said::overview::managed_without_storage_title(),
            said::overview::managed_without_storage_body(),
        ),
        // The operator says it cannot get there: not "deploying", and the doctor says why.
        (true, true) if !running && degraded.is_some() => (
            Severity::Error,
            said::overview::stuck_title(degraded.clone().unwrap_or_default()),
            said::overview::stuck_body(),
        ),
        (true, true) if !running => (
            Severity::Info,
            if ready == 0 {
                said::overview::starting_no_pod_title()
            } else {
                said::overview::starting_title(ready, desired)
            },
            said::overview::starting_body(),
        ),
        (true, true) => (
            Severity::Info,
            said::overview::running_title(),
            said::overview::running_body(),
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
