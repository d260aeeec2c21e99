//! What applying a change did, for every form: one type on the wire and one notice on the
//! page.

use leptos::prelude::*;
use registry_model::validation::{Finding, Severity};
use serde::{Deserialize, Serialize};

use super::words;
use crate::i18n::tr;

/// What a change was made to, as an outcome's message names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Object {
    /// `configs.imageregistry/cluster`: "the configuration".
    Config,
    /// `imagepruners/cluster`: "the pruner".
    Pruner,
    /// The trusted CAs' ConfigMap: "the trusted CAs".
    TrustedCas,
    /// A binding of a registry role: "the grants".
    Access,
    /// `images.config.openshift.io/cluster`: "the image config".
    ImageConfig,
}

impl Object {
    /// Its name in a sentence, in the reader's language (English in the server's logs).
    pub fn name(self) -> String {
        match self {
            Object::Config => tr::edit::object_config(),
            Object::Pruner => tr::edit::object_pruner(),
            Object::TrustedCas => tr::edit::object_trusted_cas(),
            Object::Access => tr::edit::object_access(),
            Object::ImageConfig => tr::edit::object_image_config(),
        }
    }
}

/// A field that differs between two versions of an object.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    /// Dotted path (`spec.replicas`).
    pub field: String,
    /// The value the page showed, as JSON; `None` when it was not set.
    pub shown: Option<String>,
    /// The value now, as JSON; `None` when it is no longer set.
    pub now: Option<String>,
}

/// An object a change had made when a later step of it failed, and whether it was
/// removed again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Undo {
    pub what: Undone,
    /// `None` when it was removed again; else why it is still there, and the command that
    /// removes it.
    pub left: Option<String>,
}

/// What an earlier step of a change had done.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Undone {
    /// It created this claim.
    Claim { name: String },
    /// It wrote the configuration.
    ConfigChange,
    /// It created this ConfigMap in `openshift-config`.
    ConfigMap { name: String },
    /// It created this Secret in `openshift-image-registry`.
    Secret { name: String },
}

/// What applying a change did.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Outcome {
    /// The shared rules or the API refused the change; nothing was written, or what an
    /// earlier step had made was removed again (`undone`).
    Refused {
        findings: Vec<Finding>,
        #[serde(default)]
        undone: Vec<Undo>,
    },
    /// The form asks for what the cluster already holds; nothing was written.
    Unchanged,
    /// The change is in the cluster.
    Applied {
        /// The object's version after the write.
        resource_version: String,
        /// The operator changed fields the user did not touch after the page was shown; the
        /// user's change was applied on top of those (empty when it was not needed).
        rebased_over: Vec<FieldChange>,
        /// The secret keys written with it (never their values).
        secret_keys: Vec<String>,
    },
    /// Someone changed the object since the page was shown; nothing was written, or what
    /// an earlier step had made was removed again (`undone`).
    Conflict {
        /// What changed meanwhile.
        changes: Vec<FieldChange>,
        /// The current version, to review again from.
        resource_version: String,
        #[serde(default)]
        undone: Vec<Undo>,
    },
}

impl Outcome {
    /// Whether the cluster holds something other than what the page shows: applied, or
    /// found changed. Only a refusal leaves the page as it is.
    pub fn is_news(&self) -> bool {
        !matches!(self, Outcome::Refused { .. })
    }

    /// Whether all of the change is in the cluster (or was there already).
    pub fn is_done(&self) -> bool {
        matches!(self, Outcome::Applied { .. } | Outcome::Unchanged)
    }

    /// The fields the table under the message lists: what changed meanwhile.
    pub fn changes(&self) -> &[FieldChange] {
        match self {
            Outcome::Conflict { changes, .. } => changes,
            Outcome::Applied { rebased_over, .. } => rebased_over,
            _ => &[],
        }
    }

    /// A change of one object, written at `resource_version`, with nothing rebased over and
    /// no secret keys.
    pub fn applied(resource_version: String) -> Self {
        Outcome::Applied {
            resource_version,
            rebased_over: Vec::new(),
            secret_keys: Vec::new(),
        }
    }

    /// A refusal of the change's own rules or of the API, before anything was written.
    pub fn refused(findings: Vec<Finding>) -> Self {
        Outcome::Refused {
            findings,
            undone: Vec::new(),
        }
    }

    /// A conflict before anything was written.
    pub fn conflict(changes: Vec<FieldChange>, resource_version: String) -> Self {
        Outcome::Conflict {
            changes,
            resource_version,
            undone: Vec::new(),
        }
    }

    /// The same outcome, after `undone` was done about what earlier steps had made.
    pub fn after_undoing(mut self, undo: Vec<Undo>) -> Self {
        if let Outcome::Refused { undone, .. } | Outcome::Conflict { undone, .. } = &mut self {
            undone.extend(undo);
        }
        self
    }

    /// The outcome in a sentence or two, in the reader's language; `object` is what was
    /// changed.
    pub fn message(&self, object: Object) -> String {
        let mut message = self.headline(object);
        if let Outcome::Refused { undone, .. } | Outcome::Conflict { undone, .. } = self {
            for undo in undone {
                // Each sentence carries its own lead (a space in English, none in Chinese).
                message.push_str(&match (&undo.what, &undo.left) {
                    (Undone::Claim { name }, None) => tr::edit::undone_claim_removed(name),
                    (Undone::Claim { name }, Some(why)) => tr::edit::undone_claim_left(name, why),
                    (Undone::ConfigChange, None) => tr::edit::undone_config_removed(),
                    (Undone::ConfigChange, Some(why)) => tr::edit::undone_config_left(why),
                    (Undone::ConfigMap { name }, None) => tr::edit::undone_config_map_removed(name),
                    (Undone::ConfigMap { name }, Some(why)) => {
                        tr::edit::undone_config_map_left(name, why)
                    }
                    (Undone::Secret { name }, None) => tr::edit::undone_secret_removed(name),
                    (Undone::Secret { name }, Some(why)) => tr::edit::undone_secret_left(name, why),
                });
            }
        }
        message
    }

    fn headline(&self, object: Object) -> String {
        let fields = |changes: &[FieldChange]| {
            changes
                .iter()
                .map(|c| c.field.as_str())
                .collect::<Vec<_>>()
                .join(&tr::edit::field_separator())
        };
        match self {
            Outcome::Refused { findings, undone } => {
                let findings = findings
                    .iter()
                    .filter(|f| f.severity == Severity::Error)
                    .map(|f| tr::edit::refused_finding(&f.field, crate::i18n::message(&f.message)))
                    .collect::<Vec<_>>()
                    .join(&tr::edit::finding_separator());
                // An earlier step that could not be taken back (the cluster went away
                // between two writes, say) means part of the change is in.
                if undone.iter().any(|undo| undo.left.is_some()) {
                    tr::edit::refused_partly(findings)
                } else {
                    tr::edit::refused(findings)
                }
            }
            Outcome::Unchanged => tr::edit::unchanged(),
            Outcome::Applied { rebased_over, .. } if rebased_over.is_empty() => tr::edit::applied(),
            Outcome::Applied { rebased_over, .. } => {
                tr::edit::applied_rebased(fields(rebased_over))
            }
            Outcome::Conflict { changes, .. } if changes.is_empty() => {
                tr::edit::conflict_unknown(object.name())
            }
            Outcome::Conflict { changes, .. } => tr::edit::conflict(fields(changes)),
        }
    }
}

/// An outcome where the form shows it: the message, what changed meanwhile, then `note`
/// (what the page does next) and any `children` (a link onward).
#[component]
pub fn OutcomeNotice(
    outcome: Outcome,
    /// What was changed, as the message names it.
    object: Object,
    #[prop(optional, into)] note: Option<String>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let class = if outcome.is_done() {
        "alert info outcome"
    } else {
        "alert warning outcome"
    };
    let ready = words::ready();
    // It answers what the user just did: the focus (and the view) go to it, so neither eyes
    // nor the keyboard have to look for it.
    let node = NodeRef::<leptos::html::Div>::new();
    node.on_load(|notice| {
        let _ = notice.focus();
    });
    view! {
        <div class=class role="status" tabindex="-1" node_ref=node>
            {move || ready.get().then(|| view! {
                <p>{outcome.message(object)}</p>
                {changes_table(outcome.changes().to_vec())}
                {note.clone().map(|t| view! { <p class="muted reloaded">{t}</p> })}
            })}
            {children.map(|children| children())}
        </div>
    }
}

/// What changed since the page was shown: field, the value shown, the value now.
pub fn changes_table(changes: Vec<FieldChange>) -> impl IntoView {
    (!changes.is_empty()).then(|| {
        let unset = tr::edit::not_set();
        view! {
            <table class="changes">
                <thead><tr>
                    <th>{tr::edit::column_field()}</th>
                    <th>{tr::edit::column_shown()}</th>
                    <th>{tr::edit::column_now()}</th>
                </tr></thead>
                <tbody>
                    {changes
                        .into_iter()
                        .map(|c| view! {
                            <tr>
                                <td><code>{c.field}</code></td>
                                <td><code>{c.shown.unwrap_or_else(|| unset.clone())}</code></td>
                                <td><code>{c.now.unwrap_or_else(|| unset.clone())}</code></td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use registry_model::validation::Message;

    fn changed(field: &str) -> FieldChange {
        FieldChange {
            field: field.into(),
            shown: Some("1".into()),
            now: Some("3".into()),
        }
    }

    #[test]
    fn outcomes_name_the_fields_that_changed() {
        let conflict = Outcome::conflict(vec![changed("spec.replicas")], "9".into());
        let message = conflict.message(Object::Config);
        assert!(message.starts_with("Nothing was changed"), "{message}");
        assert!(message.contains("spec.replicas changed"), "{message}");
        assert_eq!(conflict.changes().len(), 1);
        let unknown = Outcome::conflict(vec![], "9".into());
        assert!(
            unknown
                .message(Object::Pruner)
                .contains("the pruner changed since this page loaded")
        );
        let rebased = Outcome::Applied {
            resource_version: "9".into(),
            rebased_over: vec![changed("spec.httpSecret")],
            secret_keys: vec![],
        };
        assert!(
            rebased
                .message(Object::Config)
                .contains("operator had changed spec.httpSecret")
        );
        assert!(rebased.is_done() && rebased.is_news());
        let refused = Outcome::refused(vec![
            Finding::error("spec.replicas", Message::NegativeReplicas { replicas: -1 }),
            Finding::warning("spec.logLevel", Message::WaitIgnored),
        ]);
        assert_eq!(
            refused.message(Object::Pruner),
            "Nothing was changed: spec.replicas: replicas cannot be negative (-1)"
        );
        assert!(!refused.is_news());
    }

    #[test]
    fn what_an_earlier_step_made_is_said_removed_or_left_with_what_to_do() {
        let undone =
            Outcome::conflict(vec![changed("spec.logLevel")], "9".into()).after_undoing(vec![
                Undo {
                    what: Undone::Claim {
                        name: "registry-block".into(),
                    },
                    left: None,
                },
                Undo {
                    what: Undone::Claim {
                        name: "other".into(),
                    },
                    left: Some("it changed since (409); oc delete pvc other".into()),
                },
                Undo {
                    what: Undone::ConfigChange,
                    left: None,
                },
            ]);
        let message = undone.message(Object::Config);
        assert!(
            message.contains("Claim registry-block, made for this change, was removed again."),
            "{message}"
        );
        assert!(
            message.contains("Claim other, made for this change, is still there: it changed"),
            "{message}"
        );
        assert!(
            message.ends_with("The configuration written before it was taken back."),
            "{message}"
        );
        // In Chinese the sentences follow each other without a space, and the findings
        // are in Chinese too.
        let chinese = leptos::prelude::Owner::new().with(|| {
            provide_context(crate::i18n::Locale::ZhCn);
            (
                undone.message(Object::Config),
                Outcome::refused(vec![Finding::error(
                    "spec.replicas",
                    Message::NegativeReplicas { replicas: -1 },
                )])
                .message(Object::Pruner),
                Outcome::conflict(vec![], "9".into()).message(Object::Pruner),
            )
        });
        assert!(
            chinese
                .0
                .starts_with("未做任何更改：此页面加载后，spec.logLevel 已被更改。")
                && chinese
                    .0
                    .contains("。为此更改创建的 PVC registry-block 已被删除。")
                && chinese.0.ends_with("此前写入的配置已撤回。"),
            "{}",
            chinese.0
        );
        assert!(
            chinese.1.starts_with("未做任何更改：spec.replicas：") && !chinese.1.contains("cannot"),
            "{}",
            chinese.1
        );
        assert!(chinese.2.contains("镜像修剪器已被更改"), "{}", chinese.2);
        // Only a change that wrote nothing in the end has anything to undo.
        let applied = Outcome::Unchanged.after_undoing(vec![Undo {
            what: Undone::ConfigChange,
            left: None,
        }]);
        assert_eq!(applied, Outcome::Unchanged);
    }
}
