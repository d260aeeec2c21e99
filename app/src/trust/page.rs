use crate::changes::RecentChanges;
use crate::changes::view::Subject;
use leptos::prelude::*;
use registry_model::trust::{CA_FIELD, CertFacts, REGISTRY_FIELD, check_entry, holds_private_key};
use registry_model::validation::names::is_dns1123_subdomain;
use registry_model::validation::{Finding, Message, Severity};

use super::view::{
    CaChange, CaEdit, CaEntry, CaReview, DEFAULT_CONFIG_MAP, ImageSettings, OBJECT, Reached,
    Source, Trust, TrustData,
};
use super::{ApplyCaChange, GetTrust, PreviewCaChange, get_trust};
use crate::components::{StaleBanner, Staleness, data_page, error_outcome, rich};
use crate::edit::flow::EditFlow;
use crate::edit::outcome::{Outcome, OutcomeNotice};
use crate::edit::review::ReviewCard;
use crate::i18n::tr;

/// Where a finding about the new ConfigMap's name lands (the server's `NAME_FIELD`).
const NAME_FIELD: &str = "configMap";

/// How often the page reads the trusted CAs again, so an operator's copy (or a change
/// made with `oc`) shows without a reload.
#[cfg(feature = "hydrate")]
const REFRESH_SECONDS: u64 = 4;

/// `/trust`: the trusted CAs, each certificate's facts and whether the registry has it,
/// adding, replacing and removing an entry, and the rest of the image config.
#[component]
pub fn TrustPage() -> impl IntoView {
    data_page(
        OnceResource::new_blocking(get_trust()),
        "page narrow trust",
        tr::trust::title(),
        tr::trust::lede(),
        |data| data.viewer.clone(),
        |data| view! { <TrustView data/> },
    )
}

/// What the form does.
#[derive(Clone, Debug, Default, PartialEq)]
enum Mode {
    #[default]
    Add,
    Replace(CaEntryName),
    Remove(CaEntryName),
}

/// An entry as the form names it: its key and the registry it stands for.
#[derive(Clone, Debug, PartialEq)]
struct CaEntryName {
    key: String,
    registry: String,
}

/// What the form holds.
#[derive(Clone, Debug, PartialEq)]
struct CaValues {
    mode: Mode,
    registry: String,
    pem: String,
    /// The ConfigMap to create, when the image config names none.
    name: String,
}

impl Default for CaValues {
    fn default() -> Self {
        CaValues {
            mode: Mode::Add,
            registry: String::new(),
            pem: String::new(),
            name: DEFAULT_CONFIG_MAP.to_owned(),
        }
    }
}

impl CaValues {
    /// The browser's rules: the shared ones (`registry_model::trust::check_entry`) and the
    /// new ConfigMap's name.
    fn findings(&self, trust: &Trust) -> Vec<Finding> {
        let keys = trust.source.keys();
        let mut findings = match &self.mode {
            Mode::Add => check_entry(Some(&self.registry), &self.pem, &keys),
            Mode::Replace(_) => check_entry(None, &self.pem, &keys),
            Mode::Remove(_) => Vec::new(),
        };
        if trust.source.name().is_none() && !is_dns1123_subdomain(&self.name) {
            findings.push(Finding::error(
                NAME_FIELD,
                Message::ConfigMapName {
                    name: self.name.clone(),
                },
            ));
        }
        findings
    }

    /// The fields that hold something other than what the form starts with.
    fn touched(&self) -> Vec<String> {
        let start = CaValues::default();
        let mut touched = Vec::new();
        if self.registry != start.registry {
            touched.push(REGISTRY_FIELD.to_owned());
        }
        if self.pem != start.pem {
            touched.push(CA_FIELD.to_owned());
        }
        if self.name != start.name {
            touched.push(NAME_FIELD.to_owned());
        }
        touched
    }

    /// The change as it is sent, with what the page showed of the cluster.
    fn change(&self, trust: &Trust) -> CaChange {
        let (config_map, config_map_version, referenced) = match &trust.source {
            Source::NotReferenced => (self.name.trim().to_owned(), None, false),
            Source::Missing { name } | Source::Unreadable { name, .. } => {
                (name.clone(), None, true)
            }
            Source::Present {
                name,
                resource_version,
                ..
            } => (name.clone(), Some(resource_version.clone()), true),
        };
        let shown = match &trust.source {
            Source::Present { entries, .. } => entries
                .iter()
                .map(|e| (e.key.clone(), e.digest.clone()))
                .collect(),
            _ => Vec::new(),
        };
        CaChange {
            edit: match &self.mode {
                Mode::Add => CaEdit::Add {
                    registry: self.registry.trim().to_owned(),
                },
                Mode::Replace(entry) => CaEdit::Replace {
                    key: entry.key.clone(),
                },
                Mode::Remove(entry) => CaEdit::Remove {
                    key: entry.key.clone(),
                },
            },
            pem: if matches!(self.mode, Mode::Remove(_)) {
                String::new()
            } else {
                self.pem.clone()
            },
            config_map,
            config_map_version,
            referenced,
            image_version: trust.image_version.clone(),
            shown,
        }
    }
}

#[component]
fn TrustView(data: TrustData) -> impl IntoView {
    let viewer = data.viewer;
    let may_edit_sources = data.may_edit_sources;
    let trust = RwSignal::new(data.trust);
    let staleness = RwSignal::new(None::<Staleness>);
    let refresh = ServerAction::<GetTrust>::new();
    Effect::new(move |_| match refresh.value().get() {
        Some(Ok(fresh)) => {
            trust.set(fresh.trust);
            staleness.set(None);
        }
        Some(Err(_)) if staleness.get_untracked().is_none() => {
            staleness.set(Some(Staleness::ConsoleUnreachable(crate::time::now())));
        }
        _ => {}
    });
    #[cfg(feature = "hydrate")]
    {
        use std::time::Duration;
        let tick = move || {
            if !refresh.pending().get_untracked() {
                refresh.dispatch(GetTrust {});
            }
        };
        if let Ok(handle) = set_interval_with_handle(tick, Duration::from_secs(REFRESH_SECONDS)) {
            on_cleanup(move || handle.clear());
        }
    }

    let values = RwSignal::new(CaValues::default());
    let key_refused = RwSignal::new(false);
    let file_problem = RwSignal::new(None::<String>);
    let flow = EditFlow::<CaChange, PreviewCaChange, ApplyCaChange>::new(values);
    let findings = Memo::new(move |_| values.with(|v| trust.with(|t| v.findings(t))));
    let touched = Memo::new(move |_| values.with(CaValues::touched));
    let shown_findings = flow.shown(findings, touched);
    let placed = flow.placed(shown_findings);
    let outcome = RwSignal::new(None::<Outcome>);
    // The cluster's answer: the outcome shows where the form was; the list is read again,
    // and a change that is in starts the form afresh (a refusal or conflict keeps it).
    Effect::new(move |_| {
        if let Some(answer) = flow.apply.value().get() {
            if let Ok(result) = &answer {
                if result.is_done() {
                    values.set(CaValues::default());
                }
                outcome.set(Some(result.clone()));
            }
            refresh.dispatch(GetTrust {});
        }
    });
    let editable = viewer.can_edit;
    let choose = move |mode: Mode| {
        outcome.set(None);
        values.update(|v| {
            v.mode = mode;
            v.pem.clear();
        });
        #[cfg(feature = "hydrate")]
        if values.with_untracked(|v| matches!(v.mode, Mode::Replace(_))) {
            crate::edit::focus::focus_field(CA_FIELD.to_owned());
        }
    };

    // What the list, the notices and the settings show, apart from when it was read: each
    // is drawn again only when it changes, so a read that finds nothing new moves nothing
    // (and the focus stays where it is).
    let source = Memo::new(move |_| trust.with(|t| t.source.clone()));
    let reports =
        Memo::new(move |_| trust.with(|t| (t.operator_error.clone(), t.unreadable.clone())));
    let image = Memo::new(move |_| trust.with(|t| t.image.clone()));
    let listing = move || {
        source.with(|source| {
            let actions = move |entry: &CaEntry| {
                editable.then(|| {
                    let name = CaEntryName {
                        key: entry.key.clone(),
                        registry: entry.registry.clone(),
                    };
                    let for_remove = name.clone();
                    view! {
                        <div class="button-row">
                            <button type="button" class="secondary replace-ca"
                                on:click=move |_| choose(Mode::Replace(name.clone()))>
                                {tr::trust::replace()}
                            </button>
                            <button type="button" class="secondary remove-ca"
                                on:click=move |_| choose(Mode::Remove(for_remove.clone()))>
                                {tr::trust::remove()}
                            </button>
                        </div>
                    }
                })
            };
            source_view(source, actions)
        })
    };

    // The form is drawn again only when what it is for changes, never as the user types or
    // the list is read again (which would take the focus and the caret away).
    let mode = Memo::new(move |_| values.with(|v| v.mode.clone()));
    let named = Memo::new(move |_| trust.with(|t| t.source.name().map(str::to_owned)));
    let form = move || {
        let mode = mode.get();
        let named = named.get();
        let title = match &mode {
            Mode::Add => tr::trust::add_title(),
            Mode::Replace(entry) => tr::trust::replace_title(&entry.registry),
            Mode::Remove(entry) => tr::trust::remove_title(&entry.registry),
        };
        let registry_input = matches!(mode, Mode::Add).then(|| {
            view! {
                <label>{tr::trust::registry()}
                    <input name="registry" autocomplete="off" spellcheck="false"
                        placeholder="registry.example.com:5000"
                        prop:value=move || values.with(|v| v.registry.clone())
                        on:input=move |ev| {
                            let text = event_target_value(&ev);
                            values.update(|v| v.registry = text);
                        }/>
                    <span class="muted">{rich(tr::trust::registry_hint())}</span>
                    {placed.near(REGISTRY_FIELD)}
                </label>
            }
        });
        let take_pem = move |text: String| {
            // A key is refused before it goes anywhere: not kept in the form, never sent.
            if holds_private_key(&text) {
                key_refused.set(true);
                values.update(|v| v.pem.clear());
            } else {
                // The refusal stays until something else is entered.
                if !text.is_empty() {
                    key_refused.set(false);
                }
                values.update(|v| v.pem = text);
            }
        };
        let pem_input = (!matches!(mode, Mode::Remove(_))).then(|| {
            view! {
                <label>{tr::trust::pem()}
                    <textarea name="ca" rows="8" spellcheck="false" autocomplete="off"
                        placeholder="-----BEGIN CERTIFICATE-----"
                        prop:value=move || values.with(|v| v.pem.clone())
                        on:input=move |ev| take_pem(event_target_value(&ev))></textarea>
                    <span class="muted">{rich(tr::trust::pem_hint())}</span>
                    {move || key_refused.get().then(|| view! {
                        <span class="finding error key-refused" role="alert">{tr::trust::key_refused()}</span>
                    })}
                    {placed.near(CA_FIELD)}
                </label>
                <label>{tr::trust::file()}
                    <input name="ca-file" type="file" accept=".crt,.pem,.cer,text/plain"
                        on:change=move |ev| {
                            crate::edit::upload::read_text_file(
                                &ev,
                                crate::edit::upload::BUNDLE_BYTES,
                                move |result| match result {
                                    Ok((_, text)) => {
                                        file_problem.set(None);
                                        take_pem(text);
                                    }
                                    Err((name, Some(kib))) => file_problem.set(Some(
                                        tr::trust::file_too_big(name, format!("{kib:.0}")),
                                    )),
                                    Err((name, None)) => {
                                        file_problem.set(Some(tr::trust::file_unreadable(name)))
                                    }
                                },
                            );
                        }/>
                    {move || file_problem.get().map(|p| view! { <span class="finding error">{p}</span> })}
                </label>
            }
        });
        let name_input = named.is_none().then(|| {
            view! {
                <label>{tr::trust::config_map_name()}
                    <input name="configMap" autocomplete="off" spellcheck="false"
                        prop:value=move || values.with(|v| v.name.clone())
                        on:input=move |ev| {
                            let text = event_target_value(&ev);
                            values.update(|v| v.name = text);
                        }/>
                    <span class="muted">{rich(tr::trust::config_map_hint())}</span>
                    {placed.near(NAME_FIELD)}
                </label>
            }
        });
        let danger = match (&mode, &named) {
            (Mode::Remove(entry), Some(name)) => Some(view! {
                <p class="alert danger remove-danger">
                    {rich(tr::trust::remove_danger(&entry.key, name, &entry.registry))}
                </p>
            }),
            _ => None,
        };
        let cancel = (!matches!(mode, Mode::Add)).then(|| {
            view! {
                <button type="button" class="secondary cancel-ca"
                    on:click=move |_| choose(Mode::Add)>{tr::trust::cancel()}</button>
            }
        });
        let review = move |_| flow.review(values.with(|v| trust.with(|t| v.change(t))));
        view! {
            <section class="card ca-form" aria-labelledby="ca-form-title">
                <h2 id="ca-form-title">{title}</h2>
                {danger}
                {registry_input}
                {pem_input}
                {name_input}
                {flow.review_button("review-ca", editable, findings, shown_findings, review)}
                {cancel}
            </section>
        }
    };

    let review_panel = move || {
        let removing = match mode.get() {
            Mode::Remove(entry) => Some(entry.registry),
            _ => None,
        };
        flow.preview.value().get().map(|result| match result {
            Err(error) => error_outcome(&error).into_any(),
            Ok(review) => {
                let certificates = review.certificates.clone();
                let on_apply = Callback::new(move |()| flow.apply_reviewed());
                let pending = flow.apply.pending();
                let review_card: crate::edit::review::Review = CaReview::into(review);
                view! {
                    {(!certificates.is_empty()).then(|| view! {
                        <section class="card to-store">
                            <h2>{tr::trust::to_store()}</h2>
                            {certificates_view(&certificates)}
                        </section>
                    })}
                    {match removing {
                        Some(registry) => view! {
                            <ReviewCard review=review_card apply_class="apply-ca" pending on_apply
                                apply_label=tr::trust::remove_apply(registry) danger=true/>
                        }.into_any(),
                        None => view! {
                            <ReviewCard review=review_card apply_class="apply-ca" pending on_apply/>
                        }.into_any(),
                    }}
                }
                .into_any()
            }
        })
    };

    let view_only = (!editable).then(|| {
        view! {
            <p class="alert info view-only">
                {rich(crate::edit::view_only_reason(&viewer, tr::trust::view_only_rbac))}
            </p>
        }
    });

    view! {
        <StaleBanner staleness=Signal::derive(move || staleness.get())/>
        {move || reports.with(|(operator, unreadable)| notices(operator.clone(), unreadable))}
        <section class="card ca-entries" aria-labelledby="ca-entries-title">
            <h2 id="ca-entries-title">{tr::trust::entries_title()}</h2>
            {listing}
            <p class="muted as-of">{move || tr::trust::as_of(crate::time::clock(trust.with(|t| t.generated_at)))}</p>
        </section>
        {move || outcome.get().map(|outcome| {
            let applied = matches!(outcome, Outcome::Applied { .. });
            view! {
                <OutcomeNotice outcome object=OBJECT>
                    {applied.then(|| view! { <p class="muted">{rich(tr::trust::applied_note())}</p> })}
                </OutcomeNotice>
            }
        })}
        {view_only}
        {move || editable.then(form)}
        {review_panel}
        {if may_edit_sources {
            view! { <super::sources_form::SourcesForm trust refresh/> }.into_any()
        } else {
            (move || image.with(image_view)).into_any()
        }}
        <RecentChanges subject=Subject::Trust reads=Signal::derive(move || flow.apply.version().get() as u32)/>
    }
}

/// What the page says above the list: the operator's report and what the user may not read.
fn notices(operator: Option<String>, unreadable: &[String]) -> impl IntoView + use<> {
    let operator = operator.map(|message| {
        view! { <p class="alert warning operator-error">{rich(tr::trust::operator_error(message))}</p> }
    });
    let unreadable = (!unreadable.is_empty()).then(|| {
        view! { <p class="alert info unreadable">{tr::trust::unreadable(unreadable.join("; "))}</p> }
    });
    view! { {operator}{unreadable} }
}

/// The source of the trusted CAs and its entries, each with `actions`.
fn source_view<A: IntoView + 'static>(source: &Source, actions: impl Fn(&CaEntry) -> A) -> AnyView {
    match source {
        Source::NotReferenced => view! {
            <p class="muted source-none">{rich(tr::trust::source_none(DEFAULT_CONFIG_MAP))}</p>
        }
        .into_any(),
        Source::Missing { name } => view! {
            <p class="alert error source-missing">{rich(tr::trust::source_missing(name))}</p>
        }
        .into_any(),
        Source::Unreadable { name, why } => view! {
            <p class="alert warning source-unreadable">{rich(tr::trust::source_unreadable(name, why))}</p>
        }
        .into_any(),
        Source::Present { name, entries, .. } if entries.is_empty() => view! {
            <p class="muted source-empty">{rich(tr::trust::source_empty(name))}</p>
        }
        .into_any(),
        Source::Present { name, entries, .. } => view! {
            <p class="muted">{rich(tr::trust::source_present(name))}</p>
            <ul class="ca-list">
                {entries.iter().map(|entry| view! {
                    <li class="ca-entry" data-key=entry.key.clone()>
                        <h3 translate="no">{entry.registry.clone()}</h3>
                        {entry_view(entry)}
                        {actions(entry)}
                    </li>
                }).collect_view()}
            </ul>
        }
        .into_any(),
    }
}

fn entry_view(entry: &CaEntry) -> impl IntoView + use<> {
    let (reached_class, reached_text) = match entry.reached {
        Reached::Yes => ("reached yes", tr::trust::reached_yes()),
        Reached::NotYet => ("reached not-yet", tr::trust::reached_not_yet()),
        Reached::Older => ("reached older", tr::trust::reached_older()),
        Reached::Unknown => ("reached unknown", tr::trust::reached_unknown()),
    };
    let bundle = match &entry.bundle {
        Ok(certificates) => certificates_view(certificates).into_any(),
        Err(message) => view! {
            <p class="finding error">{tr::trust::unreadable_bundle(crate::i18n::message(message))}</p>
        }
        .into_any(),
    };
    let warnings = entry
        .warnings
        .iter()
        .filter(|w| w.severity == Severity::Warning)
        .map(|w| view! { <li class="finding warning">{crate::i18n::message(&w.message)}</li> })
        .collect_view();
    view! {
        {bundle}
        <ul class="findings">{warnings}</ul>
        <p class=reached_class>
            <strong>{tr::trust::reached()}": "</strong>{rich(reached_text)}
        </p>
    }
}

fn date(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(seconds, 0)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// Each certificate's facts.
fn certificates_view(certificates: &[CertFacts]) -> impl IntoView + use<> {
    certificates
        .iter()
        .enumerate()
        .map(|(index, cert)| {
            let sans = if cert.sans.is_empty() {
                tr::trust::no_sans()
            } else {
                cert.sans.join(", ")
            };
            view! {
                <p class="cert-index">{tr::trust::certificate(index + 1)}</p>
                <dl class="cert">
                    <dt>{tr::trust::subject()}</dt><dd translate="no">{cert.subject.clone()}</dd>
                    <dt>{tr::trust::issuer()}</dt><dd translate="no">{cert.issuer.clone()}</dd>
                    <dt>{tr::trust::sans()}</dt><dd translate="no">{sans}</dd>
                    <dt>{tr::trust::valid()}</dt>
                    <dd>{tr::trust::valid_range(date(cert.not_before), date(cert.not_after))}</dd>
                    <dt>{tr::trust::is_ca()}</dt>
                    <dd>{if cert.is_ca { tr::trust::yes() } else { tr::trust::no() }}</dd>
                    <dt>{tr::trust::fingerprint()}</dt><dd><code class="fingerprint">{cert.sha256.clone()}</code></dd>
                </dl>
            }
        })
        .collect_view()
}

/// The rest of the image config, read only.
fn image_view(image: &ImageSettings) -> impl IntoView + use<> {
    let list = |label: String, class: &'static str, items: Vec<String>| {
        let items = if items.is_empty() {
            view! { <dd class="muted">{tr::trust::none()}</dd> }.into_any()
        } else {
            view! { <dd><ul>{items.into_iter().map(|i| view! { <li><code>{i}</code></li> }).collect_view()}</ul></dd> }
                .into_any()
        };
        view! { <dt class=class>{label}</dt>{items} }
    };
    let imports = image
        .allowed_for_import
        .iter()
        .map(|(domain, insecure)| {
            if *insecure {
                format!("{domain} {}", tr::trust::insecure_mark())
            } else {
                domain.clone()
            }
        })
        .collect();
    view! {
        <section class="card image-settings" aria-labelledby="image-settings-title">
            <h2 id="image-settings-title">{tr::trust::image_title()}</h2>
            <p class="muted">{rich(tr::trust::image_lede())}</p>
            <dl class="settings">
                {list(tr::trust::allowed_registries(), "allowed", image.allowed_registries.clone())}
                {list(tr::trust::blocked_registries(), "blocked", image.blocked_registries.clone())}
                {list(tr::trust::insecure_registries(), "insecure", image.insecure_registries.clone())}
                {list(tr::trust::search_registries(), "search", image.search_registries.clone())}
                {list(tr::trust::allowed_for_import(), "imports", imports)}
                {list(tr::trust::external_hostnames(), "external", image.external_hostnames.clone())}
                {list(tr::trust::status_internal(), "status-internal", image.status_internal_hostname.clone().into_iter().collect())}
                {list(tr::trust::status_external(), "status-external", image.status_external_hostnames.clone())}
            </dl>
        </section>
    }
}
