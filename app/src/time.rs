//! Ages and clock times as the overview shows them. Both take `now` so that the server,
//! the browser and the tests agree on what they print.

use chrono::{DateTime, Utc};

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

/// `HH:MM:SS UTC`, the form of "stale since".
pub fn clock(at: DateTime<Utc>) -> String {
    at.format("%H:%M:%S UTC").to_string()
}

/// `YYYY-MM-DD HH:MM UTC`, for when something last changed.
pub fn moment(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
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
}
