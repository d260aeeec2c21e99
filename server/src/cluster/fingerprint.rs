//! When the console wrote each credential key, and whether the value is still the one it
//! wrote, without keeping anything a reader could use to guess the value.
//!
//! The console writes an annotation per key: `<time> <salt> <tag>`, where the tag is an
//! HMAC-SHA256 of the salt and the value under a key only the console holds (derived from
//! its session key). `oc describe` and must-gather show annotations but not data; with a
//! plain hash there, a weak password could be guessed offline, with a keyed one it cannot.

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The annotation prefix; the key's name follows it.
pub const PREFIX: &str = "registry-console.io/changed-";

/// The console's key for credential fingerprints.
#[derive(Clone)]
pub struct FingerprintKey([u8; 32]);

impl FingerprintKey {
    /// Derives the key from the console's session secret, for this one purpose.
    pub fn derive(secret: &[u8]) -> Self {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
        mac.update(b"registry-console credential fingerprints v1");
        FingerprintKey(mac.finalize().into_bytes().into())
    }

    /// The annotation value that records a console write of `value` at `at`.
    pub fn mark(&self, value: &[u8], at: DateTime<Utc>) -> String {
        let salt: [u8; 16] = rand::random();
        format!(
            "{} {} {}",
            at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            hex(&salt),
            self.tag(&salt, value)
        )
    }

    /// The time of a console write, if `value` is still the one it wrote.
    pub fn written_at(&self, mark: &str, value: &[u8]) -> Option<DateTime<Utc>> {
        let mut parts = mark.split(' ');
        let (at, salt, tag) = (parts.next()?, parts.next()?, parts.next()?);
        let salt: Vec<u8> = (0..salt.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(salt.get(i..i + 2)?, 16).ok())
            .collect::<Option<_>>()?;
        (self.tag(&salt, value) == tag)
            .then(|| DateTime::parse_from_rfc3339(at).ok())
            .flatten()
            .map(|t| t.with_timezone(&Utc))
    }

    fn tag(&self, salt: &[u8], value: &[u8]) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(salt);
        mac.update(value);
        hex(&mac.finalize().into_bytes()[..16])
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::Digest;

    #[test]
    fn a_mark_tells_the_written_value_from_others_and_only_with_the_key() {
        let key = FingerprintKey::derive(b"0123456789abcdef0123456789abcdef");
        let at = DateTime::parse_from_rfc3339("2026-11-25T23:40:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let mark = key.mark(b"hunter2", at);
        assert_eq!(key.written_at(&mark, b"hunter2"), Some(at));
        assert_eq!(key.written_at(&mark, b"hunter3"), None);
        // Another console (another key) cannot confirm a guess.
        let other = FingerprintKey::derive(b"another secret, another console.");
        assert_eq!(other.written_at(&mark, b"hunter2"), None);
        // Nor can anyone with a plain hash of a guess.
        let salt = mark.split(' ').nth(1).unwrap();
        let plain = hex(&Sha256::new()
            .chain_update(salt.as_bytes())
            .chain_update(b"hunter2")
            .finalize()[..16]);
        assert!(!mark.contains(&plain));
        assert!(!mark.contains("hunter2"));
        assert_eq!(key.written_at("garbage", b"hunter2"), None);
    }
}
