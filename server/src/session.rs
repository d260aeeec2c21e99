//! Session cookies: the signed-in user's name and token, encrypted and authenticated
//! (AES-256-GCM through `cookie`'s private jar), so any replica holding the same key can
//! read them and no script in the page can.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, bail};
use app::backend::{Session, Token};
use chrono::{DateTime, Utc};
use cookie::{Cookie, CookieJar, Key, SameSite};
use http::{HeaderMap, HeaderValue, header};
use serde::{Deserialize, Serialize};

use crate::cluster::fingerprint::FingerprintKey;

/// The cookie's name.
pub const COOKIE_NAME: &str = "registry_console_session";

/// Seals sessions into cookies and opens them again.
pub struct Sessions {
    key: Key,
    /// From the same secret, for credential fingerprints: every console that shares the
    /// session key recognises the others' marks.
    fingerprints: FingerprintKey,
    ttl: Duration,
    always_secure: bool,
}

/// What the cookie holds, before encryption.
#[derive(Serialize, Deserialize)]
struct Sealed {
    #[serde(rename = "u")]
    user: String,
    #[serde(rename = "t")]
    token: String,
    #[serde(rename = "e")]
    expires_at: i64,
}

impl Sessions {
    /// Uses the secret in `path`, creating one (64 random bytes, mode 0600) if missing.
    pub fn from_key_file(path: &Path, ttl: Duration, always_secure: bool) -> anyhow::Result<Self> {
        let secret = match std::fs::read(path) {
            Ok(secret) => secret,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => create_key_file(path)?,
            Err(error) => {
                return Err(error).with_context(|| {
                    format!("cannot read the session key file {}", path.display())
                });
            }
        };
        Self::from_secret(&secret, ttl, always_secure)
            .with_context(|| format!("session key file {}", path.display()))
    }

    /// Derives the cookie key from a secret of at least 32 bytes.
    pub fn from_secret(secret: &[u8], ttl: Duration, always_secure: bool) -> anyhow::Result<Self> {
        if secret.len() < 32 {
            bail!(
                "the secret has {} bytes and needs at least 32; make one with \
                 `head -c 64 /dev/urandom > FILE`",
                secret.len()
            );
        }
        Ok(Self {
            key: Key::derive_from(secret),
            fingerprints: FingerprintKey::derive(secret),
            ttl,
            always_secure,
        })
    }

    /// The key of the credential fingerprints (`cluster::fingerprint`).
    pub fn fingerprint_key(&self) -> &FingerprintKey {
        &self.fingerprints
    }

    /// A new session for `user`, lasting the configured time from `now`.
    pub fn start(&self, user: String, token: Token, now: DateTime<Utc>) -> Session {
        let ttl = chrono::Duration::from_std(self.ttl).unwrap_or(chrono::Duration::hours(8));
        Session {
            user,
            token,
            expires_at: now + ttl,
        }
    }

    /// The `Set-Cookie` value carrying `session`.
    pub fn seal(&self, session: &Session, request: &HeaderMap) -> HeaderValue {
        let sealed = Sealed {
            user: session.user.clone(),
            token: session.token.expose().to_owned(),
            expires_at: session.expires_at.timestamp(),
        };
        let value = serde_json::to_string(&sealed).expect("a session serializes");
        let max_age = (session.expires_at - Utc::now()).num_seconds().max(0);
        let cookie = Cookie::build((COOKIE_NAME, value))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Strict)
            .secure(self.secure(request))
            .max_age(cookie::time::Duration::seconds(max_age))
            .build();
        let mut jar = CookieJar::new();
        jar.private_mut(&self.key).add(cookie);
        let sealed = jar
            .delta()
            .next()
            .expect("the jar holds the cookie")
            .to_string();
        HeaderValue::from_str(&sealed).expect("an encrypted cookie is a valid header")
    }

    /// The `Set-Cookie` value that removes the session cookie.
    pub fn removal(&self, request: &HeaderMap) -> HeaderValue {
        let cookie = Cookie::build((COOKIE_NAME, ""))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Strict)
            .secure(self.secure(request))
            .max_age(cookie::time::Duration::ZERO)
            .build();
        HeaderValue::from_str(&cookie.to_string()).expect("a removal cookie is a valid header")
    }

    /// The session in the request's cookies, if one is there, intact and unexpired.
    pub fn open(&self, request: &HeaderMap, now: DateTime<Utc>) -> Option<Session> {
        let mut jar = CookieJar::new();
        for value in request.get_all(header::COOKIE) {
            let Ok(value) = value.to_str() else { continue };
            for cookie in Cookie::split_parse(value.to_owned()).flatten() {
                if cookie.name() == COOKIE_NAME {
                    jar.add_original(cookie);
                }
            }
        }
        let cookie = jar.private(&self.key).get(COOKIE_NAME)?;
        let sealed: Sealed = serde_json::from_str(cookie.value()).ok()?;
        let expires_at = DateTime::from_timestamp(sealed.expires_at, 0)?;
        (expires_at > now).then(|| Session {
            user: sealed.user,
            token: Token::new(sealed.token),
            expires_at,
        })
    }

    fn secure(&self, request: &HeaderMap) -> bool {
        self.always_secure
            || request
                .get("x-forwarded-proto")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|proto| proto.eq_ignore_ascii_case("https"))
    }
}

fn create_key_file(path: &Path) -> anyhow::Result<Vec<u8>> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create directory {}", dir.display()))?;
    }
    let secret: [u8; 64] = rand::random();
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("cannot create the session key file {}", path.display()))?;
    file.write_all(&secret)
        .and_then(|()| file.sync_all())
        .with_context(|| format!("cannot write the session key file {}", path.display()))?;
    Ok(secret.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef-test-secret";

    fn sessions() -> Sessions {
        Sessions::from_secret(SECRET, Duration::from_secs(3600), false).unwrap()
    }

    fn request_with(set_cookie: &HeaderValue) -> HeaderMap {
        let pair = set_cookie
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("other=1; {pair}")).unwrap(),
        );
        headers
    }

    #[test]
    fn a_sealed_session_opens_again_with_the_same_key() {
        let sessions = sessions();
        let session = sessions.start("admin".into(), Token::new("sha256~abc"), Utc::now());
        let cookie = sessions.seal(&session, &HeaderMap::new());
        let opened = sessions.open(&request_with(&cookie), Utc::now()).unwrap();
        assert_eq!(opened.user, "admin");
        assert_eq!(opened.token.expose(), "sha256~abc");
    }

    #[test]
    fn the_cookie_hides_the_token_and_is_out_of_scripts_reach() {
        let sessions = sessions();
        let session = sessions.start("admin".into(), Token::new("sha256~abc"), Utc::now());
        let cookie = sessions.seal(&session, &HeaderMap::new());
        let text = cookie.to_str().unwrap();
        assert!(!text.contains("sha256~abc"), "{text}");
        assert!(!text.contains("admin"), "{text}");
        assert!(text.contains("HttpOnly"));
        assert!(text.contains("SameSite=Strict"));
        assert!(!text.contains("Secure"));
    }

    #[test]
    fn cookies_are_secure_behind_tls() {
        let sessions = sessions();
        let session = sessions.start("admin".into(), Token::new("t"), Utc::now());
        let mut request = HeaderMap::new();
        request.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        assert!(
            sessions
                .seal(&session, &request)
                .to_str()
                .unwrap()
                .contains("Secure")
        );
        let always = Sessions::from_secret(SECRET, Duration::from_secs(60), true).unwrap();
        assert!(
            always
                .seal(&session, &HeaderMap::new())
                .to_str()
                .unwrap()
                .contains("Secure")
        );
    }

    #[test]
    fn another_key_cannot_open_the_cookie() {
        let session = sessions().start("admin".into(), Token::new("t"), Utc::now());
        let cookie = sessions().seal(&session, &HeaderMap::new());
        let other = Sessions::from_secret(&[7u8; 64], Duration::from_secs(60), false).unwrap();
        assert!(other.open(&request_with(&cookie), Utc::now()).is_none());
    }

    #[test]
    fn a_tampered_cookie_is_ignored() {
        let sessions = sessions();
        let session = sessions.start("admin".into(), Token::new("t"), Utc::now());
        let cookie = sessions.seal(&session, &HeaderMap::new());
        let text = cookie.to_str().unwrap();
        let flipped = text.replacen('A', "B", 1).replacen('=', "=x", 1);
        let tampered = HeaderValue::from_str(&flipped).unwrap();
        assert!(
            sessions
                .open(&request_with(&tampered), Utc::now())
                .is_none()
        );
    }

    #[test]
    fn an_expired_session_is_not_a_session() {
        let sessions = sessions();
        let session = sessions.start("admin".into(), Token::new("t"), Utc::now());
        let cookie = sessions.seal(&session, &HeaderMap::new());
        let later = Utc::now() + chrono::Duration::hours(2);
        assert!(sessions.open(&request_with(&cookie), later).is_none());
    }

    #[test]
    fn sign_out_expires_the_cookie() {
        let removal = sessions().removal(&HeaderMap::new());
        assert!(removal.to_str().unwrap().contains("Max-Age=0"));
    }

    #[test]
    fn a_missing_key_file_is_created_private_and_reused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state/session.key");
        let first = Sessions::from_key_file(&path, Duration::from_secs(60), false).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let session = first.start("viewer".into(), Token::new("t"), Utc::now());
        let cookie = first.seal(&session, &HeaderMap::new());
        // A restart (or another replica) with the same file reads the same sessions.
        let second = Sessions::from_key_file(&path, Duration::from_secs(60), false).unwrap();
        assert_eq!(
            second
                .open(&request_with(&cookie), Utc::now())
                .unwrap()
                .user,
            "viewer"
        );
    }

    #[test]
    fn a_short_key_file_is_refused_with_a_fix() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("short.key");
        std::fs::write(&path, b"short").unwrap();
        let error = Sessions::from_key_file(&path, Duration::from_secs(60), false)
            .err()
            .unwrap();
        let message = format!("{error:#}");
        assert!(message.contains("at least 32"), "{message}");
        assert!(message.contains("short.key"), "{message}");
    }
}
