//! What every form's review and outcome show: findings by field, the YAML diff, and the
//! fields that changed since the page was shown.

use leptos::prelude::*;
use registry_model::change::DiffLine;
use registry_model::validation::{Finding, Severity};

use crate::models::config::FieldChange;

/// Findings as a list, each marked with the field it is about.
pub fn findings_list(findings: Vec<Finding>) -> impl IntoView {
    (!findings.is_empty()).then(|| {
        view! {
            <ul class="findings">
                {findings
                    .into_iter()
                    .map(|f| {
                        let class = match f.severity {
                            Severity::Error => "finding error",
                            Severity::Warning => "finding warning",
                        };
                        let field = f.field.clone();
                        view! {
                            <li class=class data-field=field>
                                <code>{f.field}</code>": "{f.message}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    })
}

/// A YAML diff, removed lines with `-`, added ones with `+`.
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

/// What changed since the page was shown: field, the value shown, the value now.
pub fn changes_table(changes: Vec<FieldChange>) -> impl IntoView {
    let unset = || "(not set)".to_owned();
    (!changes.is_empty()).then(|| {
        view! {
            <table class="changes">
                <thead><tr><th>"Field"</th><th>"Shown"</th><th>"Now"</th></tr></thead>
                <tbody>
                    {changes
                        .into_iter()
                        .map(|c| view! {
                            <tr>
                                <td><code>{c.field}</code></td>
                                <td><code>{c.shown.unwrap_or_else(unset)}</code></td>
                                <td><code>{c.now.unwrap_or_else(unset)}</code></td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
        }
    })
}
