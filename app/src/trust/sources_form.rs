//! The image config's registry settings as a form: one entry per line, the shared rules as
//! the user types, reviewed (rules, dry run, diff, `oc patch`) before they apply.

use leptos::prelude::*;
use registry_model::image_config::{ImageSources, RegistryLocation, RegistryName, RegistrySources};
use registry_model::validation::sources::validate_sources;

use super::view::{ImageSettings, SourcesChange, Trust};
use super::{ApplySources, GetTrust, PreviewSources};
use crate::components::rich;
use crate::edit::flow::EditFlow;
use crate::edit::outcome::{Object, Outcome, OutcomeNotice};
use crate::i18n::tr;

/// What the form holds: each list as lines.
#[derive(Clone, Debug, Default, PartialEq)]
struct SourcesValues {
    allowed: String,
    blocked: String,
    insecure: String,
    search: String,
    /// `domain` or `domain insecure`, one per line.
    imports: String,
    external: String,
}

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

fn some(list: Vec<String>) -> Option<Vec<String>> {
    (!list.is_empty()).then_some(list)
}

impl SourcesValues {
    fn of(sources: &ImageSources) -> Self {
        let lists = sources.registry_sources.clone().unwrap_or_default();
        let join = |list: &Option<Vec<RegistryName>>| {
            list.iter()
                .flatten()
                .map(|n| n.0.clone())
                .collect::<Vec<_>>()
                .join("\n")
        };
        SourcesValues {
            allowed: join(&lists.allowed_registries),
            blocked: join(&lists.blocked_registries),
            insecure: join(&lists.insecure_registries),
            search: lists
                .container_runtime_search_registries
                .unwrap_or_default()
                .join("\n"),
            imports: sources
                .allowed_registries_for_import
                .iter()
                .flatten()
                .map(|l| {
                    let domain = l.domain_name.clone().unwrap_or_default();
                    if l.insecure == Some(true) {
                        format!("{domain} insecure")
                    } else {
                        domain
                    }
                })
                .collect::<Vec<_>>()
                .join("\n"),
            external: sources
                .external_registry_hostnames
                .clone()
                .unwrap_or_default()
                .join("\n"),
        }
    }

    fn sources(&self) -> ImageSources {
        let names =
            |text: &str| some(lines(text)).map(|l| l.into_iter().map(RegistryName).collect());
        let lists = RegistrySources {
            allowed_registries: names(&self.allowed),
            blocked_registries: names(&self.blocked),
            insecure_registries: names(&self.insecure),
            container_runtime_search_registries: some(lines(&self.search)),
        };
        ImageSources {
            registry_sources: (lists != RegistrySources::default()).then_some(lists),
            allowed_registries_for_import: some(lines(&self.imports)).map(|l| {
                l.into_iter()
                    .map(|line| match line.strip_suffix(" insecure") {
                        Some(domain) => RegistryLocation {
                            domain_name: Some(domain.trim().to_owned()),
                            insecure: Some(true),
                        },
                        None => RegistryLocation {
                            domain_name: Some(line),
                            insecure: None,
                        },
                    })
                    .collect()
            }),
            external_registry_hostnames: some(lines(&self.external)),
        }
    }
}

/// The registry settings of `trust`, editable; `refresh` reads the page again.
#[component]
pub fn SourcesForm(trust: RwSignal<Trust>, refresh: ServerAction<GetTrust>) -> impl IntoView {
    let shown = Memo::new(move |_| trust.with(|t| t.sources.clone()));
    let settings = Memo::new(move |_| trust.with(|t| t.image.clone()));
    let values = RwSignal::new(SourcesValues::of(&shown.get_untracked()));
    let saw = StoredValue::new(values.get_untracked());
    // A change read from the cluster comes into the form unless the user is editing it.
    Effect::new(move |_| {
        let now = SourcesValues::of(&shown.get());
        let edited = values.with_untracked(|v| saw.with_value(|saw| v != saw));
        if !edited {
            values.set(now.clone());
        }
        saw.set_value(now);
    });
    let flow = EditFlow::<SourcesChange, PreviewSources, ApplySources>::new(values);
    let findings = Memo::new(move |_| values.with(|v| validate_sources(&v.sources())));
    let touched = Memo::new(move |_| {
        values.with(|v| {
            let start = saw.get_value();
            let mut touched = Vec::new();
            for (field, now, then) in [
                (
                    "spec.registrySources.allowedRegistries",
                    &v.allowed,
                    &start.allowed,
                ),
                (
                    "spec.registrySources.blockedRegistries",
                    &v.blocked,
                    &start.blocked,
                ),
                (
                    "spec.registrySources.insecureRegistries",
                    &v.insecure,
                    &start.insecure,
                ),
                (
                    "spec.registrySources.containerRuntimeSearchRegistries",
                    &v.search,
                    &start.search,
                ),
                (
                    "spec.allowedRegistriesForImport",
                    &v.imports,
                    &start.imports,
                ),
                (
                    "spec.externalRegistryHostnames",
                    &v.external,
                    &start.external,
                ),
            ] {
                if now != then {
                    touched.push(field.to_owned());
                }
            }
            touched
        })
    });
    let shown_findings = flow.shown(findings, touched);
    let placed = flow.placed(shown_findings);
    let outcome = RwSignal::new(None::<Outcome>);
    Effect::new(move |_| {
        if let Some(answer) = flow.apply.value().get() {
            if let Ok(result) = &answer {
                if result.is_done() {
                    // What is now in the cluster comes in with the next read.
                    saw.set_value(values.get_untracked());
                }
                outcome.set(Some(result.clone()));
            }
            refresh.dispatch(GetTrust {});
        }
    });
    let field = move |name: &'static str,
                      path: &'static str,
                      label: String,
                      get: fn(&SourcesValues) -> String,
                      set: fn(&mut SourcesValues, String)| {
        view! {
            <label>{rich(label)}
                <textarea name=name rows="3" spellcheck="false" autocomplete="off"
                    prop:value=move || values.with(get)
                    on:input=move |ev| { let text = event_target_value(&ev); values.update(|v| set(v, text)); }></textarea>
                {placed.near(path)}
            </label>
        }
    };
    let review = move |_| {
        flow.review(SourcesChange {
            shown: shown.get_untracked(),
            desired: values.with_untracked(SourcesValues::sources),
            image_version: trust.with_untracked(|t| t.image_version.clone()),
        })
    };
    view! {
        <section class="card image-settings sources-form" aria-labelledby="image-settings-title">
            <h2 id="image-settings-title">{tr::trust::image_title()}</h2>
            <p class="muted">{rich(tr::trust::sources_lede())}</p>
            {field("registrySources.allowedRegistries", "spec.registrySources.allowedRegistries", tr::trust::allowed_registries(), |v| v.allowed.clone(), |v, t| v.allowed = t)}
            {field("registrySources.blockedRegistries", "spec.registrySources.blockedRegistries", tr::trust::blocked_registries(), |v| v.blocked.clone(), |v, t| v.blocked = t)}
            {field("registrySources.insecureRegistries", "spec.registrySources.insecureRegistries", tr::trust::insecure_registries(), |v| v.insecure.clone(), |v, t| v.insecure = t)}
            {field("registrySources.containerRuntimeSearchRegistries", "spec.registrySources.containerRuntimeSearchRegistries", tr::trust::search_registries(), |v| v.search.clone(), |v, t| v.search = t)}
            {field("allowedRegistriesForImport", "spec.allowedRegistriesForImport", tr::trust::allowed_for_import_lines(), |v| v.imports.clone(), |v, t| v.imports = t)}
            {field("externalRegistryHostnames", "spec.externalRegistryHostnames", tr::trust::external_hostnames(), |v| v.external.clone(), |v, t| v.external = t)}
            {move || settings.with(status_view)}
            {flow.review_button("review-sources", true, findings, shown_findings, review)}
        </section>
        {move || outcome.get().map(|outcome| view! { <OutcomeNotice outcome object=Object::ImageConfig/> })}
        {move || flow.review_panel("apply-sources")}
    }
}

/// The hostnames the operator reports, read only.
fn status_view(image: &ImageSettings) -> impl IntoView + use<> {
    let internal = image
        .status_internal_hostname
        .clone()
        .unwrap_or_else(tr::trust::none);
    let external = if image.status_external_hostnames.is_empty() {
        tr::trust::none()
    } else {
        image.status_external_hostnames.join(", ")
    };
    view! {
        <dl class="settings">
            <dt>{tr::trust::status_internal()}</dt><dd translate="no">{internal}</dd>
            <dt>{tr::trust::status_external()}</dt><dd translate="no">{external}</dd>
        </dl>
    }
}
