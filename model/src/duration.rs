//! Go duration syntax (`time.ParseDuration`).
//!
//! The API server's `format: duration` also accepts `1d` or `2w`, but the operator decodes
//! with Go's parser and then fails on the whole object (`registry-api.md` §1.3), so the
//! console accepts only what Go accepts.

use thiserror::Error;

/// Why a duration string is not valid Go syntax.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum DurationError {
    #[error("a duration may not be empty")]
    Empty,
    #[error(
        "\"{0}\" is not a Go duration: use a number followed by h, m, s, ms, us or ns, as in 90m or 1h30m (days and weeks are not understood by the operator)"
    )]
    Invalid(String),
}

/// Parses a Go duration into seconds (fractional). Negative durations are refused: no
/// registry setting takes one.
pub fn parse_go_duration(input: &str) -> Result<f64, DurationError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(DurationError::Empty);
    }
    if s == "0" {
        return Ok(0.0);
    }
    let invalid = || DurationError::Invalid(input.to_string());
    let mut rest = s.strip_prefix('+').unwrap_or(s);
    let mut total = 0.0;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(invalid)?;
        if num_len == 0 {
            return Err(invalid());
        }
        let number: f64 = rest[..num_len].parse().map_err(|_| invalid())?;
        rest = &rest[num_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match &rest[..unit_len] {
            "ns" => 1e-9,
            "us" | "µs" | "μs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            _ => return Err(invalid()),
        };
        total += number * scale;
        rest = &rest[unit_len..];
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_go_syntax() {
        for (text, secs) in [
            ("60m", 3600.0),
            ("1h30m", 5400.0),
            ("1.5s", 1.5),
            ("0", 0.0),
            ("500ms", 0.5),
            ("20s", 20.0),
        ] {
            assert_eq!(parse_go_duration(text), Ok(secs), "{text}");
        }
    }

    #[test]
    fn refuses_what_go_refuses() {
        for text in ["1d", "2w", "3 days", "h", "10", "-5m", "1h-3m", "abc"] {
            assert!(parse_go_duration(text).is_err(), "{text} should be refused");
        }
        assert_eq!(parse_go_duration(""), Err(DurationError::Empty));
    }
}
