//! Ages and clock times as the pages show them, in the reader's language. Each takes the
//! times it needs, so that the server, the browser and the tests agree on what they print.

use chrono::{DateTime, Datelike, Duration, Timelike, Utc};

use crate::i18n::tr;

/// A Kubernetes time (a `Time` or `MicroTime`, whose `.0` this is) as the pages' time.
#[cfg(feature = "ssr")]
pub fn from_k8s(time: k8s_openapi::jiff::Timestamp) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(time.as_second(), time.subsec_nanosecond().max(0) as u32)
}

/// An age in kubectl's style, `42s`, `5m`, `3h`, `2d` (in Chinese `5 分钟`). Times in the
/// future read as no time at all.
pub fn age(since: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let seconds = (now - since).num_seconds().max(0);
    match seconds {
        s if s < 120 => tr::common::age_seconds(s),
        s if s < 2 * 3600 => tr::common::age_minutes(s / 60),
        s if s < 48 * 3600 => tr::common::age_hours(s / 3600),
        s => tr::common::age_days(s / 86_400),
    }
}

// Both written out by hand rather than with `format("%H...")`: chrono's format strings
// bring their parser and formatter into the browser's first load (tens of kilobytes).

/// `HH:MM:SS` and the zone, the form of "stale since": the reader's own time zone in the
/// browser, UTC on the server (which does not know the reader's).
pub fn clock(at: DateTime<Utc>) -> String {
    let (local, zone) = in_reader_zone(at);
    format!(
        "{:02}:{:02}:{:02} {zone}",
        local.hour(),
        local.minute(),
        local.second()
    )
}

/// `YYYY-MM-DD HH:MM` and the zone, for when something last changed.
pub fn moment(at: DateTime<Utc>) -> String {
    let (local, zone) = in_reader_zone(at);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02} {zone}",
        local.year(),
        local.month(),
        local.day(),
        local.hour(),
        local.minute()
    )
}

/// `at` as the reader's wall clock shows it (the fields of the returned time), with the
/// zone's name: `UTC`, or `UTC+08:00` in a browser east of Greenwich.
fn in_reader_zone(at: DateTime<Utc>) -> (DateTime<Utc>, String) {
    #[cfg(feature = "hydrate")]
    let minutes_east = {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(
            at.timestamp_millis() as f64
        ));
        -(date.get_timezone_offset() as i64)
    };
    #[cfg(not(feature = "hydrate"))]
    let minutes_east = 0;
    (
        at + Duration::minutes(minutes_east),
        zone_name(minutes_east),
    )
}

/// `UTC`, `UTC+08:00`, `UTC-03:30`.
fn zone_name(minutes_east: i64) -> String {
    if minutes_east == 0 {
        return "UTC".into();
    }
    let sign = if minutes_east > 0 { '+' } else { '-' };
    let minutes = minutes_east.abs();
    format!("UTC{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

/// The current time; in the browser it comes from JavaScript's clock because
/// `SystemTime` is unavailable in WASM.
pub fn now() -> DateTime<Utc> {
    #[cfg(feature = "hydrate")]
    {
        let millis = js_sys::Date::now() as i64;
        DateTime::from_timestamp_millis(millis).unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        Utc::now()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 25, h, m, s).unwrap()
    }

    #[test]
    fn ages_read_like_kubectl() {
        assert_eq!(age(at(10, 0, 0), at(10, 0, 42)), "42s");
        assert_eq!(age(at(10, 0, 0), at(10, 5, 30)), "5m");
        assert_eq!(age(at(7, 0, 0), at(10, 0, 0)), "3h");
        let three_days_later = at(10, 0, 0) + chrono::Duration::days(3);
        assert_eq!(age(at(10, 0, 0), three_days_later), "3d");
    }

    #[test]
    fn clock_skew_never_shows_negative_ages() {
        assert_eq!(age(at(10, 0, 5), at(10, 0, 0)), "0s");
    }

    #[test]
    fn ages_read_in_the_readers_language() {
        use crate::i18n::{Locale, in_locale};
        let ages = || {
            [
                age(at(10, 0, 0), at(10, 0, 42)),
                age(at(10, 0, 0), at(10, 5, 30)),
                age(at(7, 0, 0), at(10, 0, 0)),
                age(at(10, 0, 0), at(10, 0, 0) + chrono::Duration::days(3)),
            ]
        };
        assert_eq!(
            in_locale(Locale::ZhCn, ages),
            ["42 秒", "5 分钟", "3 小时", "3 天"]
        );
        assert_eq!(in_locale(Locale::En, ages), ["42s", "5m", "3h", "3d"]);
    }

    #[test]
    fn zones_are_named_by_their_offset() {
        assert_eq!(zone_name(0), "UTC");
        assert_eq!(zone_name(8 * 60), "UTC+08:00");
        assert_eq!(zone_name(-(3 * 60 + 30)), "UTC-03:30");
    }

    #[test]
    fn clock_is_utc_seconds() {
        assert_eq!(clock(at(9, 5, 7)), "09:05:07 UTC");
    }

    #[test]
    fn moment_is_the_utc_date_and_minute() {
        assert_eq!(moment(at(9, 5, 7)), "2026-11-25 09:05 UTC");
        let new_year = Utc.with_ymd_and_hms(2027, 1, 2, 23, 59, 59).unwrap();
        assert_eq!(moment(new_year), "2027-01-02 23:59 UTC");
    }
}
