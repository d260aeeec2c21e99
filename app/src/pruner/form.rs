//! The image pruner's page body: the settings form (schedule, suspend, retention, history
//! limits, log level) with the shared rules running as the user types, the review (diff and
//! `oc patch`) and apply; what the registry's state means for the pruner; the pruner's
//! conditions, its CronJob and its last runs, and "Prune now".

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use registry_model::edit::pruner::{PrunerEdits, PrunerView};
use registry_model::registry_config::LogLevel;
use registry_model::validation::pruner::validate_pruner;
use registry_model::validation::{Finding, Message};
use serde::{Deserialize, Serialize};

use super::{ApplyPruner, GetPrunerStatus, PreviewPruner, PruneNow, PrunerRunLog};
use crate::components::{ConditionsTable, error_outcome, rich};
use crate::edit::flow::EditFlow;
use crate::edit::inputs::{log_level_select, on_text};
use crate::edit::merge::{Carried, Handover, changed_fields, merge_panel};
use crate::edit::outcome::{Outcome, OutcomeNotice};
use crate::i18n::tr;
use crate::pruner::view::{
    JobState, OBJECT, PruneNowPlan, PrunerChange, PrunerData, PrunerRun, PrunerStatus, RunLog,
    ShownPruner, prune_now_plan,
};
use crate::time::age;

/// What the form holds, as typed. Serialized only in the browser, to merge it with a change
/// made meanwhile (`crate::edit::merge`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PrunerValues {
    pub schedule: String,
    pub suspend: bool,
    pub keep_tag_revisions: String,
    pub keep_younger_than: String,
    pub ignore_invalid_refs: bool,
    pub successful_limit: String,
    pub failed_limit: String,
    pub log_level: LogLevel,
}

/// The field a place in [`PrunerValues`] edits (`spec.keepTagRevisions`).
pub fn field_name(path: &[String]) -> String {
    match path.first().map(String::as_str).unwrap_or_default() {
        "schedule" => "spec.schedule",
        "suspend" => "spec.suspend",
        "keep_tag_revisions" => "spec.keepTagRevisions",
        "keep_younger_than" => "spec.keepYoungerThanDuration",
        "ignore_invalid_refs" => "spec.ignoreInvalidImageReferences",
        "successful_limit" => "spec.successfulJobsHistoryLimit",
        "failed_limit" => "spec.failedJobsHistoryLimit",
        "log_level" => "spec.logLevel",
        other => other,
    }
    .to_owned()
}

/// `Some(value)` only when it differs from what was shown, so nothing unchanged is sent.
fn changed<T: PartialEq>(value: T, shown: T) -> Option<T> {
    (value != shown).then_some(value)
}

/// The numbers on the form: field path, label, and the typed text.
fn numbers(values: &PrunerValues) -> [(&'static str, &str); 3] {
    [
        ("spec.keepTagRevisions", values.keep_tag_revisions.as_str()),
        (
            "spec.successfulJobsHistoryLimit",
            values.successful_limit.as_str(),
        ),
        ("spec.failedJobsHistoryLimit", values.failed_limit.as_str()),
    ]
}

impl PrunerValues {
    /// The form as the shown pruner fills it: unset flags are off, an unset log level is
    /// Normal, unset numbers and durations are empty (the operator's defaults apply).
    pub fn from_shown(spec: &PrunerView) -> Self {
        let number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
        PrunerValues {
            schedule: spec.schedule.clone().unwrap_or_default(),
            suspend: spec.suspend.unwrap_or(false),
            keep_tag_revisions: number(spec.keep_tag_revisions),
            keep_younger_than: spec.keep_younger_than_duration.clone().unwrap_or_default(),
            ignore_invalid_refs: spec.ignore_invalid_image_references.unwrap_or(false),
            successful_limit: number(spec.successful_jobs_history_limit.map(i64::from)),
            failed_limit: number(spec.failed_jobs_history_limit.map(i64::from)),
            log_level: spec
                .log_level
                .filter(|l| *l != LogLevel::Unset)
                .unwrap_or(LogLevel::Normal),
        }
    }

    /// The edits these values make to the shown pruner. A number emptied or not a number
    /// is not sent (the findings name the latter).
    pub fn edits(&self, shown: &PrunerView) -> PrunerEdits {
        let before = PrunerValues::from_shown(shown);
        let number = |now: &str, then: &str| {
            changed(now.trim(), then.trim()).and_then(|t| t.parse::<i64>().ok())
        };
        let limit = |now: &str, then: &str| number(now, then).and_then(|n| i32::try_from(n).ok());
        PrunerEdits {
            schedule: changed(self.schedule.trim(), before.schedule.trim()).map(str::to_owned),
            suspend: changed(self.suspend, before.suspend),
            keep_tag_revisions: number(&self.keep_tag_revisions, &before.keep_tag_revisions),
            keep_younger_than_duration: changed(
                self.keep_younger_than.trim(),
                before.keep_younger_than.trim(),
            )
            .map(str::to_owned),
            ignore_invalid_image_references: changed(
                self.ignore_invalid_refs,
                before.ignore_invalid_refs,
            ),
            successful_jobs_history_limit: limit(&self.successful_limit, &before.successful_limit),
            failed_jobs_history_limit: limit(&self.failed_limit, &before.failed_limit),
            log_level: changed(self.log_level, before.log_level),
        }
    }

    /// The shared rules over the spec these values make, and numbers that do not parse.
    pub fn findings(&self, shown: &PrunerView) -> Vec<Finding> {
        let mut out: Vec<Finding> = numbers(self)
            .into_iter()
            .filter(|(_, text)| !text.trim().is_empty() && text.trim().parse::<i32>().is_err())
            .map(|(field, text)| {
                Finding::error(
                    field,
                    Message::NotWholeNumber {
                        text: text.to_owned(),
                    },
                )
            })
            .collect();
        out.extend(validate_pruner(&self.edits(shown).apply_to(shown)));
        out
    }
}

/// What the registry's state means for the pruner (`registry-api.md` §2): without an
/// internal hostname (the registry Removed), it prunes API objects only. The text has
/// `code` marks.
fn registry_link(status: &PrunerStatus) -> (&'static str, String) {
    let state = match status.management_state {
        Some(state) => state.as_str().to_owned(),
        None => tr::pruner::state_unknown(),
    };
    let hostname = status.internal_hostname.clone().unwrap_or_default();
    let prunes = status.cron_job.as_ref().and_then(|cj| cj.prunes_registry());
    match prunes {
        Some(false) => (
            "alert warning registry-link",
            tr::pruner::link_metadata_only(state),
        ),
        Some(true) => (
            "alert info registry-link",
            tr::pruner::link_blobs(state, hostname),
        ),
        None if hostname.is_empty() => (
            "alert info registry-link",
            tr::pruner::link_unknown_empty(state),
        ),
        None => (
            "alert info registry-link",
            tr::pruner::link_unknown(state, hostname),
        ),
    }
}

fn when(at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> String {
    at.map(|at| tr::pruner::ago(age(at, now)))
        .unwrap_or_else(|| "—".into())
}

/// What pruning for real deletes, for good, as the shown pruner and its CronJob say.
fn prune_danger(spec: &PrunerView, status: &PrunerStatus) -> String {
    let revisions = spec.keep_tag_revisions.unwrap_or(3).to_string();
    let younger = spec
        .keep_younger_than_duration
        .clone()
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| "60m".into());
    let blobs = status.cron_job.as_ref().and_then(|cj| cj.prunes_registry());
    match blobs {
        Some(false) => tr::pruner::danger_metadata(revisions, younger),
        _ => tr::pruner::danger_blobs(revisions, younger),
    }
}

/// The end of a run's log: its summary lines first, then the last lines as they are.
fn run_log_view(log: RunLog) -> impl IntoView {
    let summary: Vec<String> = log.summary().into_iter().map(str::to_owned).collect();
    let title = tr::pruner::log_title(log.job.clone());
    let body = match &log.pod {
        None => view! { <p class="muted">{tr::pruner::log_gone()}</p> }.into_any(),
        Some(pod) => view! {
            {(!summary.is_empty()).then(|| view! {
                <ul class="log-summary">
                    {summary.into_iter().map(|line| view! { <li><code>{line}</code></li> }).collect_view()}
                </ul>
            })}
            <p class="muted">{rich(tr::pruner::log_tail(pod.clone()))}</p>
            <pre class="log">{log.lines.join("\n")}</pre>
        }
        .into_any(),
    };
    view! {
        <section class="run-log" data-job=log.job.clone()>
            <h3>{rich(title)}</h3>
            {body}
        </section>
    }
}

fn runs_table(
    runs: Vec<PrunerRun>,
    now: DateTime<Utc>,
    show_log: impl Fn(String) + Copy + 'static,
) -> impl IntoView {
    if runs.is_empty() {
        return view! { <p class="muted">{tr::pruner::no_runs()}</p> }.into_any();
    }
    let rows = runs
        .into_iter()
        .map(|run| {
            let (class, state) = match run.state {
                JobState::Running => ("", tr::pruner::run_running()),
                JobState::Succeeded => ("", tr::pruner::run_succeeded()),
                JobState::Failed => ("problem", tr::pruner::run_failed()),
            };
            let started_by = match (run.manual, run.dry_run) {
                (true, true) => tr::pruner::run_manual_dry_run(),
                (true, false) => tr::pruner::run_manual(),
                (false, _) => tr::pruner::run_scheduled(),
            };
            let name = run.name.clone();
            let finished = run.state != JobState::Running;
            let log_of = run.name.clone();
            view! {
                <tr class=class data-job=name>
                    <td><code>{run.name}</code></td>
                    <td>{started_by}</td>
                    <td>{when(run.started, now)}</td>
                    <td>{when(run.finished, now)}</td>
                    <td class="state">{state}</td>
                    <td class="message">{run.message.unwrap_or_default()}</td>
                    <td>{finished.then(|| view! {
                        <button type="button" class="link show-log" on:click=move |_| show_log(log_of.clone())>
                            {tr::pruner::show_log()}
                        </button>
                    })}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="runs">
            <thead><tr>
                <th>{tr::pruner::column_job()}</th>
                <th>{tr::pruner::column_started_by()}</th>
                <th>{tr::pruner::column_started()}</th>
                <th>{tr::pruner::column_finished()}</th>
                <th>{tr::pruner::column_result()}</th>
                <th>{tr::pruner::column_message()}</th>
                <th>{tr::pruner::column_log()}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

/// The pruner page's body for one shown pruner. `on_reload` asks the page to read the
/// pruner again: after an outcome that changed what the cluster holds (or found it
/// changed), or to bring in a change made meanwhile. What the user had typed then goes to
/// `carried`, and the next form merges it onto what the cluster holds.
#[component]
pub fn PrunerForm(
    page: PrunerData,
    carried: StoredValue<Option<Carried<PrunerValues>>>,
    on_reload: Callback<Option<Outcome>>,
    /// The page was read again after an apply: watch the operator render it.
    #[prop(optional)]
    just_applied: bool,
) -> impl IntoView {
    let shown = StoredValue::new(page.shown);
    let saw = StoredValue::new(shown.with_value(|s| PrunerValues::from_shown(&s.spec)));
    let merged = carried
        .get_value()
        .map(|carried| saw.with_value(|now| carried.onto(now)));
    let initial = merged
        .as_ref()
        .map_or_else(|| saw.get_value(), |m| m.values.clone());
    let values = RwSignal::new(initial.clone());
    let status = RwSignal::new(page.status);
    let flow = EditFlow::<PrunerChange, PreviewPruner, ApplyPruner>::new(values);
    let apply = flow.apply;
    let refresh = ServerAction::<GetPrunerStatus>::new();
    let prune = ServerAction::<PruneNow>::new();
    let plan = RwSignal::new(None::<PruneNowPlan>);
    // Until when the page keeps reading the status again (after an action).
    let watch_until = RwSignal::new(None::<DateTime<Utc>>);

    let findings = Memo::new(move |_| values.with(|v| shown.with_value(|s| v.findings(&s.spec))));
    // The fields the user changed since the form was drawn: their errors show as they type.
    let started = StoredValue::new(initial.clone());
    let touched = Memo::new(move |_| {
        values.with(|v| started.with_value(|started| changed_fields(started, v, field_name)))
    });
    let shown_findings = flow.shown(findings, touched);
    let placed = flow.placed(shown_findings);
    let watch_for = move |seconds: i64| {
        watch_until.set(Some(
            crate::time::now() + chrono::Duration::seconds(seconds),
        ));
        refresh.dispatch(GetPrunerStatus {});
    };
    // The form's fields someone else changed while the page was open, as the last status
    // read shows the pruner.
    let meanwhile = Memo::new(move |_| {
        status.with(|s| match &s.pruner {
            Some(now)
                if shown.with_value(|shown| shown.resource_version != now.resource_version) =>
            {
                let now = PrunerValues::from_shown(&now.spec);
                saw.with_value(|saw| changed_fields(saw, &now, field_name))
            }
            _ => Vec::new(),
        })
    });
    Effect::new(move |_| {
        if let Some(Ok(fresh)) = refresh.value().get() {
            status.set(fresh);
        }
    });
    if just_applied {
        Effect::new(move |_| watch_for(6));
    }
    let handover = Handover {
        saw,
        values,
        carried,
        on_reload,
    };
    handover.follow(apply);
    Effect::new(move |_| {
        if let Some(Ok(_)) = prune.value().get() {
            plan.set(None);
            watch_for(15);
        }
    });
    #[cfg(feature = "hydrate")]
    {
        use std::time::Duration;
        // Read again while a run is going, an action's effect may still show up, or the
        // user has edits that a change made meanwhile would clash with.
        let tick = move || {
            let running =
                status.with_untracked(|s| s.runs.iter().any(|r| r.state == JobState::Running));
            let watching = watch_until
                .get_untracked()
                .is_some_and(|until| crate::time::now() < until);
            let edited = values.with_untracked(|v| saw.with_value(|saw| v != saw));
            if (running || watching || edited) && !refresh.pending().get_untracked() {
                refresh.dispatch(GetPrunerStatus {});
            }
        };
        if let Ok(handle) = set_interval_with_handle(tick, Duration::from_secs(2)) {
            on_cleanup(move || handle.clear());
        }
    }

    let review = move |_| {
        flow.review(values.with(|v| {
            shown.with_value(|s: &ShownPruner| PrunerChange {
                shown: s.clone(),
                edits: v.edits(&s.spec),
            })
        }))
    };
    let text = move |update: fn(&mut PrunerValues, String)| on_text(values, update);

    // One labelled input of the spec; `name` is its field under `spec`, where its findings
    // land.
    let input = move |label: String,
                      name: &'static str,
                      number: bool,
                      placeholder: &'static str,
                      get: fn(&PrunerValues) -> String,
                      update: fn(&mut PrunerValues, String)| {
        view! {
            <label>{rich(label)}
                <input name=name type=if number { "number" } else { "text" } min=number.then_some("0")
                    placeholder=(!placeholder.is_empty()).then_some(placeholder)
                    value=values.with_untracked(get) prop:value=move || values.with(get)
                    on:input=text(update)/>
                {placed.near(format!("spec.{name}"))}
            </label>
        }
    };

    let review_panel = move || flow.review_panel("apply-pruner");

    // Refusals and errors stay with the form; other outcomes reload the page, which shows them.
    let outcome = move || {
        apply.value().get().and_then(|result| match result {
            Err(error) => Some(error_outcome(&error).into_any()),
            Ok(outcome) if !outcome.is_news() => {
                Some(view! { <OutcomeNotice outcome object=OBJECT/> }.into_any())
            }
            Ok(_) => None,
        })
    };
    let meanwhile_notice = move || handover.meanwhile_notice(OBJECT, meanwhile.get());

    let editable = page.viewer.can_edit;
    let conditions = Signal::derive(move || status.with(|s| s.conditions.clone()));
    let now = Signal::derive(move || status.with(|s| s.generated_at));
    let cron_job = move || {
        status.with(|s| match &s.cron_job {
            None => view! { <p class="alert warning">{rich(tr::pruner::no_cron_job())}</p> }.into_any(),
            Some(cj) => {
                let command = format!("oc {}", cj.args.join(" "));
                view! {
                    <dl class="cron-job">
                        <dt>{tr::pruner::schedule()}</dt><dd class="schedule"><code>{cj.schedule.clone()}</code></dd>
                        <dt>{tr::pruner::suspended()}</dt><dd>{if cj.suspend { tr::pruner::yes() } else { tr::pruner::no() }}</dd>
                        <dt>{tr::pruner::last_scheduled()}</dt><dd>{when(cj.last_schedule, s.generated_at)}</dd>
                    </dl>
                    <p class="muted">{tr::pruner::each_run()}</p>
                    <pre class="command pruner-args">{command}</pre>
                }
                .into_any()
            }
        })
    };
    let start_plan = move |_| {
        let args = status.with_untracked(|s| s.cron_job.as_ref().map(|cj| cj.args.clone()));
        plan.set(Some(prune_now_plan(crate::time::now(), args.as_deref())));
    };
    let run_now = move |dry_run: bool| {
        if let Some(p) = plan.get() {
            prune.dispatch(PruneNow {
                job_name: p.job_name,
                dry_run,
            });
        }
    };
    let prune_panel = move || {
        plan.get().map(|p| {
            let danger = status.with(|s| shown.with_value(|shown| prune_danger(&shown.spec, s)));
            view! {
                <div class="prune-plan">
                    <p>{tr::pruner::plan_dry_run()}</p>
                    {p.dry_run_command.map(|c| view! { <pre class="command oc-dry-run">{c}</pre> })}
                    <p class="alert warning prune-danger">{rich(danger)}</p>
                    <p>{tr::pruner::plan()}</p>
                    <pre class="command oc-create-job">{p.command}</pre>
                    <div class="button-row">
                        <button type="button" class="primary dry-run" disabled=move || prune.pending().get()
                            on:click=move |_| run_now(true)>{tr::pruner::dry_run_it()}</button>
                        <button type="button" class="danger run-prune" disabled=move || prune.pending().get()
                            on:click=move |_| run_now(false)>{tr::pruner::run_it()}</button>
                        <button type="button" class="link" on:click=move |_| plan.set(None)>{tr::pruner::cancel()}</button>
                    </div>
                </div>
            }
        })
    };
    let prune_result = move || {
        prune.value().get().map(|result| match result {
            Ok(job) => view! { <p class="alert info prune-started" role="status">{rich(tr::pruner::started(job))}</p> }.into_any(),
            Err(error) => error_outcome(&error).into_any(),
        })
    };
    // The log of a finished run: the one started here once it ends, or any the user asks for.
    let log = ServerAction::<PrunerRunLog>::new();
    let show_log = move |job_name: String| {
        log.dispatch(PrunerRunLog { job_name });
    };
    let log_asked_for = StoredValue::new(None::<String>);
    Effect::new(move |_| {
        let Some(Ok(job)) = prune.value().get() else {
            return;
        };
        let finished = status.with(|s| {
            s.runs
                .iter()
                .any(|r| r.name == job && r.state != JobState::Running)
        });
        if finished && log_asked_for.with_value(|asked| asked.as_ref() != Some(&job)) {
            log_asked_for.set_value(Some(job.clone()));
            show_log(job);
        }
    });
    let log_panel = move || {
        log.value().get().map(|result| match result {
            Ok(log) => run_log_view(log).into_any(),
            Err(error) => error_outcome(&error).into_any(),
        })
    };

    view! {
        {move || {
            let (class, text) = status.with(registry_link);
            view! { <p class=class>{rich(text)}</p> }
        }}
        <form class="pruner-form" on:submit=|ev| ev.prevent_default()>
            {(!editable).then(|| view! {
                <p class="alert warning view-only">{rich(crate::edit::view_only_reason(&page.viewer, tr::pruner::view_only_rbac))}</p>
            })}
            <fieldset class="form-body" disabled=!editable>
            {merged.map(|merged| merge_panel(&merged, values, field_name))}
            <section class="card">
                <h2>{tr::pruner::schedule()}</h2>
                {input(tr::pruner::cron_schedule(),
                    "schedule", false, "0 0 * * *", |v| v.schedule.clone(), |v, t| v.schedule = t)}
                <label class="radio"><input type="checkbox" name="suspend" checked=initial.suspend prop:checked=move || values.with(|v| v.suspend)
                    on:change=move |ev| { let on = event_target_checked(&ev); values.update(|v| v.suspend = on) }/>
                    {tr::pruner::suspend()}</label>
            </section>
            <section class="card">
                <h2>{tr::pruner::kept()}</h2>
                {input(tr::pruner::keep_tag_revisions(), "keepTagRevisions", true, "",
                    |v| v.keep_tag_revisions.clone(), |v, t| v.keep_tag_revisions = t)}
                {input(tr::pruner::keep_younger_than(),
                    "keepYoungerThanDuration", false, "60m", |v| v.keep_younger_than.clone(),
                    |v, t| v.keep_younger_than = t)}
                <label class="radio"><input type="checkbox" name="ignoreInvalidImageReferences" checked=initial.ignore_invalid_refs
                    prop:checked=move || values.with(|v| v.ignore_invalid_refs)
                    on:change=move |ev| { let on = event_target_checked(&ev); values.update(|v| v.ignore_invalid_refs = on) }/>
                    {tr::pruner::ignore_invalid_references()}</label>
            </section>
            <section class="card">
                <h2>{tr::pruner::history_and_logging()}</h2>
                {input(tr::pruner::successful_kept(), "successfulJobsHistoryLimit", true, "",
                    |v| v.successful_limit.clone(), |v, t| v.successful_limit = t)}
                {input(tr::pruner::failed_kept(), "failedJobsHistoryLimit", true, "",
                    |v| v.failed_limit.clone(), |v, t| v.failed_limit = t)}
                {log_level_select(tr::edit::log_level(), "logLevel", values, initial.log_level,
                    |v| v.log_level, |v, level| v.log_level = level)}
            </section>
            {flow.review_button("review-pruner", editable, findings, shown_findings, review)}
            </fieldset>
        </form>
        {meanwhile_notice}
        {review_panel}
        {outcome}
        <ConditionsTable title=tr::pruner::conditions_title() conditions now/>
        <section class="card cron-job-card">
            <h2>{rich(tr::pruner::cron_job_title())}</h2>
            {cron_job}
        </section>
        <section class="card runs-card">
            <h2>{tr::pruner::last_runs()}</h2>
            <div class="button-row">
                <button type="button" class="prune-now" disabled=move || !editable on:click=start_plan>{tr::pruner::prune_now()}</button>
                <button type="button" class="link refresh-runs" disabled=move || refresh.pending().get()
                    on:click=move |_| { refresh.dispatch(GetPrunerStatus {}); }>{tr::pruner::refresh()}</button>
            </div>
            {prune_panel}
            {prune_result}
            {log_panel}
            {move || runs_table(status.with(|s| s.runs.clone()), status.with(|s| s.generated_at), show_log)}
            {move || {
                let unreadable = status.with(|s| s.unreadable.clone());
                (!unreadable.is_empty()).then(|| view! {
                    <p class="muted">{tr::pruner::unreadable(unreadable.join("; "))}</p>
                })
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pruner::view::PrunerCronJob;
    use registry_model::validation::blocks;

    fn seeded() -> PrunerView {
        PrunerView {
            schedule: Some(String::new()),
            suspend: Some(false),
            keep_tag_revisions: Some(3),
            successful_jobs_history_limit: Some(3),
            failed_jobs_history_limit: Some(3),
            ignore_invalid_image_references: Some(true),
            log_level: Some(LogLevel::Normal),
            ..PrunerView::default()
        }
    }

    #[test]
    fn an_untouched_form_changes_nothing() {
        let spec = seeded();
        let values = PrunerValues::from_shown(&spec);
        assert_eq!(values.edits(&spec), PrunerEdits::default());
        assert!(values.findings(&spec).is_empty());
        let unset = PrunerView::default();
        assert_eq!(
            PrunerValues::from_shown(&unset).edits(&unset),
            PrunerEdits::default(),
            "unset fields shown as their defaults are not sent"
        );
    }

    #[test]
    fn only_changed_fields_are_sent() {
        let spec = seeded();
        let mut values = PrunerValues::from_shown(&spec);
        values.schedule = "0 3 * * *".into();
        values.keep_tag_revisions = "5".into();
        values.log_level = LogLevel::Debug;
        assert_eq!(
            values.edits(&spec),
            PrunerEdits {
                schedule: Some("0 3 * * *".into()),
                keep_tag_revisions: Some(5),
                log_level: Some(LogLevel::Debug),
                ..PrunerEdits::default()
            }
        );
    }

    #[test]
    fn the_browser_runs_the_shared_rules() {
        let spec = seeded();
        let mut values = PrunerValues::from_shown(&spec);
        values.schedule = "0 0 * *".into();
        values.keep_younger_than = "1d".into();
        values.failed_limit = "lots".into();
        let fields: Vec<String> = values
            .findings(&spec)
            .into_iter()
            .map(|f| f.field)
            .collect();
        assert_eq!(
            fields,
            [
                "spec.failedJobsHistoryLimit",
                "spec.schedule",
                "spec.keepYoungerThanDuration"
            ]
        );
        assert!(blocks(&values.findings(&spec)));
    }

    #[test]
    fn the_page_says_when_only_api_objects_are_pruned() {
        let mut status = PrunerStatus {
            management_state: Some(registry_model::registry_config::ManagementState::Removed),
            internal_hostname: Some(String::new()),
            cron_job: Some(PrunerCronJob {
                schedule: "0 0 * * *".into(),
                suspend: false,
                args: vec!["--prune-registry=false".into()],
                last_schedule: None,
            }),
            ..PrunerStatus::default()
        };
        let (_, text) = registry_link(&status);
        assert!(
            text.contains("Removed") && text.contains("--prune-registry=false"),
            "{text}"
        );
        status.cron_job.as_mut().unwrap().args = vec!["--prune-registry=true".into()];
        status.internal_hostname = Some("image-registry.openshift-image-registry.svc:5000".into());
        let (_, text) = registry_link(&status);
        assert!(
            text.contains("--registry-url=https://image-registry"),
            "{text}"
        );
    }
}
