//! Session cookies: the signed-in user's name and token, encrypted and authenticated
//! (AES-256-GCM through `cookie`'s private jar), so any replica holding the same key can
//! read them and no script in the page can; and the anti-forgery token that binds a page
//! to its session (or, before sign-in, to its browser's cookie).

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::time::Duration;

use crate::session::{Session, Token};
use anyhow::{Context, bail};
use chrono::{DateTime, Utc};
use cookie::{Cookie, CookieJar, Key, SameSite};
use http::{HeaderMap, HeaderValue, header};
use serde::{Deserialize, Serialize};

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::cluster::fingerprint::{FingerprintKey, hex, unhex};

/// The session cookie's name over plain HTTP.
pub const COOKIE_NAME: &str = "registry_console_session";
/// Its name under TLS: `__Host-` makes the browser refuse it from a sibling host or with
/// a `Domain`, so no other site of the same domain can plant one.
pub const SECURE_COOKIE_NAME: &str = "__Host-registry_console_session";
/// The browser cookie that binds the sign-in page's anti-forgery token before a session
/// exists (its `__Host-` twin under TLS). It holds a random value and nothing else.
pub const BROWSER_COOKIE_NAME: &str = "registry_console_browser";
pub const SECURE_BROWSER_COOKIE_NAME: &str = "__Host-registry_console_browser";

/// Seals sessions into cookies and opens them again.
pub struct Sessions {
    key: Key,
    /// From the same secret, for credential fingerprints: every console that shares the
    /// session key recognises the others' marks.
    fingerprints: FingerprintKey,
    /// From the same secret, for anti-forgery tokens: any replica checks any page's token.
    anti_forgery: [u8; 32],
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
    #[serde(rename = "i")]
    id: String,
}

/// What a page's anti-forgery token is bound to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Binding {
    /// The signed-in session (its random id, sealed in the session cookie).
    Session(String),
    /// Before sign-in: the browser cookie's random value.
    Browser(String),
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
            anti_forgery: derive(secret, b"registry-console anti-forgery tokens v1"),
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
            id: random_id(),
            expires_at: now + ttl,
        }
    }

    /// The anti-forgery token of pages bound to `binding`: an HMAC only this console's key
    /// makes, so a page of another site can neither read nor compute it.
    pub fn anti_forgery_token(&self, binding: &Binding) -> String {
        hex(&self.anti_forgery_mac(binding).finalize().into_bytes())
    }

    /// Whether `given` is the anti-forgery token of `binding`, compared in constant time.
    pub fn anti_forgery_holds(&self, binding: &Binding, given: &str) -> bool {
        unhex(given).is_some_and(|tag| self.anti_forgery_mac(binding).verify_slice(&tag).is_ok())
    }

    fn anti_forgery_mac(&self, binding: &Binding) -> Hmac<Sha256> {
        let (kind, value) = match binding {
            Binding::Session(id) => ("session", id),
            Binding::Browser(value) => ("browser", value),
        };
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.anti_forgery).expect("HMAC takes any key length");
        for part in [kind.as_bytes(), value.as_bytes()] {
            // Each part with its length, so no two bindings hash the same text.
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part);
        }
        mac
    }

    /// The browser cookie's value in the request, if it has one.
    pub fn browser_cookie(&self, request: &HeaderMap) -> Option<String> {
        let name = self.browser_cookie_name(request);
        cookies(request)
            .find(|cookie| cookie.name() == name)
            .map(|cookie| cookie.value().to_owned())
            .filter(|value| value.len() == 32 && value.bytes().all(|b| b.is_ascii_hexdigit()))
    }

    /// A new browser cookie: its value and the `Set-Cookie` header that plants it. It
    /// lives as long as the browser session; it is worth nothing without the console's key.
    pub fn new_browser_cookie(&self, request: &HeaderMap) -> (String, HeaderValue) {
        let value = random_id();
        let cookie = Cookie::build((self.browser_cookie_name(request), value.clone()))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Strict)
            .secure(self.secure(request))
            .build();
        let header = HeaderValue::from_str(&cookie.to_string()).expect("a hex cookie is a header");
        (value, header)
    }

    fn browser_cookie_name(&self, request: &HeaderMap) -> &'static str {
        if self.secure(request) {
            SECURE_BROWSER_COOKIE_NAME
        } else {
            BROWSER_COOKIE_NAME
        }
    }

    fn session_cookie_name(&self, request: &HeaderMap) -> &'static str {
        if self.secure(request) {
            SECURE_COOKIE_NAME
        } else {
            COOKIE_NAME
        }
    }

    /// The `Set-Cookie` value carrying `session`.
    pub fn seal(&self, session: &Session, request: &HeaderMap) -> HeaderValue {
        let sealed = Sealed {
            user: session.user.clone(),
            token: session.token.expose().to_owned(),
            expires_at: session.expires_at.timestamp(),
            id: session.id.clone(),
        };
        let value = serde_json::to_string(&sealed).expect("a session serializes");
        let max_age = (session.expires_at - Utc::now()).num_seconds().max(0);
        let cookie = Cookie::build((self.session_cookie_name(request), value))
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
        let cookie = Cookie::build((self.session_cookie_name(request), ""))
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
        let name = self.session_cookie_name(request);
        let mut jar = CookieJar::new();
        for cookie in cookies(request).filter(|cookie| cookie.name() == name) {
            jar.add_original(cookie);
        }
        let cookie = jar.private(&self.key).get(name)?;
        let sealed: Sealed = serde_json::from_str(cookie.value()).ok()?;
        let expires_at = DateTime::from_timestamp(sealed.expires_at, 0)?;
        (expires_at > now && !sealed.id.is_empty()).then(|| Session {
            user: sealed.user,
            token: Token::new(sealed.token),
            id: sealed.id,
            expires_at,
        })
    }

    /// Whether `request` reached the console over TLS (as this console judges it).
    pub fn secure(&self, request: &HeaderMap) -> bool {
        over_tls(request, self.always_secure)
    }
}

/// Whether the request reached the console over TLS: always (`--secure-cookies`), or as a
/// TLS-terminating proxy says (`X-Forwarded-Proto: https`).
pub fn over_tls(request: &HeaderMap, always: bool) -> bool {
    always
        || request
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|proto| proto.eq_ignore_ascii_case("https"))
}

/// Every cookie the request carries.
fn cookies(request: &HeaderMap) -> impl Iterator<Item = Cookie<'static>> + '_ {
    request
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| Cookie::split_parse(value.to_owned()).flatten())
}

/// 128 random bits in hex: a session id or a browser cookie's value.
fn random_id() -> String {
    hex(&rand::random::<[u8; 16]>())
}

/// A key for one purpose, derived from the console's secret.
fn derive(secret: &[u8], purpose: &[u8]) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(purpose);
    mac.finalize().into_bytes().into()
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
    fn under_tls_the_cookie_takes_the_host_prefix_and_a_planted_plain_one_is_ignored() {
        let sessions = sessions();
        let session = sessions.start("admin".into(), Token::new("t"), Utc::now());
        let mut tls = HeaderMap::new();
        tls.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        let cookie = sessions.seal(&session, &tls);
        let text = cookie.to_str().unwrap();
        assert!(
            text.starts_with("__Host-registry_console_session="),
            "{text}"
        );
        assert!(text.contains("Secure") && text.contains("Path=/"), "{text}");
        assert!(!text.contains("Domain"), "{text}");
        let mut request = request_with(&cookie);
        request.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        assert_eq!(sessions.open(&request, Utc::now()).unwrap().id, session.id);

        // The same sealed value under the plain name (as a sibling host could plant it)
        // is not read under TLS.
        let plain = sessions.seal(&session, &HeaderMap::new());
        let mut planted = request_with(&plain);
        planted.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        assert!(sessions.open(&planted, Utc::now()).is_none());
    }

    #[test]
    fn each_sign_in_gets_its_own_id_and_the_id_is_sealed() {
        let sessions = sessions();
        let first = sessions.start("admin".into(), Token::new("t"), Utc::now());
        let second = sessions.start("admin".into(), Token::new("t"), Utc::now());
        assert_ne!(first.id, second.id);
        assert_eq!(first.id.len(), 32);
        let cookie = sessions.seal(&first, &HeaderMap::new());
        assert!(!cookie.to_str().unwrap().contains(&first.id));
        let opened = sessions.open(&request_with(&cookie), Utc::now()).unwrap();
        assert_eq!(opened.id, first.id);
    }

    #[test]
    fn anti_forgery_tokens_belong_to_one_binding_and_one_key() {
        let sessions = sessions();
        let session = Binding::Session("abc".into());
        let token = sessions.anti_forgery_token(&session);
        assert!(sessions.anti_forgery_holds(&session, &token));
        assert!(!sessions.anti_forgery_holds(&Binding::Session("abd".into()), &token));
        // The same value as a browser cookie is another binding.
        assert!(!sessions.anti_forgery_holds(&Binding::Browser("abc".into()), &token));
        assert!(!sessions.anti_forgery_holds(&session, ""));
        assert!(!sessions.anti_forgery_holds(&session, &token[..10]));
        let other = Sessions::from_secret(&[7u8; 64], Duration::from_secs(60), false).unwrap();
        assert!(!other.anti_forgery_holds(&session, &token));
    }

    #[test]
    fn the_browser_cookie_is_random_private_and_read_back() {
        let sessions = sessions();
        let (value, set_cookie) = sessions.new_browser_cookie(&HeaderMap::new());
        let text = set_cookie.to_str().unwrap();
        assert!(text.starts_with("registry_console_browser="), "{text}");
        assert!(
            text.contains("HttpOnly") && text.contains("SameSite=Strict"),
            "{text}"
        );
        assert_eq!(
            sessions.browser_cookie(&request_with(&set_cookie)),
            Some(value.clone())
        );
        let (another, _) = sessions.new_browser_cookie(&HeaderMap::new());
        assert_ne!(value, another);
        // Anything but 32 hex digits is not a browser cookie of the console's.
        let mut odd = HeaderMap::new();
        odd.insert(
            header::COOKIE,
            HeaderValue::from_static("registry_console_browser=x"),
        );
        assert_eq!(sessions.browser_cookie(&odd), None);
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
