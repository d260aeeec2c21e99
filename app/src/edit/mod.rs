//! The edit flow every form shares, after the rules (`registry_model::edit` and
//! `registry_model::validation`): the [`flow`] from review to apply, the shared [`inputs`], the [`review`] card (findings placed on fields, the YAML
//! diff, the equivalent `oc` commands, Apply) and the [`outcome`] of applying (applied,
//! rebased, partly applied, refused by field, or a conflict listing what changed), and the
//! [`merge`] of the user's edits with a change made meanwhile. The
//! server half, the merge patch with the shown version as precondition, is
//! `cluster::write`.

pub mod flow;
pub mod focus;
pub mod inputs;
pub mod merge;
pub mod outcome;
pub mod review;
pub mod upload;
mod words;

/// Why `viewer` sees a form they cannot use: the console's `--read-only`, or the cluster's
/// RBAC (`rbac`: the page's words naming the user, the verb and the resource).
pub fn view_only_reason(viewer: &crate::viewer::Viewer, rbac: fn(String) -> String) -> String {
    if viewer.console_read_only {
        crate::i18n::tr::errors::read_only()
    } else {
        rbac(viewer.name.clone())
    }
}
