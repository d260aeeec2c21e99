//! What every form's review shows: findings by field (in a list, or next to the input
//! they are about), the YAML diff, the equivalent commands and the Apply button.

use leptos::prelude::*;
use registry_model::change::DiffLine;
use registry_model::validation::{Finding, Severity};

use super::words;
use crate::components::error_outcome;
use crate::error::ConsoleError;
use crate::i18n::tr;

fn severity_class(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "finding error",
        Severity::Warning => "finding warning",
    }
}

pub fn findings_list(findings: Vec<Finding>) -> impl IntoView {
    (!findings.is_empty()).then(|| {
        view! {
            <ul class="findings">
                {findings
                    .into_iter()
                    .map(|f| {
                        let class = severity_class(f.severity);
                        let field = f.field.clone();
                        view! {
                            <li class=class data-field=field>
                                {field_link(f.field)}
                                ": "{crate::i18n::message(&f.message)}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    })
}

/// A field's name as a link that takes the focus to its input.
pub fn field_link(name: String) -> impl IntoView {
    let href = format!("#{name}");
    let target = name.clone();
    let to_field = move |event: leptos::ev::MouseEvent| {
        event.prevent_default();
        #[cfg(feature = "hydrate")]
        super::focus::focus_field(target.clone());
        #[cfg(not(feature = "hydrate"))]
        let _ = &target;
    };
    view! { <a class="to-field" href=href on:click=to_field><code>{name}</code></a> }
}

/// Whether a finding on `field` belongs at the input for `path`: the same field, or one
/// inside it (`spec.routes[0]` holds `spec.routes[0].name`).
pub fn belongs(field: &str, path: &str) -> bool {
    field == path
        || field
            .strip_prefix(path)
            .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
}

/// The findings about one input, next to it: only their messages, since the place says
/// which field they are about.
pub fn field_findings(findings: Vec<Finding>) -> impl IntoView {
    (!findings.is_empty()).then(|| {
        view! {
            <ul class="findings near">
                {findings
                    .into_iter()
                    .map(|f| {
                        let class = severity_class(f.severity);
                        view! { <li class=class data-near=f.field>{crate::i18n::message(&f.message)}</li> }
                    })
                    .collect_view()}
            </ul>
        }
    })
}

/// A form's findings, placed: the browser's as the user types and, once a review came
/// back, the server's and the API's too, each shown next to the input it is about.
#[derive(Clone, Copy)]
pub struct PlacedFindings(Memo<Vec<Finding>>);

impl PlacedFindings {
    /// Subscribes the running effect to every change of the findings.
    pub fn track(self) {
        self.0.track();
    }

    /// `live`: the shared rules as the browser runs them; `reviewed`: the review's findings.
    pub fn new(
        live: Memo<Vec<Finding>>,
        reviewed: impl Fn() -> Option<Vec<Finding>> + Send + Sync + 'static,
    ) -> Self {
        PlacedFindings(Memo::new(move |_| {
            let mut all = live.get();
            for finding in reviewed().into_iter().flatten() {
                if !all.contains(&finding) {
                    all.push(finding);
                }
            }
            all
        }))
    }

    /// The findings about the input for `path` and what it holds.
    pub fn near(self, path: impl Into<String>) -> impl IntoView {
        let path = path.into();
        move || {
            field_findings(self.0.with(|all| {
                all.iter()
                    .filter(|f| belongs(&f.field, &path))
                    .cloned()
                    .collect()
            }))
        }
    }

    /// The findings about exactly `path`, not what it holds.
    pub fn exactly(self, path: &'static str) -> impl IntoView {
        move || {
            field_findings(
                self.0
                    .with(|all| all.iter().filter(|f| f.field == path).cloned().collect()),
            )
        }
    }
}

/// What the review card shows, made from any form's review.
#[derive(Clone, Debug, PartialEq)]
pub struct Review {
    pub findings: Vec<Finding>,
    pub diff: Vec<DiffLine>,
    /// The equivalent commands, each `(class, text)`, in the order they would run.
    pub commands: Vec<(&'static str, String)>,
    /// Whether a finding stops the change.
    pub blocked: bool,
}

/// The review step's panel for the last review asked for (any form's review, as the
/// [`Review`] it makes): the server's refusal, or the review card. `None` before the first
/// review.
pub fn review_panel<R: Into<Review>>(
    result: Option<Result<R, ConsoleError>>,
    apply_class: &'static str,
    pending: Signal<bool>,
    on_apply: impl Fn() + Send + Sync + 'static,
) -> Option<AnyView> {
    let on_apply = Callback::new(move |()| on_apply());
    result.map(|result| match result {
        Err(error) => error_outcome(&error).into_any(),
        Ok(review) => {
            let review = review.into();
            view! { <ReviewCard review apply_class pending on_apply/> }.into_any()
        }
    })
}

/// The review step every form shows: the findings, the YAML diff, the equivalent commands,
/// and the Apply button, disabled while a finding blocks, nothing changes, or an apply is
/// running. It shows once the `edit` words are in (see [`words::ready`]).
#[component]
pub fn ReviewCard(
    review: Review,
    /// The button's class, which tests and styles find it by.
    apply_class: &'static str,
    #[prop(into)] pending: Signal<bool>,
    on_apply: Callback<()>,
    /// The button's words; "Apply" when not given.
    #[prop(optional, into)]
    apply_label: Option<String>,
    /// The change destroys something: the button says so by its look too.
    #[prop(optional)]
    danger: bool,
) -> impl IntoView {
    let look = if danger { "danger" } else { "primary" };
    let ready = words::ready();
    move || {
        ready.get().then(|| {
            let Review {
                findings,
                diff,
                commands,
                blocked,
            } = review.clone();
            let nothing = diff.is_empty() && commands.is_empty();
            let commands = (!commands.is_empty()).then(|| {
                view! {
                    <p class="muted">{tr::edit::terminal()}</p>
                    {commands
                        .into_iter()
                        .map(|(class, text)| view! { <pre class=format!("command {class}")>{text}</pre> })
                        .collect_view()}
                }
            });
            view! {
                <section class="card review">
                    <h2>{tr::edit::review_title()}</h2>
                    {findings_list(findings)}
                    {nothing.then(|| view! { <p class="muted">{tr::edit::nothing_changes()}</p> })}
                    {(!diff.is_empty()).then(|| diff_view(diff))}
                    {commands}
                    <div class="button-row">
                        <button type="button" class=format!("{look} {apply_class}")
                            disabled=move || blocked || nothing || pending.get()
                            on:click=move |_| on_apply.run(())>
                            {match &apply_label {
                                Some(label) => label.clone(),
                                None => tr::edit::apply(),
                            }}
                        </button>
                    </div>
                </section>
            }
        })
    }
}

pub fn diff_view(diff: Vec<DiffLine>) -> impl IntoView {
    let lines = diff
        .into_iter()
        .map(|line| {
            let (class, text) = match line {
                DiffLine::Same(t) => ("same", format!("  {t}")),
                DiffLine::Removed(t) => ("removed", format!("- {t}")),
                DiffLine::Added(t) => ("added", format!("+ {t}")),
            };
            view! { <span class=class>{text}"\n"</span> }
        })
        .collect_view();
    view! { <pre class="diff">{lines}</pre> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_belong_to_their_field_and_what_it_holds() {
        assert!(belongs("spec.replicas", "spec.replicas"));
        assert!(belongs("spec.routes[0].name", "spec.routes[0]"));
        assert!(belongs(
            "spec.storage.s3.cloudFront.keypairID",
            "spec.storage.s3.cloudFront"
        ));
        assert!(!belongs("spec.replicasX", "spec.replicas"));
        assert!(!belongs("spec.routes[1].name", "spec.routes[0]"));
        assert!(!belongs("spec.storage", "spec.storage.s3.bucket"));
    }
}
