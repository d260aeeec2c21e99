//! The image pruner's settings: schedule, retention, history limits.

use super::{Finding, Message};
use crate::duration::parse_go_duration;
use crate::edit::pruner::PrunerView;

/// Checks the image pruner's settings.
pub fn validate_pruner(spec: &PrunerView) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(schedule) = spec.schedule.as_deref().filter(|s| !s.trim().is_empty()) {
        out.extend(cron_problem(schedule).map(|m| Finding::error("spec.schedule", m)));
    }
    if spec.keep_tag_revisions.is_some_and(|k| k < 0) {
        out.push(Finding::error(
            "spec.keepTagRevisions",
            Message::NegativeKeepTagRevisions,
        ));
    }
    if let Some(d) = spec
        .keep_younger_than_duration
        .as_deref()
        .filter(|d| !d.is_empty())
    {
        out.extend(
            parse_go_duration(d)
                .err()
                .map(|e| Finding::error("spec.keepYoungerThanDuration", e.into())),
        );
    }
    for (name, value) in [
        (
            "successfulJobsHistoryLimit",
            spec.successful_jobs_history_limit,
        ),
        ("failedJobsHistoryLimit", spec.failed_jobs_history_limit),
    ] {
        if value.is_some_and(|v| v < 0) {
            out.push(Finding::error(
                format!("spec.{name}"),
                Message::NegativeHistoryLimit { name: name.into() },
            ));
        }
    }
    out
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const DAYS: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

/// Why a schedule is not one a CronJob takes (kube-apiserver parses it as robfig/cron's
/// standard parser does: five fields, day of week 0–6, the `@` macros and `@every`), or
/// `None`.
pub fn cron_problem(schedule: &str) -> Option<Message> {
    let s = schedule.trim();
    if s.starts_with("TZ=") || s.starts_with("CRON_TZ=") {
        return Some(Message::CronTimeZone { schedule: s.into() });
    }
    if let Some(every) = s.strip_prefix("@every ") {
        return crate::duration::parse_go_duration(every.trim())
            .err()
            .map(|e| Message::CronEvery {
                schedule: s.into(),
                problem: Box::new(e.into()),
            });
    }
    if s.starts_with('@') {
        return (!matches!(
            s,
            "@yearly" | "@annually" | "@monthly" | "@weekly" | "@daily" | "@midnight" | "@hourly"
        ))
        .then(|| Message::CronMacro { schedule: s.into() });
    }
    let fields: Vec<&str> = s.split_whitespace().collect();
    if fields.len() != 5 {
        return Some(Message::CronFieldCount {
            schedule: s.into(),
            count: fields.len(),
        });
    }
    let specs: [(&str, u32, u32, &[&str]); 5] = [
        ("minute", 0, 59, &[]),
        ("hour", 0, 23, &[]),
        ("day of month", 1, 31, &[]),
        ("month", 1, 12, &MONTHS),
        ("day of week", 0, 6, &DAYS),
    ];
    for (field, (name, min, max, names)) in fields.iter().zip(specs) {
        if let Some(why) = cron_field_problem(field, min, max, names) {
            return Some(Message::CronField {
                name: name.into(),
                field: (*field).into(),
                problem: Box::new(why),
            });
        }
    }
    None
}

fn cron_field_problem(field: &str, min: u32, max: u32, names: &[&str]) -> Option<Message> {
    let value = |v: &str| -> Option<u32> {
        v.parse::<u32>().ok().or_else(|| {
            let offset = if names.len() == 12 { 1 } else { 0 };
            names
                .iter()
                .position(|n| n.eq_ignore_ascii_case(v))
                .map(|i| i as u32 + offset)
        })
    };
    for part in field.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((r, s)) => (r, Some(s)),
            None => (part, None),
        };
        if let Some(step) = step
            && step.parse::<u32>().map_or(true, |s| s == 0)
        {
            return Some(Message::CronStep { step: step.into() });
        }
        if range == "*" || range == "?" {
            continue;
        }
        let (lo, hi) = match range.split_once('-') {
            Some((a, b)) => (value(a), value(b)),
            None => (value(range), value(range)),
        };
        match (lo, hi) {
            (Some(lo), Some(hi)) if lo >= min && hi <= max && lo <= hi => {}
            (Some(_), Some(_)) => return Some(Message::CronRange { min, max }),
            _ => {
                return Some(Message::CronValue {
                    range: range.into(),
                });
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cron_schedules() {
        for ok in [
            "0 0 * * *",
            "*/15 * * * *",
            "0 3 * * mon-fri",
            "0 0 1 jan,jul *",
            "5,35 2-4 * * 0",
            "0 0 * * sat",
            "@daily",
            "@every 2h30m",
        ] {
            assert_eq!(cron_problem(ok), None, "{ok}");
        }
        for (bad, why) in [
            ("0 0 * *", "five"),
            ("60 0 * * *", "0 to 59"),
            ("0 24 * * *", "0 to 23"),
            ("0 0 0 * *", "1 to 31"),
            ("0 0 * 13 *", "1 to 12"),
            ("0 0 * * funday", "not a number"),
            ("*/0 * * * *", "positive"),
            ("@sometimes", "macro"),
            // kube-apiserver's parser has Sunday as 0 only.
            ("0 0 * * 7", "0 to 6"),
            ("@every 1d", "Go duration"),
            ("CRON_TZ=Asia/Shanghai 0 0 * * *", "time zone"),
        ] {
            let p = cron_problem(bad).unwrap_or_else(|| panic!("{bad} should be refused"));
            assert!(p.to_string().contains(why), "{bad}: {p}");
        }
    }

    #[test]
    fn pruner_rules() {
        let spec = PrunerView {
            schedule: Some("bad".into()),
            keep_tag_revisions: Some(-1),
            keep_younger_than_duration: Some("2w".into()),
            successful_jobs_history_limit: Some(-2),
            ..Default::default()
        };
        let fields: Vec<String> = validate_pruner(&spec)
            .into_iter()
            .map(|f| f.field)
            .collect();
        assert_eq!(
            fields,
            [
                "spec.schedule",
                "spec.keepTagRevisions",
                "spec.keepYoungerThanDuration",
                "spec.successfulJobsHistoryLimit"
            ]
        );
        assert!(
            validate_pruner(&PrunerView {
                schedule: Some("0 0 * * *".into()),
                ..Default::default()
            })
            .is_empty()
        );
    }
}
