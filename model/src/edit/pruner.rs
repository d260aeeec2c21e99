//! The image pruner as its form shows and edits it (`registry-api.md` §4).

use serde::{Deserialize, Serialize};

use crate::image_pruner::ImagePrunerSpec;
use crate::registry_config::LogLevel;

/// The fields of `spec` the pruner form shows, named as the API names them. Left out:
/// the pruner pods' placement and resources (`affinity`, `nodeSelector`, `tolerations`,
/// `resources`) and the deprecated `keepYoungerThan`, which no form edits.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrunerView {
    /// Five-field cron; empty means `0 0 * * *`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspend: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep_tag_revisions: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep_younger_than_duration: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub successful_jobs_history_limit: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failed_jobs_history_limit: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ignore_invalid_image_references: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_level: Option<LogLevel>,
}

impl From<ImagePrunerSpec> for PrunerView {
    fn from(spec: ImagePrunerSpec) -> Self {
        PrunerView {
            schedule: spec.schedule,
            suspend: spec.suspend,
            keep_tag_revisions: spec.keep_tag_revisions,
            keep_younger_than_duration: spec.keep_younger_than_duration,
            successful_jobs_history_limit: spec.successful_jobs_history_limit,
            failed_jobs_history_limit: spec.failed_jobs_history_limit,
            ignore_invalid_image_references: spec.ignore_invalid_image_references,
            log_level: spec.log_level,
        }
    }
}

/// What the form changes; `None` leaves a field as shown.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PrunerEdits {
    /// Five-field cron; empty means the operator's default, midnight.
    pub schedule: Option<String>,
    pub suspend: Option<bool>,
    pub keep_tag_revisions: Option<i64>,
    /// Go duration; empty removes it (the operator then keeps 60m).
    pub keep_younger_than_duration: Option<String>,
    pub ignore_invalid_image_references: Option<bool>,
    pub successful_jobs_history_limit: Option<i32>,
    pub failed_jobs_history_limit: Option<i32>,
    pub log_level: Option<LogLevel>,
}

impl PrunerEdits {
    /// The pruner the user wants: `shown` with these edits.
    pub fn apply_to(&self, shown: &PrunerView) -> PrunerView {
        let mut view = shown.clone();
        if let Some(schedule) = &self.schedule {
            view.schedule = Some(schedule.trim().to_owned());
        }
        if let Some(duration) = &self.keep_younger_than_duration {
            let duration = duration.trim();
            view.keep_younger_than_duration = (!duration.is_empty()).then(|| duration.to_owned());
        }
        view.suspend = self.suspend.or(view.suspend);
        view.keep_tag_revisions = self.keep_tag_revisions.or(view.keep_tag_revisions);
        view.ignore_invalid_image_references = self
            .ignore_invalid_image_references
            .or(view.ignore_invalid_image_references);
        view.successful_jobs_history_limit = self
            .successful_jobs_history_limit
            .or(view.successful_jobs_history_limit);
        view.failed_jobs_history_limit = self
            .failed_jobs_history_limit
            .or(view.failed_jobs_history_limit);
        view.log_level = self.log_level.or(view.log_level);
        view
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown() -> PrunerView {
        PrunerView {
            schedule: Some(String::new()),
            suspend: Some(false),
            keep_tag_revisions: Some(3),
            keep_younger_than_duration: Some("60m".into()),
            ..PrunerView::default()
        }
    }

    #[test]
    fn the_view_leaves_out_what_no_form_edits() {
        let spec: ImagePrunerSpec = serde_json::from_value(serde_json::json!({
            "schedule": "0 3 * * *",
            "nodeSelector": {"role": "infra"},
            "keepYoungerThan": 3600,
        }))
        .unwrap();
        let json = serde_json::to_value(PrunerView::from(spec)).unwrap();
        assert_eq!(json, serde_json::json!({"schedule": "0 3 * * *"}));
    }

    #[test]
    fn edits_change_only_what_they_name() {
        let view = PrunerEdits {
            schedule: Some(" 0 3 * * * ".into()),
            keep_tag_revisions: Some(5),
            ..PrunerEdits::default()
        }
        .apply_to(&shown());
        assert_eq!(view.schedule.as_deref(), Some("0 3 * * *"));
        assert_eq!(view.keep_tag_revisions, Some(5));
        assert_eq!(view.suspend, Some(false));
        assert_eq!(PrunerEdits::default().apply_to(&shown()), shown());
        let cleared = PrunerEdits {
            keep_younger_than_duration: Some(" ".into()),
            ..PrunerEdits::default()
        }
        .apply_to(&shown());
        assert_eq!(cleared.keep_younger_than_duration, None);
    }
}
