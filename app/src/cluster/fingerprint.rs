//! When the console wrote each credential key, and whether the value is still the one it
//! wrote, without keeping anything a reader could use to guess the value.
//!
//! The console writes an annotation per key: `v1 <time> <salt> <tag>`, where the tag is an
//! HMAC-SHA256, under a key only the console holds (derived from its session key), of the
//! version, the key's name, the time, the salt and the value: a mark moved to another key
//! or given another time no longer verifies. `oc describe` and must-gather show annotations but not data; with a
//! plain hash there, a weak password could be guessed offline, with a keyed one it cannot.

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The annotation prefix; the key's name follows it.
pub const PREFIX: &str = "registry-console.io/changed-";

const VERSION: &str = "v1";
/// Half of the SHA-256 output: plenty to tell a change, and a short annotation.
const TAG_BYTES: usize = 16;

/// The console's key for credential fingerprints, and the one before it while session
/// keys rotate (marks it made still verify; new marks use the current one).
#[derive(Clone)]
pub struct FingerprintKey {
    current: [u8; 32],
    previous: Option<[u8; 32]>,
}

impl FingerprintKey {
    /// Derives the key from the console's session secret, for this one purpose.
    pub fn derive(secret: &[u8]) -> Self {
        Self {
            current: derive(secret),
            previous: None,
        }
    }

    /// Also verifies marks made under the previous session secret.
    pub fn with_previous(mut self, secret: &[u8]) -> Self {
        self.previous = Some(derive(secret));
        self
    }

    /// The annotation value that records a console write of `value` to `name` at `at`.
    pub fn mark(&self, name: &str, value: &[u8], at: DateTime<Utc>) -> String {
        let salt: [u8; 16] = rand::random();
        let time = at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let tag = mac(&self.current, name, &time, &salt, value)
            .finalize()
            .into_bytes();
        format!("{VERSION} {time} {} {}", hex(&salt), hex(&tag[..TAG_BYTES]))
    }

    /// The time of a console write to `name`, if `value` is still the one it wrote.
    pub fn written_at(&self, name: &str, mark: &str, value: &[u8]) -> Option<DateTime<Utc>> {
        let mut parts = mark.split(' ');
        let (version, time, salt, tag) =
            (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
        if version != VERSION || parts.next().is_some() {
            return None;
        }
        let (salt, tag) = (unhex(salt)?, unhex(tag)?);
        // Compared in constant time, under each key the console holds.
        std::iter::once(&self.current)
            .chain(&self.previous)
            .find(|key| {
                mac(key, name, time, &salt, value)
                    .verify_truncated_left(&tag)
                    .is_ok()
            })?;
        DateTime::parse_from_rfc3339(time)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    }
}

fn derive(secret: &[u8]) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(b"registry-console credential fingerprints v1");
    mac.finalize().into_bytes().into()
}

fn mac(key: &[u8; 32], name: &str, time: &str, salt: &[u8], value: &[u8]) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    for part in [VERSION.as_bytes(), name.as_bytes(), time.as_bytes(), salt] {
        // Each part with its length, so no two different marks hash the same text.
        mac.update(&(part.len() as u64).to_be_bytes());
        mac.update(part);
    }
    mac.update(value);
    mac
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn unhex(text: &str) -> Option<Vec<u8>> {
    text.len().is_multiple_of(2).then_some(())?;
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
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
        let name = "REGISTRY_STORAGE_S3_SECRETKEY";
        let mark = key.mark(name, b"hunter2", at);
        assert!(mark.starts_with("v1 2026-11-25T23:40:00Z "), "{mark}");
        assert_eq!(key.written_at(name, &mark, b"hunter2"), Some(at));
        assert_eq!(key.written_at(name, &mark, b"hunter3"), None);
        // Another console (another key) cannot confirm a guess.
        let other = FingerprintKey::derive(b"another secret, another console.");
        assert_eq!(other.written_at(name, &mark, b"hunter2"), None);
        // A mark copied to another key, or with its time changed, does not verify.
        assert_eq!(
            key.written_at("REGISTRY_STORAGE_S3_ACCESSKEY", &mark, b"hunter2"),
            None
        );
        let moved = mark.replace("23:40:00", "23:41:00");
        assert_eq!(key.written_at(name, &moved, b"hunter2"), None);
        // Nor can anyone with a plain hash of a guess.
        let salt = mark.split(' ').nth(2).unwrap();
        let plain = hex(&Sha256::new()
            .chain_update(salt.as_bytes())
            .chain_update(b"hunter2")
            .finalize()[..16]);
        assert!(!mark.contains(&plain) && !mark.contains("hunter2"));
        for garbage in ["garbage", "v1 x y z", "v2 2026-11-25T23:40:00Z 00 00", ""] {
            assert_eq!(key.written_at(name, garbage, b"hunter2"), None, "{garbage}");
        }
    }

    #[test]
    fn after_a_key_rotation_old_marks_still_verify_and_new_ones_use_the_new_key() {
        let at = Utc::now();
        let old = FingerprintKey::derive(b"the secret before the rotation..");
        let mark = old.mark("KEY", b"value", at);
        let rotated = FingerprintKey::derive(b"the secret after the rotation...")
            .with_previous(b"the secret before the rotation..");
        assert!(rotated.written_at("KEY", &mark, b"value").is_some());
        let new_mark = rotated.mark("KEY", b"value", at);
        assert!(old.written_at("KEY", &new_mark, b"value").is_none());
    }
}
