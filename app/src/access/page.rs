use crate::changes::RecentChanges;
use crate::changes::view::Subject;
use leptos::prelude::*;
use registry_model::access::{
    PROJECT_FIELD, REGISTRY_ROLES, ROLE_FIELD, SCRAPER_ROLE, SUBJECT_FIELD, SubjectKind,
    check_grant,
};
use registry_model::validation::Finding;

use super::view::{Access, AccessChange, AccessData, AccessEdit, Allowed, Grant};
use super::{ApplyAccessChange, CheckAccess, GetAccess, PreviewAccessChange, get_access};
use crate::components::{data_page, error_alert, error_outcome, rich};
use crate::edit::flow::EditFlow;
use crate::edit::outcome::{Object, Outcome, OutcomeNotice};
use crate::edit::review::ReviewCard;
use crate::i18n::tr;

/// The project shown first.
const FIRST_PROJECT: &str = "default";

/// `/access`: the registry's roles granted in a project and cluster-wide, granting and
/// revoking them, and the metrics readers.
#[component]
pub fn AccessPage() -> impl IntoView {
    data_page(
        OnceResource::new_blocking(get_access(FIRST_PROJECT.to_owned())),
        "page narrow access",
        tr::access::title(),
        tr::access::lede(),
        |data| data.viewer.clone(),
        |data| view! { <AccessView data/> },
    )
}

/// What the form does.
#[derive(Clone, Debug, Default, PartialEq)]
enum Mode {
    #[default]
    Grant,
    Revoke(Grant),
    Scraper,
}

/// What the form holds.
#[derive(Clone, Debug, PartialEq)]
struct AccessValues {
    mode: Mode,
    role: String,
    kind: SubjectKind,
    subject: String,
    scraper_user: String,
}

impl Default for AccessValues {
    fn default() -> Self {
        AccessValues {
            mode: Mode::Grant,
            role: REGISTRY_ROLES[0].to_owned(),
            kind: SubjectKind::User,
            subject: String::new(),
            scraper_user: String::new(),
        }
    }
}

impl AccessValues {
    fn findings(&self, project: &str) -> Vec<Finding> {
        match &self.mode {
            Mode::Grant => check_grant(&self.role, self.kind, &self.subject, project),
            Mode::Scraper => check_grant(
                REGISTRY_ROLES[0],
                SubjectKind::User,
                &self.scraper_user,
                project,
            ),
            Mode::Revoke(_) => Vec::new(),
        }
    }

    fn touched(&self) -> Vec<String> {
        let mut touched = Vec::new();
        if !self.subject.is_empty() || !self.scraper_user.is_empty() {
            touched.push(SUBJECT_FIELD.to_owned());
        }
        touched
    }

    /// The change as it is sent, with the bindings' versions the page showed.
    fn change(&self, access: &Access) -> AccessChange {
        let shown = |binding: &str, grants: &[Grant]| {
            grants
                .iter()
                .find(|g| g.binding == binding)
                .map(|g| g.resource_version.clone())
        };
        let edit = match &self.mode {
            Mode::Grant => AccessEdit::Grant {
                role: self.role.clone(),
                kind: self.kind,
                subject: self.subject.trim().to_owned(),
                binding_version: shown(&self.role, &access.grants),
            },
            Mode::Revoke(grant) => AccessEdit::Revoke {
                grant: grant.clone(),
            },
            Mode::Scraper => AccessEdit::Scraper {
                user: self.scraper_user.trim().to_owned(),
                binding_version: shown(SCRAPER_ROLE, &access.cluster_grants),
            },
        };
        AccessChange {
            project: access.project.clone(),
            edit,
        }
    }
}

fn kind_name(kind: SubjectKind) -> String {
    match kind {
        SubjectKind::User => tr::access::kind_user(),
        SubjectKind::Group => tr::access::kind_group(),
        SubjectKind::ServiceAccount => tr::access::kind_service_account(),
    }
}

fn role_words(role: &str) -> String {
    match role {
        "registry-viewer" => tr::access::role_viewer(),
        "registry-editor" => tr::access::role_editor(),
        _ => tr::access::role_builder(),
    }
}

#[component]
fn AccessView(data: AccessData) -> impl IntoView {
    let viewer = data.viewer;
    let access = RwSignal::new(data.access);
    let project = RwSignal::new(access.with_untracked(|a| a.project.clone()));
    let refresh = ServerAction::<GetAccess>::new();
    Effect::new(move |_| {
        if let Some(Ok(fresh)) = refresh.value().get() {
            access.set(fresh.access);
        }
    });
    let show = move || {
        refresh.dispatch(GetAccess {
            project: project.get_untracked().trim().to_owned(),
        });
    };
    let read_only = viewer.console_read_only;
    let editable = Memo::new(move |_| access.with(|a| a.may_grant) && !read_only);

    let values = RwSignal::new(AccessValues::default());
    let flow = EditFlow::<AccessChange, PreviewAccessChange, ApplyAccessChange>::new(values);
    let findings = Memo::new(move |_| values.with(|v| access.with(|a| v.findings(&a.project))));
    let touched = Memo::new(move |_| values.with(AccessValues::touched));
    let shown_findings = flow.shown(findings, touched);
    let placed = flow.placed(shown_findings);
    let outcome = RwSignal::new(None::<Outcome>);
    let check = ServerAction::<CheckAccess>::new();
    // After a change is in: the outcome where the form was, the list read again, and what the
    // subject may do now, as the cluster says.
    Effect::new(move |_| {
        if let Some(answer) = flow.apply.value().get() {
            if let Ok(result) = &answer {
                if result.is_done() {
                    let (mode, kind, subject) = values
                        .with_untracked(|v| (v.mode.clone(), v.kind, v.subject.trim().to_owned()));
                    let checked = match mode {
                        Mode::Grant => Some((kind, subject)),
                        Mode::Revoke(grant) if REGISTRY_ROLES.contains(&grant.role.as_str()) => {
                            Some((grant.subject.kind, grant.subject.name))
                        }
                        _ => None,
                    };
                    if let Some((kind, subject)) = checked {
                        check.dispatch(CheckAccess {
                            project: access.with_untracked(|a| a.project.clone()),
                            kind,
                            subject,
                        });
                    }
                    values.set(AccessValues::default());
                }
                outcome.set(Some(result.clone()));
            }
            show();
        }
    });
    let choose = move |mode: Mode| {
        outcome.set(None);
        check.value().set(None);
        values.update(|v| v.mode = mode);
    };

    let grant_rows = move |grants: Vec<Grant>| {
        if grants.is_empty() {
            return view! { <p class="muted no-grants">{tr::access::no_grants()}</p> }.into_any();
        }
        view! {
            <ul class="grant-list">
                {grants.into_iter().map(|grant| {
                    let chosen = grant.clone();
                    view! {
                        <li class="grant" data-role=grant.role.clone() data-subject=grant.subject.label()>
                            <span class="grant-role"><code>{grant.role.clone()}</code></span>" "
                            <span class="grant-subject">{kind_name(grant.subject.kind)}" "
                                <strong translate="no">{grant.subject.label()}</strong></span>" "
                            <span class="muted">{tr::access::binding(&grant.binding)}</span>
                            {move || editable.get().then(|| {
                                let chosen = chosen.clone();
                                view! {
                                    <button type="button" class="secondary revoke"
                                        on:click=move |_| choose(Mode::Revoke(chosen.clone()))>
                                        {tr::access::revoke()}
                                    </button>
                                }
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    let grants = Memo::new(move |_| access.with(|a| a.grants.clone()));
    let cluster_grants = Memo::new(move |_| access.with(|a| a.cluster_grants.clone()));
    let projects = Memo::new(move |_| access.with(|a| a.projects.clone()));
    let shown_project = Memo::new(move |_| access.with(|a| a.project.clone()));

    let mode = Memo::new(move |_| values.with(|v| v.mode.clone()));
    let form = move || {
        let review = move |_| flow.review(values.with(|v| access.with(|a| v.change(a))));
        match mode.get() {
            Mode::Revoke(grant) => {
                let subject = grant.subject.label();
                view! {
                    <section class="card access-form" aria-labelledby="access-form-title">
                        <h2 id="access-form-title">{tr::access::revoke_title(&grant.role, &subject)}</h2>
                        <p class="alert danger revoke-danger">{rich(tr::access::revoke_danger(&subject, &grant.role))}</p>
                        {flow.review_button("review-access", editable.get(), findings, shown_findings, review)}
                        <button type="button" class="secondary cancel-access"
                            on:click=move |_| choose(Mode::Grant)>{tr::access::cancel()}</button>
                    </section>
                }
                .into_any()
            }
            _ => view! {
                <section class="card access-form" aria-labelledby="access-form-title">
                    <h2 id="access-form-title">{tr::access::grant_title()}</h2>
                    <label>{tr::access::role()}
                        <select name="role" on:change=move |ev| {
                            let role = event_target_value(&ev);
                            values.update(|v| { v.mode = Mode::Grant; v.role = role; });
                        }>
                            {REGISTRY_ROLES.iter().map(|role| view! {
                                <option value=role.to_string() selected=move || values.with(|v| v.role == *role)>{role_words(role)}</option>
                            }).collect_view()}
                        </select>
                        {placed.near(ROLE_FIELD)}
                    </label>
                    <label>{tr::access::kind()}
                        <select name="kind" on:change=move |ev| {
                            let kind = match event_target_value(&ev).as_str() {
                                "Group" => SubjectKind::Group,
                                "ServiceAccount" => SubjectKind::ServiceAccount,
                                _ => SubjectKind::User,
                            };
                            values.update(|v| { v.mode = Mode::Grant; v.kind = kind; });
                        }>
                            {[SubjectKind::User, SubjectKind::Group, SubjectKind::ServiceAccount].into_iter().map(|kind| view! {
                                <option value=kind.as_str() selected=move || values.with(|v| v.kind == kind)>{kind_name(kind)}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <label>{tr::access::subject()}
                        <input name="subject" autocomplete="off" spellcheck="false"
                            prop:value=move || values.with(|v| v.subject.clone())
                            on:input=move |ev| {
                                let text = event_target_value(&ev);
                                values.update(|v| { v.mode = Mode::Grant; v.subject = text; });
                            }/>
                        <span class="muted">{tr::access::subject_hint()}</span>
                        {move || mode.with(|m| matches!(m, Mode::Grant)).then(|| placed.near(SUBJECT_FIELD))}
                        {placed.near(PROJECT_FIELD)}
                    </label>
                    {move || mode.with(|m| matches!(m, Mode::Grant)).then(|| {
                        flow.review_button("review-access", editable.get(), findings, shown_findings, review)
                    })}
                </section>
            }
            .into_any(),
        }
    };

    let review_panel = move || {
        let revoking = match mode.get() {
            Mode::Revoke(grant) => Some((grant.role, grant.subject.label())),
            _ => None,
        };
        flow.preview.value().get().map(|result| match result {
            Err(error) => error_outcome(&error).into_any(),
            Ok(review) => {
                let on_apply = Callback::new(move |()| flow.apply_reviewed());
                let pending = flow.apply.pending();
                let review: crate::edit::review::Review = review.into();
                match revoking {
                    Some((role, subject)) => view! {
                        <ReviewCard review apply_class="apply-access" pending on_apply
                            apply_label=tr::access::revoke_apply(role, subject) danger=true/>
                    }
                    .into_any(),
                    None => {
                        view! { <ReviewCard review apply_class="apply-access" pending on_apply/> }
                            .into_any()
                    }
                }
            }
        })
    };

    let allowed = move || {
        check.value().get().and_then(Result::ok).map(|Allowed { subject, pull, push }| {
            let word = |b: bool| if b { tr::access::yes() } else { tr::access::no() };
            view! {
                <p class="alert info allowed" role="status">
                    {rich(tr::access::allowed(subject, word(pull), word(push), shown_project.get()))}
                </p>
            }
        })
    };

    let scraper = move || {
        let exists = access.with(|a| a.scraper_role);
        let review = move |_| {
            values.update(|v| v.mode = Mode::Scraper);
            flow.review(values.with(|v| access.with(|a| v.change(a))));
        };
        view! {
            <section class="card scraper" aria-labelledby="scraper-title">
                <h2 id="scraper-title">{tr::access::scraper_title()}</h2>
                <p class="muted">{rich(if exists { tr::access::scraper_present() } else { tr::access::scraper_missing() })}</p>
                {move || editable.get().then(|| view! {
                    <label>{tr::access::scraper_user()}
                        <input name="scraperUser" autocomplete="off" spellcheck="false"
                            prop:value=move || values.with(|v| v.scraper_user.clone())
                            on:input=move |ev| {
                                let text = event_target_value(&ev);
                                values.update(|v| { v.mode = Mode::Scraper; v.scraper_user = text; });
                            }/>
                        {move || mode.with(|m| matches!(m, Mode::Scraper)).then(|| placed.near(SUBJECT_FIELD))}
                    </label>
                    <div class="button-row">
                        <button type="button" class="secondary review-scraper"
                            disabled=move || values.with(|v| v.scraper_user.trim().is_empty())
                            on:click=review>
                            {tr::access::scraper_review()}
                        </button>
                    </div>
                })}
            </section>
        }
    };

    let view_only = move || {
        (!editable.get()).then(|| {
            view! {
                <p class="alert info view-only">
                    {rich(crate::edit::view_only_reason(&viewer, tr::access::view_only_rbac))}
                </p>
            }
        })
    };
    let unreadable = move || {
        access.with(|a| {
            (!a.unreadable.is_empty()).then(|| {
                view! { <p class="alert info unreadable">{tr::access::unreadable(a.unreadable.join("; "))}</p> }
            })
        })
    };

    view! {
        <section class="card project-picker">
            <label>{tr::access::project()}
                <input name="project" list="projects" autocomplete="off" spellcheck="false"
                    prop:value=move || project.get()
                    on:input=move |ev| project.set(event_target_value(&ev))
                    on:keydown=move |ev| if ev.key() == "Enter" { show(); }/>
                <span class="muted">{tr::access::project_hint()}</span>
            </label>
            <datalist id="projects">
                {move || projects.get().into_iter().map(|p| view! { <option value=p.clone()></option> }).collect_view()}
            </datalist>
            <div class="button-row">
                <button type="button" class="secondary show-project" on:click=move |_| show()>{tr::access::show()}</button>
            </div>
        </section>
        {move || refresh.value().get().and_then(Result::err).map(|error| error_alert(&error, ""))}
        {unreadable}
        <section class="card grants" aria-labelledby="grants-title">
            <h2 id="grants-title">{move || rich(tr::access::in_project(shown_project.get()))}</h2>
            {move || grant_rows(grants.get())}
        </section>
        {move || outcome.get().map(|outcome| view! { <OutcomeNotice outcome object=Object::Access/> })}
        {allowed}
        {view_only}
        {move || editable.get().then(form)}
        {review_panel}
        <section class="card cluster-grants" aria-labelledby="cluster-grants-title">
            <h2 id="cluster-grants-title">{tr::access::cluster_wide()}</h2>
            <p class="muted">{rich(tr::access::cluster_wide_note())}</p>
            {move || grant_rows(cluster_grants.get())}
        </section>
        {scraper}
        <RecentChanges subject=Subject::Access reads=Signal::derive(move || flow.apply.version().get() as u32)/>
    }
}
