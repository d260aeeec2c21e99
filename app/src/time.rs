//! Ages and clock times as the overview shows them. Both take `now` so that the server,
//! the browser and the tests agree on what they print.

use chrono::{DateTime, Datelike, Timelike, Utc};

/// An age in kubectl's style: `42s`, `5m`, `3h`, `2d`. Times in the future read as `0s`.
pub fn age(since: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let seconds = (now - since).num_seconds().max(0);
    match seconds {
        s if s < 120 => format!("{s}s"),
        s if s < 2 * 3600 => format!("{}m", s / 60),
        s if s < 48 * 3600 => format!("{}h", s / 3600),
        s => format!("{}d", s / 86_400),
    }
}

// Both written out by hand rather than with `format("%H...")`: chrono's format strings
// bring their parser and formatter into the browser's first load (tens of kilobytes).

/// `HH:MM:SS UTC`, the form of "stale since".
pub fn clock(at: DateTime<Utc>) -> String {
    format!("{:02}:{:02}:{:02} UTC", at.hour(), at.minute(), at.second())
}

/// `YYYY-MM-DD HH:MM UTC`, for when something last changed.
pub fn moment(at: DateTime<Utc>) -> String {
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02} UTC",
        at.year(),
        at.month(),
        at.day(),
        at.hour(),
        at.minute()
    )
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
