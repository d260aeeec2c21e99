//! Kubernetes resource quantities (`100Gi`, `250m`, `1.5G`, `2e3`): the shapes the API
//! accepts, as numbers the rules can compare. The browser and the server judge claim
//! sizes and container resources with the same parser.

use crate::validation::Message;

/// The value of a quantity in its base unit (bytes, cores), or `None` when the API would
/// refuse the text.
pub fn parse_quantity(text: &str) -> Option<f64> {
    let text = text.trim();
    let digits_end = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-'))
        .unwrap_or(text.len());
    let (number, suffix) = text.split_at(digits_end);
    let unsigned = number.strip_prefix(['+', '-']).unwrap_or(number);
    if unsigned.is_empty()
        || unsigned.contains(['+', '-'])
        || unsigned.matches('.').count() > 1
        || unsigned == "."
    {
        return None;
    }
    let value: f64 = number.parse().ok()?;
    let factor = match suffix {
        "" => 1.0,
        "n" => 1e-9,
        "u" => 1e-6,
        "m" => 1e-3,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "E" => 1e18,
        "Ki" => 1024.0,
        "Mi" => 1024f64.powi(2),
        "Gi" => 1024f64.powi(3),
        "Ti" => 1024f64.powi(4),
        "Pi" => 1024f64.powi(5),
        "Ei" => 1024f64.powi(6),
        exponent => {
            let power = exponent.strip_prefix(['e', 'E'])?;
            let digits = power.strip_prefix(['+', '-']).unwrap_or(power);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            10f64.powi(power.parse().ok()?)
        }
    };
    Some(value * factor)
}

/// Bytes in a storage quantity; `None` for text the API would refuse or a negative size.
pub fn quantity_bytes(text: &str) -> Option<u64> {
    parse_quantity(text)
        .filter(|v| *v >= 0.0)
        .map(|v| v.round() as u64)
}

/// Why a quantity is refused, for a form's message; `None` when it is valid.
pub fn quantity_problem(text: &str) -> Option<Message> {
    match parse_quantity(text) {
        None => Some(Message::NotQuantity {
            text: text.trim().into(),
        }),
        Some(v) if v < 0.0 => Some(Message::NegativeQuantity {
            text: text.trim().into(),
        }),
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_in_every_suffix_family() {
        let cases: &[(&str, Option<f64>)] = &[
            ("100Gi", Some(100.0 * 1024f64.powi(3))),
            ("500M", Some(5e8)),
            ("1.5G", Some(1.5e9)),
            ("250m", Some(0.25)),
            ("2", Some(2.0)),
            ("2e3", Some(2000.0)),
            ("1E-3", Some(0.001)),
            ("+1Ki", Some(1024.0)),
            ("-1", Some(-1.0)),
            (" 10Mi ", Some(10.0 * 1024f64.powi(2))),
            ("", None),
            ("Gi", None),
            ("10GB", None),
            ("10 Gi", None),
            ("1.2.3", None),
            ("10gi", None),
            ("1e", None),
            ("1e1.5", None),
            (".", None),
        ];
        for (text, want) in cases {
            let got = parse_quantity(text);
            match (got, want) {
                (Some(g), Some(w)) => assert!((g - w).abs() < 1e-9 * w.abs().max(1.0), "{text}"),
                (g, w) => assert_eq!(g, *w, "{text}"),
            }
        }
    }

    #[test]
    fn sizes_and_messages() {
        assert_eq!(quantity_bytes("1Ki"), Some(1024));
        assert_eq!(quantity_bytes("-1Ki"), None);
        assert_eq!(quantity_bytes("lots"), None);
        assert!(
            quantity_problem("100 GB")
                .unwrap()
                .to_string()
                .contains("not a quantity")
        );
        assert!(
            quantity_problem("-5Gi")
                .unwrap()
                .to_string()
                .contains("negative")
        );
        assert_eq!(quantity_problem("100Gi"), None);
    }
}
