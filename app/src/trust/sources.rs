//! The image config's registry settings (which registries the cluster may use and import
//! from, the registry's external hostnames), changed as the signed-in user: the shared
//! rules, a dry run (where the API's own CEL rules answer), then the merge patch of only
//! what changed, at the version the page showed.

use kube::Api;
use registry_model::Image;
use registry_model::change::oc_patch;
use registry_model::image_config::ImageSources;
use registry_model::names::SINGLETON;
use registry_model::validation::blocks;
use registry_model::validation::sources::validate_sources;

use super::view::{SourcesChange, SourcesReview};
use crate::cluster::precondition::ShownVersion;
use crate::cluster::write::{Attempt, Sent, changes, send, spec_diff, spec_patch};
use crate::console::SignedIn;
use crate::edit::outcome::Outcome;
use crate::error::ConsoleError;
use crate::i18n::said;

const RESOURCE: &str = "image.config.openshift.io";
/// How often a change is sent again when only fields it does not touch moved meanwhile.
const MAX_RETRIES: usize = 3;

/// The review; nothing is written.
pub async fn preview(
    client: &kube::Client,
    change: &SourcesChange,
) -> Result<SourcesReview, kube::Error> {
    let patch = spec_patch(&change.shown, &change.desired);
    let mut findings = validate_sources(&change.desired);
    if !blocks(&findings)
        && let Some(patch) = &patch
    {
        let images = Api::<Image>::all(client.clone());
        if let Sent::Refused(api) = send(&images, SINGLETON, patch, Attempt::Preview).await? {
            findings.extend(api);
        }
    }
    Ok(SourcesReview {
        blocked: blocks(&findings),
        findings,
        diff: spec_diff(&change.shown, &change.desired, patch.as_ref()),
        oc_patch: patch
            .as_ref()
            .map(|p| oc_patch(RESOURCE, SINGLETON, None, p)),
    })
}

/// Applies the change at the version shown (again at a newer one while only other fields
/// of the image config moved).
pub async fn apply(
    client: &kube::Client,
    change: &SourcesChange,
    shown: &ShownVersion,
) -> Result<Outcome, kube::Error> {
    let Some(patch) = spec_patch(&change.shown, &change.desired) else {
        return Ok(Outcome::Unchanged);
    };
    let findings = validate_sources(&change.desired);
    if blocks(&findings) {
        return Ok(Outcome::refused(findings));
    }
    let images = Api::<Image>::all(client.clone());
    let mut version = shown.clone();
    for _ in 0..=MAX_RETRIES {
        let mut sent = send(&images, SINGLETON, &patch, Attempt::DryRun(&version)).await?;
        if matches!(sent, Sent::Done(_)) {
            sent = send(&images, SINGLETON, &patch, Attempt::Write(&version)).await?;
        }
        match sent {
            Sent::Done(image) => {
                return Ok(Outcome::applied(
                    image.metadata.resource_version.unwrap_or_default(),
                ));
            }
            Sent::Refused(findings) => return Ok(Outcome::refused(findings)),
            Sent::Conflict => {}
        }
        let now = images.get(SINGLETON).await?;
        let theirs = changes(&change.shown, &ImageSources::from(&now.spec));
        if !theirs.is_empty() {
            return Ok(Outcome::conflict(
                theirs,
                now.metadata.resource_version.unwrap_or_default(),
            ));
        }
        match ShownVersion::of(&now.metadata) {
            Ok(newer) => version = newer,
            Err(_) => break,
        }
    }
    Ok(Outcome::conflict(Vec::new(), version.as_str().to_owned()))
}

/// The review of `change` for `user`.
pub async fn preview_as(
    user: &SignedIn,
    change: &SourcesChange,
) -> Result<SourcesReview, ConsoleError> {
    preview(&user.client, change)
        .await
        .map_err(|error| user.explain(error, said::errors::to_check_sources()))
}

/// Applies `change` as `user`.
pub async fn apply_as(user: &SignedIn, change: &SourcesChange) -> Result<Outcome, ConsoleError> {
    user.writable()?;
    let shown = ShownVersion::new(&change.image_version)?;
    let result = apply(&user.client, change, &shown).await;
    match &result {
        Ok(outcome) => {
            tracing::info!(user = %user.name(), outcome = %outcome.message(crate::edit::outcome::Object::ImageConfig), "image config change")
        }
        Err(error) => tracing::info!(user = %user.name(), %error, "image config change failed"),
    }
    result.map_err(|error| user.explain_write(error, said::errors::to_change_sources()))
}
