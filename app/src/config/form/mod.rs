//! The registry configuration form: the management state, storage (one provider at a time,
//! only its fields shown, block storage with the claim it needs), replicas and rollout,
//! registry settings, routes, and where the pods run. The shared rules run as the user
//! types; the review step shows the server's findings, the YAML diff and the `oc` commands,
//! and only a reviewed change can be applied.

mod fields;
mod values;
mod warnings;

use leptos::prelude::*;
use registry_model::registry_config::{ManagementState, RolloutStrategy, StorageKind};
use registry_model::validation::settings::OFFERED_STATES;
use registry_model::validation::storage::{StorageChoice, StorageContext};

use self::fields::*;
pub use self::values::FormValues;
use self::values::{ClaimMode, RouteRow, field_name};
use self::warnings::{kind_label, removal_warning, switch_warning};
use super::{ApplyConfig, PreviewConfig};
use crate::components::{error_outcome, rich};
use crate::config::view::{ConfigData, ConfigRequest, KeyChanged, OBJECT, ShownConfig};
use crate::edit::flow::EditFlow;
use crate::edit::inputs::{log_level_select, on_text};
use crate::edit::merge::{Carried, Handover, changed_fields, merge_panel};
use crate::edit::outcome::{Outcome, OutcomeNotice};
use crate::i18n::tr;
use crate::time::moment;

/// What a management state does, for the line under the choice.
fn state_effect(state: Option<ManagementState>) -> String {
    match state {
        Some(ManagementState::Managed) => tr::config::state_managed(),
        Some(ManagementState::Unmanaged) => tr::config::state_unmanaged(),
        Some(ManagementState::Removed) => tr::config::state_removed(),
        _ => tr::config::state_other(),
    }
}

/// What the page may say about a stored credential key.
fn key_status(shown: &ShownConfig, key: &str) -> String {
    let credentials = &shown.credentials;
    if !credentials.readable {
        return tr::config::key_unknown();
    }
    if !credentials.keys.iter().any(|k| k == key) {
        return tr::config::not_set();
    }
    match credentials.changed.get(key) {
        Some(KeyChanged::Console { at }) => tr::config::key_set_by_console(moment(*at)),
        Some(KeyChanged::Elsewhere {
            secret_written: Some(at),
        }) => tr::config::key_set_elsewhere_at(moment(*at)),
        _ => tr::config::key_set_elsewhere(),
    }
}

/// The configuration form for one shown config. `on_reload` asks the page to read the
/// config again: after an outcome that changed what the cluster holds (or found it
/// changed), or to bring in a change made meanwhile. What the user had typed then goes to
/// `carried`, and the next form merges it onto what the cluster holds.
#[component]
pub fn ConfigForm(
    page: ConfigData,
    /// Start the bare-metal first run: Managed, on a claim the operator creates.
    #[prop(optional)]
    first_run: bool,
    /// The first form of the page: it takes the focus to the field the address names
    /// (`/config#spec.replicas`), which later forms (after an apply) leave to the outcome.
    #[prop(optional)]
    first_form: bool,
    carried: StoredValue<Option<Carried<FormValues>>>,
    on_reload: Callback<Option<Outcome>>,
) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    if first_form {
        Effect::new(move |_| crate::edit::focus::focus_field_of_address());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = first_form;
    let shown = StoredValue::new(page.shown);
    // The form as the cluster fills it: what a change made meanwhile is measured against.
    let saw = StoredValue::new(shown.with_value(FormValues::from_shown));
    let merged = carried
        .get_value()
        .map(|carried| saw.with_value(|now| carried.onto(now)));
    let mut initial = merged
        .as_ref()
        .map_or_else(|| saw.get_value(), |m| m.values.clone());
    // What the cluster holds, before the first run proposes anything.
    let stored_choice = shown.with_value(|s| {
        s.spec
            .storage
            .as_ref()
            .and_then(StorageChoice::from_storage)
    });
    if first_run {
        shown.with_value(|s| initial.start_first_run(s));
    }
    let values = RwSignal::new(initial.clone());
    let flow = EditFlow::<ConfigRequest, PreviewConfig, ApplyConfig>::new(values);
    let apply = flow.apply;
    let upload_error = RwSignal::new(None::<String>);

    let findings = Memo::new(move |_| values.with(|v| shown.with_value(|s| v.findings(s))));
    // The fields the user changed since the form was drawn: their errors show as they type.
    let started = StoredValue::new(initial.clone());
    let touched = Memo::new(move |_| {
        values.with(|v| {
            let mut fields = started.with_value(|started| changed_fields(started, v, field_name));
            // The routes are one list: touching it touches every row.
            if fields.iter().any(|f| f == "spec.routes") {
                fields.extend((0..v.routes.len()).map(|i| format!("spec.routes[{i}]")));
            }
            fields
        })
    });
    let shown_findings = flow.shown(findings, touched);
    let placed = flow.placed(shown_findings);
    let near = move |path: String| placed.near(path);
    let near_exact = move |path: &'static str| placed.exactly(path);
    // After an apply or a conflict the page shows the config as it is now, and the
    // user's edits go with it where they are still news.
    let handover = Handover {
        saw,
        values,
        carried,
        on_reload,
    };
    handover.follow(apply);
    // The form's fields someone else changed while the page was open: the overview's live
    // feed says when the config's version moves, and a fresh read says which fields moved
    // (the operator's status updates move the version too, but no field).
    let meanwhile = RwSignal::new(Vec::<String>::new());
    #[cfg(feature = "hydrate")]
    {
        let seen = StoredValue::new(shown.with_value(|s| s.resource_version.clone()));
        let examine = move || {
            leptos::task::spawn_local(async move {
                let Ok(fresh) = crate::config::get_registry_config().await else {
                    return;
                };
                // An answer to the user's own Apply reloads the page; no notice for it.
                if apply.pending().get_untracked() || apply.value().with_untracked(Option::is_some)
                {
                    return;
                }
                let now = FormValues::from_shown(&fresh.shown);
                let _ =
                    meanwhile.try_set(saw.with_value(|saw| changed_fields(saw, &now, field_name)));
            });
        };
        let stream = crate::overview::live::subscribe(crate::overview::live::Handlers {
            overview: Box::new(move |overview| {
                if let Some(version) = overview.resource_version
                    && seen.with_value(|seen| *seen != version)
                {
                    seen.set_value(version);
                    examine();
                }
            }),
            stale: Box::new(|_| {}),
            disconnected: Box::new(|| {}),
        });
        on_cleanup(move || drop(stream));
    }
    let meanwhile_notice = move || handover.meanwhile_notice(OBJECT, meanwhile.get());

    let review = move |_| flow.review(values.with(|v| shown.with_value(|s| v.request(s))));
    let set = move |update: fn(&mut FormValues, String)| on_text(values, update);
    let kind_is = move |kind: StorageKind| {
        move || values.with(|v| v.kind == Some(kind) && !(kind == StorageKind::Pvc && v.is_block()))
    };
    let is_block = move || values.with(FormValues::is_block);
    let stored_key =
        move |key: &'static str| shown.with_value(|s| s.credentials.keys.iter().any(|k| k == key));

    // While there is no user secret the operator reads the cluster's own credentials; typing
    // keys here replaces them as a whole (`registry-api.md` §4).
    let cluster_note = move |kind: StorageKind| {
        let note = shown.with_value(|s| {
            let ctx = StorageContext {
                cluster_keys: s.credentials.cluster_keys.iter().cloned().collect(),
                ..StorageContext::default()
            };
            s.credentials.readable && !s.credentials.exists && ctx.cluster_serves(kind)
        });
        note.then(|| view! { <p class="alert info cluster-credentials">{rich(tr::config::cluster_credentials())}</p> })
    };

    // One block per cloud provider, shown only while it is the chosen one.
    let cloud_fields = KINDS
        .into_iter()
        .filter(|kind| !text_fields(*kind).is_empty())
        .map(|kind| {
            let text_input = |(id, label): (&'static str, String)| {
                    let value = initial.fields.get(id).cloned().unwrap_or_default();
                    view! {
                        <label>{rich(label)}
                            <input name=id value=value
                                prop:value=move || values.with(|v| v.fields.get(id).cloned().unwrap_or_default())
                                on:input=move |ev| {
                                let text = event_target_value(&ev);
                                values.update(|v| { v.fields.insert(id.to_owned(), text); });
                            }/>
                            {near(format!("spec.storage.{}", id.strip_suffix(".name").filter(|p| p.ends_with("privateKey")).unwrap_or(id)))}
                        </label>
                    }
            };
            let texts = text_fields(kind)
                .into_iter()
                .filter(|(id, _)| !advanced_field(id))
                .map(text_input)
                .collect_view();
            let advanced = text_fields(kind)
                .into_iter()
                .filter(|(id, _)| advanced_field(id))
                .map(text_input)
                .collect_view();
            let folded_set = text_fields(kind)
                .iter()
                .filter(|(id, _)| advanced_field(id))
                .any(|(id, _)| initial.fields.get(*id).is_some_and(|v| !v.is_empty()))
                || flag_fields(kind)
                    .iter()
                    .any(|(id, _)| initial.flags.get(*id).copied().unwrap_or(false));
            let flags = flag_fields(kind)
                .into_iter()
                .map(|(id, label)| {
                    let on = initial.flags.get(id).copied().unwrap_or(false);
                    view! {
                        <label class="radio"><input type="checkbox" name=id checked=on
                            prop:checked=move || values.with(|v| v.flags.get(id).copied().unwrap_or(false))
                            on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            values.update(|v| { v.flags.insert(id.to_owned(), on); });
                        }/>{rich(label)}{near(format!("spec.storage.{id}"))}</label>
                    }
                })
                .collect_view();
            let secrets = secret_fields(kind)
                .into_iter()
                .map(|(key, label, input)| {
                    let status = shown.with_value(|s| key_status(s, key));
                    let placeholder = if stored_key(key) { tr::config::secret_stored() } else { tr::config::not_set() };
                    let field = match input {
                        SecretInput::Typed | SecretInput::Visible => view! {
                            <input name=key type=if input == SecretInput::Visible { "text" } else { "password" }
                                autocomplete="off" spellcheck="false" placeholder=placeholder
                                prop:value=move || values.with(|v| v.secrets.get(key).cloned().unwrap_or_default())
                                on:input=move |ev| {
                                let text = event_target_value(&ev);
                                values.update(|v| { v.secrets.insert(key.to_owned(), text); });
                            }/>
                        }.into_any(),
                        SecretInput::File => view! {
                            <input name=key type="file" accept=".json,application/json" on:change=move |ev| {
                                crate::edit::upload::read_text_file(&ev, crate::edit::upload::KEY_FILE_BYTES, move |result| match result {
                                    Ok((name, text)) => {
                                        upload_error.set(None);
                                        values.update(|v| {
                                            v.secrets.insert(key.to_owned(), text);
                                            v.secret_files.insert(key.to_owned(), name);
                                        });
                                    }
                                    Err((name, Some(kib))) => upload_error.set(Some(
                                        tr::config::upload_too_big(name, format!("{kib:.0}")),
                                    )),
                                    Err((name, None)) => {
                                        upload_error.set(Some(tr::config::upload_unreadable(name)))
                                    }
                                });
                            }/>
                            {move || values.with(|v| v.secret_files.get(key).map(|name| {
                                let bytes = v.secrets.get(key).map_or(0, String::len);
                                view! { <span class="muted uploaded">{tr::config::uploaded(name, bytes)}</span> }
                            }))}
                            {move || upload_error.get().map(|e| view! { <span class="finding error">{e}</span> })}
                        }.into_any(),
                    };
                    view! {
                        <label class="secret">{label}" "<code class="muted">{key}</code>
                            // What typing does to the key, once something is typed.
                            <span class="key-status" data-key=key>{move || {
                                let typed = values.with(|v| v.secrets.get(key).is_some_and(|t| !t.is_empty()));
                                if typed { tr::config::key_typed() } else { status.clone() }
                            }}</span>
                            {field}
                            {near(format!("credentials.{key}"))}
                        </label>
                    }
                })
                .collect_view();
            let note = secret_note(kind).map(|n| view! { <p class="muted">{n}</p> });
            view! {
                <div class="provider" data-provider=kind.field() hidden=move || !kind_is(kind)()>
                    {texts}
                    {(kind == StorageKind::S3 || kind == StorageKind::Swift).then(|| view! {
                        <details open=folded_set>
                            <summary>{tr::config::more_options()}</summary>
                            {advanced}
                            {flags}
                        </details>
                    })}
                    <h3>{tr::config::credentials()}</h3>
                    {cluster_note(kind)}
                    {note}
                    {near_exact("credentials")}
                    {secrets}
                </div>
            }
        })
        .collect_view();

    let kinds = KINDS
        .into_iter()
        .map(|kind| {
            view! {
                <label class="radio">
                    <input type="radio" name="storage" value=kind.field()
                        checked=initial.kind == Some(kind) && !initial.is_block()
                        prop:checked=kind_is(kind)
                        on:change=move |_| values.update(|v| {
                            v.kind = Some(kind);
                            if v.claim_mode == ClaimMode::Create {
                                v.claim_mode = ClaimMode::Operator;
                            }
                        })/>
                    // A product's name (emptyDir's label aside) reads the same in every language.
                    <span translate=(kind != StorageKind::EmptyDir).then_some("no")>{kind_label(kind)}</span>
                </label>
            }
        })
        .collect_view();

    let states = OFFERED_STATES
        .into_iter()
        .map(|state| {
            view! {
                <option value=state.as_str() selected=initial.state == Some(state)>
                    {state.as_str()}
                </option>
            }
        })
        .collect_view();

    let claims = shown.with_value(|s| s.claims.clone());
    let existing_claim = match claims {
        Some(claims) => {
            let current = initial.claim.clone();
            let options = claims
                .into_iter()
                .map(|c| {
                    let modes = c.access_modes.join(", ");
                    let size = match &c.size {
                        Some(size) => size.clone(),
                        None => tr::config::size_unknown(),
                    };
                    let text = match &c.phase {
                        Some(phase) => tr::config::claim_option_phase(&c.name, modes, size, phase),
                        None => tr::config::claim_option(&c.name, modes, size),
                    };
                    let selected = c.name == current;
                    view! { <option value=c.name.clone() selected=selected>{text}</option> }
                })
                .collect_view();
            view! {
                <label>{rich(tr::config::claim_in_namespace())}
                    <select name="claim" prop:value=move || values.with(|v| v.claim.clone())
                        on:change=set(|v, t| v.claim = t)>
                        <option value="" selected=initial.claim.is_empty()>{tr::config::choose_claim()}</option>
                        {options}
                    </select>
                </label>
            }
            .into_any()
        }
        None => view! {
            <label>{rich(tr::config::claim_in_namespace_unlisted())}
                <input name="claim" value=initial.claim.clone()
                    prop:value=move || values.with(|v| v.claim.clone())
                    on:input=set(|v, t| v.claim = t)/>
            </label>
        }
        .into_any(),
    };

    let classes = shown.with_value(|s| s.storage_classes.clone());
    let class_input = match classes {
        Some(classes) => {
            let options = classes
                .names
                .iter()
                .map(|name| {
                    let label = if classes.default.as_ref() == Some(name) {
                        tr::config::class_default(name)
                    } else {
                        name.clone()
                    };
                    view! { <option value=name.clone() selected=initial.new_claim_class == *name>{label}</option> }
                })
                .collect_view();
            view! {
                <select name="newClaim.storageClass"
                    prop:value=move || values.with(|v| v.new_claim_class.clone())
                    on:change=set(|v, t| v.new_claim_class = t)>
                    <option value="" selected=initial.new_claim_class.is_empty()>{tr::config::cluster_default_class()}</option>
                    {options}
                </select>
            }
            .into_any()
        }
        None => view! {
            <input name="newClaim.storageClass" placeholder=tr::config::cluster_default_class_placeholder() value=initial.new_claim_class.clone() prop:value=move || values.with(|v| v.new_claim_class.clone()) on:input=set(|v, t| v.new_claim_class = t)/>
        }
        .into_any(),
    };

    let review_panel = move || flow.review_panel("apply-config");

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

    let route_count = Memo::new(move |_| values.with(|v| v.routes.len()));
    let route_rows = move || {
        (0..route_count.get())
            .map(|i| {
                // Each cell says what it is in a label of its own: a placeholder is gone
                // once the user types.
                let cell = move |get: fn(&RouteRow) -> &String, put: fn(&mut RouteRow, String), name: &'static str, label: String| {
                    view! {
                        <label class="route-cell">{label}
                            <input name=format!("routes[{i}].{name}")
                                prop:value=move || values.with(|v| v.routes.get(i).map(|r| get(r).clone()).unwrap_or_default())
                                on:input=move |ev| {
                                    let text = event_target_value(&ev);
                                    values.update(|v| if let Some(r) = v.routes.get_mut(i) { put(r, text) });
                                }/>
                        </label>
                    }
                };
                view! {
                    <div class="route-row">
                        {cell(|r| &r.name, |r, t| r.name = t, "name", tr::config::route_name())}
                        {cell(|r| &r.hostname, |r, t| r.hostname = t, "hostname", tr::config::route_hostname())}
                        {cell(|r| &r.secret_name, |r, t| r.secret_name = t, "secretName", tr::config::route_secret())}
                        <button type="button" class="remove-route" on:click=move |_| values.update(|v| { if i < v.routes.len() { v.routes.remove(i); } })>{tr::config::remove_route()}</button>
                    </div>
                    {near(format!("spec.routes[{i}]"))}
                }
            })
            .collect_view()
    };

    let settings_set = initial.settings.values().any(|v| !v.is_empty());
    let http_secret_set =
        shown.with_value(|s| s.spec.http_secret.as_deref().is_some_and(|v| !v.is_empty()));
    let editable = page.viewer.can_edit;
    view! {
        <form class="config-form" on:submit=|ev| ev.prevent_default()>
            {(!editable).then(|| view! {
                <p class="alert warning view-only">{rich(crate::edit::view_only_reason(&page.viewer, tr::config::view_only_rbac))}</p>
            })}
            {first_run.then(|| view! {
                <p class="alert info first-run">{rich(tr::config::first_run())}</p>
            })}
            // Every control of a user who may not change the config is disabled at once,
            // the reason above them.
            <fieldset class="form-body" disabled=!editable>
            {merged.map(|merged| merge_panel(&merged, values, field_name))}
            <section class="card">
                <h2>{tr::config::management_state()}</h2>
                <select name="managementState" aria-label=tr::config::management_state()
                    prop:value=move || values.with(|v| v.state.map_or("", |s| s.as_str()))
                    on:change=move |ev| {
                    let state = ManagementState::parse(&event_target_value(&ev));
                    values.update(|v| v.state = state);
                }>
                    {initial.state.is_none().then(|| view! { <option value="" selected>{tr::config::keep_state()}</option> })}
                    {states}
                </select>
                {near_exact("spec.managementState")}
                <p class="muted state-effect">{move || view! { {rich(state_effect(values.with(|v| v.state)))} }}</p>
                {move || shown.with_value(|s| removal_warning(s.spec.clone(), values.with(|v| v.state), s.claims.as_deref())).map(|w| view! { <p class="alert error removal" role="alert">{rich(w)}</p> })}
            </section>
            <section class="card storage-choice">
                <h2 id="storage-title">{tr::config::storage()}</h2>
                {initial.kind.is_none().then(|| view! {
                    <p class="muted">{tr::config::storage_kept()}</p>
                })}
                <div class="radios" role="radiogroup" aria-labelledby="storage-title">
                    {kinds}
                    <label class="radio">
                        <input type="radio" name="storage" value="block" checked=false
                            prop:checked=is_block
                            on:change=move |_| values.update(FormValues::choose_block_storage)/>
                        {tr::config::block_storage()}
                    </label>
                </div>
                {near_exact("spec.storage")}
                {move || switch_warning(stored_choice.as_ref(), values.with(|v| shown.with_value(|s| v.edits(s).storage)).as_ref()).map(|w| view! { <p class="alert warning switch">{w}</p> })}
                <Show when=kind_is(StorageKind::EmptyDir)>
                    <p class="alert warning">{rich(tr::config::empty_dir_warning())}</p>
                </Show>
                <div class="pvc" hidden=move || !kind_is(StorageKind::Pvc)()>
                    <div role="radiogroup" aria-label=tr::config::claim_source()>
                    <label class="radio"><input type="radio" name="claimMode" value="operator"
                        checked=initial.claim_mode == ClaimMode::Operator
                        prop:checked=move || values.with(|v| v.claim_mode == ClaimMode::Operator)
                        on:change=move |_| values.update(|v| v.claim_mode = ClaimMode::Operator)/>
                        {rich(tr::config::claim_by_operator())}</label>
                    <label class="radio"><input type="radio" name="claimMode" value="existing"
                        checked=initial.claim_mode == ClaimMode::Existing
                        prop:checked=move || values.with(|v| v.claim_mode == ClaimMode::Existing)
                        on:change=move |_| values.update(|v| v.claim_mode = ClaimMode::Existing)/>
                        {tr::config::claim_existing()}</label>
                    </div>
                    <div hidden=move || values.with(|v| v.claim_mode != ClaimMode::Existing)>{existing_claim}</div>
                    {near("spec.storage.pvc".into())}
                </div>
                <div class="block" hidden=move || !is_block()>
                    <p class="muted">{tr::config::block_note()}</p>
                    <label>{tr::config::claim_name()}<input name="newClaim.name" value=initial.new_claim_name.clone() prop:value=move || values.with(|v| v.new_claim_name.clone()) on:input=set(|v, t| v.new_claim_name = t)/>{near("newClaim.name".into())}</label>
                    <label>{tr::config::claim_size()}<input name="newClaim.size" value=initial.new_claim_size.clone() prop:value=move || values.with(|v| v.new_claim_size.clone()) on:input=set(|v, t| v.new_claim_size = t)/>{near("newClaim.size".into())}</label>
                    <label>{tr::config::storage_class()}{class_input}{near("newClaim.storageClass".into())}</label>
                    {near_exact("newClaim")}
                </div>
                {cloud_fields}
            </section>
            <section class="card">
                <h2>{tr::config::replicas_and_rollout()}</h2>
                <label>{tr::config::replicas()}<input name="replicas" type="number" min="0" value=initial.replicas.clone()
                    prop:value=move || values.with(|v| v.replicas.clone())
                    on:input=set(|v, t| v.replicas = t)/>{near("spec.replicas".into())}</label>
                <label>{tr::config::rollout_strategy()}
                    <select name="rolloutStrategy"
                        prop:value=move || values.with(|v| v.rollout.as_str().to_owned())
                        on:change=move |ev| {
                            if let Some(r) = RolloutStrategy::parse(&event_target_value(&ev)) {
                                values.update(|v| v.rollout = r);
                            }
                        }>
                        <option value="RollingUpdate" selected=initial.rollout == RolloutStrategy::RollingUpdate>"RollingUpdate"</option>
                        <option value="Recreate" selected=initial.rollout == RolloutStrategy::Recreate>"Recreate"</option>
                    </select>
                    {near("spec.rolloutStrategy".into())}
                </label>
            </section>
            <section class="card settings">
                <h2>{tr::config::settings()}</h2>
                <label class="radio"><input type="checkbox" name="readOnly" checked=initial.read_only prop:checked=move || values.with(|v| v.read_only)
                    on:change=move |ev| { let on = event_target_checked(&ev); values.update(|v| v.read_only = on) }/>
                    {tr::config::read_only()}</label>
                <label class="radio"><input type="checkbox" name="disableRedirect" checked=initial.disable_redirect prop:checked=move || values.with(|v| v.disable_redirect)
                    on:change=move |ev| { let on = event_target_checked(&ev); values.update(|v| v.disable_redirect = on) }/>
                    {tr::config::disable_redirect()}</label>
                <label class="radio"><input type="checkbox" name="defaultRoute" checked=initial.default_route prop:checked=move || values.with(|v| v.default_route)
                    on:change=move |ev| { let on = event_target_checked(&ev); values.update(|v| v.default_route = on) }/>
                    {rich(tr::config::default_route())}</label>
                {log_level_select(tr::edit::log_level(), "logLevel", values, initial.log_level,
                    |v| v.log_level, |v, level| v.log_level = level)}
                {log_level_select(tr::config::operator_log_level(), "operatorLogLevel", values,
                    initial.operator_log_level, |v| v.operator_log_level,
                    |v, level| v.operator_log_level = level)}
                <details open=settings_set>
                <summary>{tr::config::proxy_and_limits()}</summary>
                {setting_fields().into_iter().map(|(id, label)| {
                    let value = initial.settings.get(id).cloned().unwrap_or_default();
                    view! {
                        <label>{rich(label)}
                            <input name=id value=value
                                prop:value=move || values.with(|v| v.settings.get(id).cloned().unwrap_or_default())
                                on:input=move |ev| {
                                let text = event_target_value(&ev);
                                values.update(|v| { v.settings.insert(id.to_owned(), text); });
                            }/>
                            {near(format!("spec.{id}"))}
                        </label>
                    }
                }).collect_view()}
                </details>
                <div class="http-secret">
                    <h3>{rich(tr::config::http_secret())}</h3>
                    <p class="muted http-secret-status">{if http_secret_set { tr::config::http_secret_set() } else { tr::config::http_secret_unset() }}</p>
                    <label class="radio"><input type="checkbox" name="regenerateHttpSecret"
                        checked=initial.regenerate_http_secret prop:checked=move || values.with(|v| v.regenerate_http_secret)
                        on:change=move |ev| { let on = event_target_checked(&ev); values.update(|v| v.regenerate_http_secret = on) }/>
                        {tr::config::regenerate_http_secret()}</label>
                    <Show when=move || values.with(|v| v.regenerate_http_secret)>
                        <p class="alert warning">{tr::config::regenerate_warning()}</p>
                    </Show>
                </div>
            </section>
            <section class="card routes">
                <h2>{tr::config::routes()}</h2>
                <p class="muted">{rich(tr::config::routes_note())}</p>
                {route_rows}
                {move || {
                    // A stored route taken out of the list: the operator deletes its Route.
                    let removed: Vec<String> = saw.with_value(|saw| values.with(|v| {
                        saw.routes
                            .iter()
                            .filter(|r| !v.routes.iter().any(|kept| kept.name == r.name))
                            .map(|r| format!("`{}`", r.name))
                            .collect()
                    }));
                    (!removed.is_empty()).then(|| view! {
                        <p class="alert error routes-removed" role="alert">
                            {rich(tr::config::routes_removed(removed.join(&tr::edit::field_separator())))}
                        </p>
                    })
                }}
                <button type="button" class="add-route" on:click=move |_| values.update(|v| v.routes.push(RouteRow::default()))>{tr::config::add_route()}</button>
            </section>
            <section class="card placement">
                <h2>{tr::config::placement()}</h2>
                <label>{rich(tr::config::node_selector())}
                    <textarea name="nodeSelector" rows="3" prop:value=move || values.with(|v| v.node_selector.clone()) on:input=set(|v, t| v.node_selector = t)>{initial.node_selector.clone()}</textarea>
                    {near("spec.nodeSelector".into())}
                </label>
                <label>{rich(tr::config::tolerations())}
                    <textarea name="tolerations" rows="3" prop:value=move || values.with(|v| v.tolerations.clone()) on:input=set(|v, t| v.tolerations = t)>{initial.tolerations.clone()}</textarea>
                    {near("spec.tolerations".into())}
                </label>
                {resource_fields().into_iter().map(|(id, label)| {
                    let value = initial.resources.get(id).cloned().unwrap_or_default();
                    view! {
                        <label>{rich(label)}
                            <input name=format!("resources.{id}") value=value
                                prop:value=move || values.with(|v| v.resources.get(id).cloned().unwrap_or_default())
                                on:input=move |ev| {
                                let text = event_target_value(&ev);
                                values.update(|v| { v.resources.insert(id.to_owned(), text); });
                            }/>
                            {near(format!("spec.resources.{id}"))}
                        </label>
                    }
                }).collect_view()}
            </section>
            {flow.review_button("review-config", editable, findings, shown_findings, review)}
            </fieldset>
        </form>
        {meanwhile_notice}
        {review_panel}
        {outcome}
    }
}
