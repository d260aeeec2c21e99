use leptos::prelude::*;

use crate::components::{error_outcome, rich, words};
use crate::i18n::{Phrase, tr};
use registry_model::registry_config::ManagementState;

use registry_model::change::{oc_patch, yaml_diff};
use registry_model::names::{CONFIG_RESOURCE, SINGLETON};
use serde_json::json;

use super::SetManagementState;
use super::view::{StorageSummary, management_state_patch};
use crate::config::view::OBJECT;
use crate::edit::outcome::{Outcome, OutcomeNotice};
use crate::edit::review::{Review, ReviewCard};

/// The states the console offers; `Force` passes the schema but the operator ignores it.
const CHOICES: [ManagementState; 3] = [
    ManagementState::Managed,
    ManagementState::Unmanaged,
    ManagementState::Removed,
];

fn effect(state: ManagementState) -> String {
    match state {
        ManagementState::Managed => tr::overview::effect_managed(),
        ManagementState::Unmanaged => tr::overview::effect_unmanaged(),
        ManagementState::Removed => tr::overview::effect_removed(),
        ManagementState::Force => tr::overview::effect_force(),
    }
}

/// What setting Removed loses, named: the operator deletes the storage it created itself
/// (`storage.managementState: Managed`), with every image in it, and leaves storage it
/// does not own.
fn what_removed_deletes(storage: &StorageSummary) -> String {
    let location = storage
        .location
        .as_ref()
        .map_or_else(tr::overview::removed_storage_unnamed, Phrase::render);
    match storage.management.as_deref() {
        Some("Managed") => tr::overview::removed_deletes(location),
        Some(_) => tr::overview::removed_keeps(location),
        None => tr::overview::removed_may_delete(location),
    }
}

/// The `oc` command that does the same, so the change can be repeated or scripted: the
/// model's rendering of the patch the server sends, as for every form.
fn oc_command(state: ManagementState) -> String {
    oc_patch(
        CONFIG_RESOURCE,
        SINGLETON,
        None,
        &management_state_patch(state),
    )
}

/// The review of a change of the management state: its diff and its `oc` command.
fn review(from: Option<ManagementState>, to: ManagementState) -> Review {
    let spec = |state: Option<ManagementState>| json!({ "spec": { "managementState": state } });
    Review {
        findings: Vec::new(),
        diff: yaml_diff(&spec(from), &spec(Some(to))),
        commands: vec![("oc-patch", oc_command(to))],
        blocked: false,
    }
}

/// Changes `spec.managementState`, after a confirmation that says what will happen.
/// The dialog (its choices, the review with its YAML diff, the outcome) is a WASM chunk
/// of its own, loaded when it is first opened: none of it is in the overview's first load.
#[component]
pub fn ManagementStateControl(
    current: Signal<Option<ManagementState>>,
    resource_version: Signal<Option<String>>,
    /// Where the images are: what Removed deletes, or leaves.
    storage: Signal<StorageSummary>,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let toggle = NodeRef::<leptos::html::Button>::new();
    // Escape closes the chooser and gives the focus back to the button that opened it.
    let on_keydown = move |event: leptos::ev::KeyboardEvent| {
        if event.key() == "Escape" && open.get_untracked() {
            open.set(false);
            if let Some(button) = toggle.get_untracked() {
                let _ = button.focus();
            }
        }
    };
    let dialog = move || {
        open.get().then(|| {
            Suspend::new(async move {
                management_dialog(Dialog {
                    current,
                    resource_version,
                    storage,
                    open,
                })
                .await
            })
        })
    };

    view! {
        <section class="card management" on:keydown=on_keydown>
            <div class="card-head">
                {words("h2", "", tr::overview::management_state())}
                <button type="button" class="secondary open-management" node_ref=toggle
                    aria-expanded=move || open.get().to_string()
                    on:click=move |_| open.update(|open| *open = !*open)>
                    {move || if open.get() { tr::overview::dialog_cancel() } else { tr::overview::dialog_open() }}
                </button>
            </div>
            <Suspense fallback=|| words("p", "loading", tr::common::loading())>{dialog}</Suspense>
        </section>
    }
}

/// What the dialog works with.
#[derive(Clone, Copy)]
struct Dialog {
    current: Signal<Option<ManagementState>>,
    resource_version: Signal<Option<String>>,
    storage: Signal<StorageSummary>,
    open: RwSignal<bool>,
}

/// The open dialog: the choices, the review of the chosen one, and the outcome (of a
/// refused or conflicting change; an applied one closes it).
#[lazy]
async fn management_dialog(dialog: Dialog) -> AnyView {
    // The page came with the words it showed; the dialog's are loaded with its code.
    crate::i18n::ensure(&[crate::i18n::Ns::Overview, crate::i18n::Ns::Edit]).await;
    let Dialog {
        current,
        resource_version,
        storage,
        open,
    } = dialog;
    // The server call lives here too, so its outcome's decoders load with the dialog.
    let action = ServerAction::<SetManagementState>::new();
    // A successful change closes the dialog; the live stream shows the outcome.
    Effect::new(move |_| {
        if let Some(Ok(Outcome::Applied { .. })) = action.value().get() {
            open.set(false);
        }
    });
    let choice = RwSignal::new(None::<ManagementState>);
    let apply = move |()| {
        if let (Some(state), Some(resource_version)) = (choice.get(), resource_version.get()) {
            action.dispatch(SetManagementState {
                state,
                resource_version,
            });
        }
    };

    let choices = move || {
        let current = current.get();
        CHOICES
            .iter()
            .map(|&state| {
                let is_current = current == Some(state);
                let selected = move || choice.get() == Some(state);
                view! {
                    <button type="button" class="choice" class:selected=selected
                        disabled=is_current data-choice=state.as_str()
                        on:click=move |_| choice.set(Some(state))>
                        <strong>{state.as_str()}</strong>
                        {is_current.then(|| format!(" {}", tr::overview::choice_current()))}
                        <span class="effect">{effect(state)}</span>
                    </button>
                }
            })
            .collect_view()
    };

    // The same review card every form shows: the diff, the command, the button.
    let confirm = move || {
        choice.get().map(|state| {
            let before = current.get();
            let from = before.map_or_else(tr::overview::state_not_set, |state| state.as_str().to_owned());
            let loss = (state == ManagementState::Removed).then(|| {
                view! { <p class="alert error loss" role="alert">{rich(storage.with(what_removed_deletes))}</p> }
            });
            view! {
                <div class="confirm">
                    <p>{rich(tr::overview::confirm_change(from, state))}</p>
                    {loss}
                    <ReviewCard review=review(before, state) apply_class="set-management-state"
                        pending=action.pending() on_apply=Callback::new(move |()| apply(()))
                        apply_label=tr::overview::set_state(state) danger=state == ManagementState::Removed/>
                </div>
            }
        })
    };

    let outcome = move || {
        action.value().get().map(|result| match result {
            Err(error) => error_outcome(&error).into_any(),
            Ok(Outcome::Applied { .. }) => ().into_any(),
            Ok(outcome) => view! { <OutcomeNotice outcome object=OBJECT/> }.into_any(),
        })
    };

    view! {
        <div class="choices">{choices}</div>
        {confirm}
        {outcome}
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use registry_model::change::DiffLine;

    #[test]
    fn oc_command_patches_only_the_management_state() {
        assert_eq!(
            oc_command(ManagementState::Managed),
            "oc patch configs.imageregistry.operator.openshift.io/cluster --type merge \
             -p '{\"spec\":{\"managementState\":\"Managed\"}}'"
        );
    }

    #[test]
    fn the_review_shows_the_one_field_that_changes() {
        let review = review(Some(ManagementState::Managed), ManagementState::Removed);
        let lines: Vec<String> = review
            .diff
            .iter()
            .map(|line| match line {
                DiffLine::Removed(t) => format!("-{}", t.trim()),
                DiffLine::Added(t) => format!("+{}", t.trim()),
                DiffLine::Same(t) => format!(" {}", t.trim()),
            })
            .collect();
        assert!(
            lines.contains(&"-managementState: Managed".into()),
            "{lines:?}"
        );
        assert!(
            lines.contains(&"+managementState: Removed".into()),
            "{lines:?}"
        );
        assert_eq!(review.commands[0].0, "oc-patch");
        assert!(!review.blocked);
    }

    #[test]
    fn removed_names_what_it_deletes_and_what_it_keeps() {
        let storage = |management: Option<&str>| StorageSummary {
            kinds: vec!["PVC".into()],
            location: Some(Phrase::verbatim("claim image-registry-storage")),
            management: management.map(str::to_owned),
        };
        let owned = what_removed_deletes(&storage(Some("Managed")));
        assert!(
            owned.contains("deletes claim image-registry-storage"),
            "{owned}"
        );
        assert!(owned.contains("every image"), "{owned}");
        let not_owned = what_removed_deletes(&storage(Some("Unmanaged")));
        assert!(
            not_owned.contains("claim image-registry-storage"),
            "{not_owned}"
        );
        assert!(not_owned.contains("is kept"), "{not_owned}");
        let unknown = what_removed_deletes(&StorageSummary::default());
        assert!(unknown.contains("the registry's storage"), "{unknown}");
        let chinese = crate::i18n::in_locale(crate::i18n::Locale::ZhCn, || {
            what_removed_deletes(&storage(Some("Managed")))
        });
        assert!(chinese.contains("将会丢失"), "{chinese}");
    }

    #[test]
    fn force_is_never_offered() {
        assert!(!CHOICES.contains(&ManagementState::Force));
    }
}
