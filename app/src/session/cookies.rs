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
    /// The keys from the current secret: everything is sealed and signed with these.
    current: Keys,
    /// The keys from the secret before a rotation (`--session-previous-key-file`): still
    /// read, so nobody is signed out by the rotation; a cookie sealed with them is sealed
    /// again with the current key on its next request.
    previous: Option<Keys>,
    /// The absolute lifetime of a sign-in.
    ttl: Duration,
    /// How long a sign-in lasts without a request (never past `ttl`).
    idle: Duration,
    always_secure: bool,
    /// From the same secrets, for credential fingerprints: every console that shares the
    /// session key recognises the others' marks.
    fingerprints: FingerprintKey,
}

/// What one secret gives.
struct Keys {
    cookie: Key,
    /// For anti-forgery tokens: any replica checks any page's token.
    anti_forgery: [u8; 32],
}

impl Keys {
    fn derive(secret: &[u8]) -> anyhow::Result<Self> {
        if secret.len() < 32 {
            bail!(
                "the secret has {} bytes and needs at least 32; make one with \
                 `head -c 64 /dev/urandom > FILE`",
                secret.len()
            );
        }
        Ok(Self {
            cookie: Key::derive_from(secret),
            anti_forgery: derive(secret, b"registry-console anti-forgery tokens v1"),
        })
    }
}

/// A session read from a request's cookie.
#[derive(Clone, Debug)]
pub struct Opened {
    pub session: Session,
    /// Whether the response should carry the cookie sealed again: its last-active time is
    /// over a minute old, or it was sealed with the previous key.
    pub reseal: bool,
}

/// How stale a cookie's last-active time may get before a response refreshes it: the
/// idle timeout is this precise, and a page's bursts of requests reseal it once.
const RESEAL_AFTER: chrono::Duration = chrono::Duration::seconds(60);

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
    /// The last request's time (seconds): the idle timeout counts from it.
    #[serde(rename = "a")]
    active_at: i64,
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

    /// Derives the cookie key from a secret of at least 32 bytes. Sessions then last `ttl`
    /// whatever their idleness, until [`Sessions::with_idle_timeout`].
    pub fn from_secret(secret: &[u8], ttl: Duration, always_secure: bool) -> anyhow::Result<Self> {
        Ok(Self {
            current: Keys::derive(secret)?,
            previous: None,
            ttl,
            idle: ttl,
            always_secure,
            fingerprints: FingerprintKey::derive(secret),
        })
    }

    /// Ends sessions that have made no request for `idle` (at most the lifetime).
    pub fn with_idle_timeout(mut self, idle: Duration) -> Self {
        self.idle = idle.min(self.ttl);
        self
    }

    /// Also reads cookies and anti-forgery tokens made with the secret in `path`, the one
    /// before a rotation. A session sealed with it is sealed again with the current key on
    /// its next request; one idle timeout after the rotation no cookie of the old key can
    /// still open, so the flag can then be dropped.
    pub fn with_previous_key_file(mut self, path: &Path) -> anyhow::Result<Self> {
        let secret = std::fs::read(path).with_context(|| {
            format!(
                "cannot read the previous session key file {}",
                path.display()
            )
        })?;
        self.previous = Some(
            Keys::derive(&secret)
                .with_context(|| format!("previous session key file {}", path.display()))?,
        );
        self.fingerprints = self.fingerprints.with_previous(&secret);
        Ok(self)
    }

    /// The key of the credential fingerprints (`cluster::fingerprint`).
    pub fn fingerprint_key(&self) -> &FingerprintKey {
        &self.fingerprints
    }

    /// How long a session lasts without a request.
    pub fn idle_timeout(&self) -> Duration {
        self.idle
    }

    /// A new session for `user`, lasting the configured time from `now`.
    pub fn start(&self, user: String, token: Token, now: DateTime<Utc>) -> Session {
        let ttl = chrono::Duration::from_std(self.ttl).unwrap_or(chrono::Duration::hours(8));
        Session {
            user,
            token,
            id: random_id(),
            expires_at: now + ttl,
            active_at: now,
        }
    }

    /// When `session` ends if it makes no further request: its idle timeout or its
    /// absolute end, whichever comes first.
    pub fn ends_at(&self, session: &Session) -> DateTime<Utc> {
        let idle = chrono::Duration::from_std(self.idle).unwrap_or(chrono::Duration::hours(1));
        session.expires_at.min(session.active_at + idle)
    }

    /// The anti-forgery token of pages bound to `binding`: an HMAC only this console's key
    /// makes, so a page of another site can neither read nor compute it.
    pub fn anti_forgery_token(&self, binding: &Binding) -> String {
        hex(&anti_forgery_mac(&self.current, binding)
            .finalize()
            .into_bytes())
    }

    /// Whether `given` is the anti-forgery token of `binding` under the current key or the
    /// previous one (a page rendered before the rotation), compared in constant time.
    pub fn anti_forgery_holds(&self, binding: &Binding, given: &str) -> bool {
        unhex(given).is_some_and(|tag| {
            self.keys()
                .any(|keys| anti_forgery_mac(keys, binding).verify_slice(&tag).is_ok())
        })
    }

    /// The current keys, then the previous ones.
    fn keys(&self) -> impl Iterator<Item = &Keys> {
        std::iter::once(&self.current).chain(&self.previous)
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

    /// The session cookie's name for `request` (with `__Host-` under TLS).
    pub fn session_cookie_name(&self, request: &HeaderMap) -> &'static str {
        if self.secure(request) {
            SECURE_COOKIE_NAME
        } else {
            COOKIE_NAME
        }
    }

    /// The `Set-Cookie` value carrying `session`, sealed with the current key. The browser
    /// keeps it until the session would end idle.
    pub fn seal(&self, session: &Session, request: &HeaderMap) -> HeaderValue {
        let sealed = Sealed {
            user: session.user.clone(),
            token: session.token.expose().to_owned(),
            expires_at: session.expires_at.timestamp(),
            id: session.id.clone(),
            active_at: session.active_at.timestamp(),
        };
        let value = serde_json::to_string(&sealed).expect("a session serializes");
        let max_age = (self.ends_at(session) - Utc::now()).num_seconds().max(0);
        let cookie = Cookie::build((self.session_cookie_name(request), value))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Strict)
            .secure(self.secure(request))
            .max_age(cookie::time::Duration::seconds(max_age))
            .build();
        let mut jar = CookieJar::new();
        jar.private_mut(&self.current.cookie).add(cookie);
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

    /// The session in the request's cookies, if one is there, intact, sealed with the
    /// current or the previous key, neither past its lifetime nor idle too long. (Whether
    /// it was signed out is the revocation list's to say: `session::revocations`.)
    pub fn open(&self, request: &HeaderMap, now: DateTime<Utc>) -> Option<Opened> {
        let name = self.session_cookie_name(request);
        let mut jar = CookieJar::new();
        for cookie in cookies(request).filter(|cookie| cookie.name() == name) {
            jar.add_original(cookie);
        }
        let (cookie, old_key) = self
            .keys()
            .enumerate()
            .find_map(|(i, keys)| Some((jar.private(&keys.cookie).get(name)?, i > 0)))?;
        let sealed: Sealed = serde_json::from_str(cookie.value()).ok()?;
        let session = Session {
            user: sealed.user,
            token: Token::new(sealed.token),
            id: sealed.id,
            expires_at: DateTime::from_timestamp(sealed.expires_at, 0)?,
            active_at: DateTime::from_timestamp(sealed.active_at, 0)?,
        };
        let live = self.ends_at(&session) > now && !session.id.is_empty();
        live.then(|| Opened {
            reseal: old_key || now - session.active_at >= RESEAL_AFTER,
            session,
        })
    }

    /// Whether `request` reached the console over TLS (as this console judges it).
    pub fn secure(&self, request: &HeaderMap) -> bool {
        over_tls(request, self.always_secure)
    }
}

fn anti_forgery_mac(keys: &Keys, binding: &Binding) -> Hmac<Sha256> {
    let (kind, value) = match binding {
        Binding::Session(id) => ("session", id),
        Binding::Browser(value) => ("browser", value),
    };
    let mut mac =
        Hmac::<Sha256>::new_from_slice(&keys.anti_forgery).expect("HMAC takes any key length");
    for part in [kind.as_bytes(), value.as_bytes()] {
        // Each part with its length, so no two bindings hash the same text.
        mac.update(&(part.len() as u64).to_be_bytes());
        mac.update(part);
    }
    mac
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
        let opened = sessions
            .open(&request_with(&cookie), Utc::now())
            .unwrap()
            .session;
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
        assert_eq!(
            sessions.open(&request, Utc::now()).unwrap().session.id,
            session.id
        );

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
        let opened = sessions
            .open(&request_with(&cookie), Utc::now())
            .unwrap()
            .session;
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
                .session
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

    #[test]
    fn an_idle_session_ends_before_its_lifetime_and_a_fresh_one_is_resealed_only_after_a_minute() {
        let sessions = sessions().with_idle_timeout(Duration::from_secs(600));
        let start = Utc::now();
        let session = sessions.start("admin".into(), Token::new("t"), start);
        let cookie = sessions.seal(&session, &HeaderMap::new());
        // The browser drops it when it would end idle (the time is kept to the second).
        let text = cookie.to_str().unwrap();
        assert!(
            text.contains("Max-Age=600") || text.contains("Max-Age=599"),
            "{text}"
        );
        let request = request_with(&cookie);
        let at = |seconds| start + chrono::Duration::seconds(seconds);
        assert!(!sessions.open(&request, at(10)).unwrap().reseal);
        assert!(sessions.open(&request, at(61)).unwrap().reseal);
        assert!(sessions.open(&request, at(599)).is_some());
        assert!(sessions.open(&request, at(601)).is_none(), "idle too long");

        // Each request that reseals moves the idle end, never past the lifetime (1 h).
        let mut touched = session.clone();
        touched.active_at = at(590);
        let resealed = request_with(&sessions.seal(&touched, &HeaderMap::new()));
        assert!(sessions.open(&resealed, at(1100)).is_some());
        touched.active_at = at(3500);
        let late = request_with(&sessions.seal(&touched, &HeaderMap::new()));
        assert!(sessions.open(&late, at(3599)).is_some());
        assert!(
            sessions.open(&late, at(3601)).is_none(),
            "past the lifetime"
        );
    }

    #[test]
    fn an_idle_timeout_longer_than_the_lifetime_is_the_lifetime() {
        let sessions = sessions().with_idle_timeout(Duration::from_secs(86_400));
        assert_eq!(sessions.idle_timeout(), Duration::from_secs(3600));
    }

    #[test]
    fn after_a_key_rotation_old_cookies_and_tokens_still_open_and_are_resealed_with_the_new_key() {
        let dir = tempfile::tempdir().unwrap();
        let old_file = dir.path().join("old.key");
        std::fs::write(&old_file, SECRET).unwrap();
        let old = sessions();
        let session = old.start("admin".into(), Token::new("t"), Utc::now());
        let old_cookie = request_with(&old.seal(&session, &HeaderMap::new()));
        let binding = Binding::Session(session.id.clone());
        let old_token = old.anti_forgery_token(&binding);

        let rotated = Sessions::from_secret(&[9u8; 64], Duration::from_secs(3600), false)
            .unwrap()
            .with_previous_key_file(&old_file)
            .unwrap();
        let opened = rotated.open(&old_cookie, Utc::now()).unwrap();
        assert_eq!(opened.session.id, session.id);
        assert!(opened.reseal, "sealed with the old key: reseal it");
        assert!(rotated.anti_forgery_holds(&binding, &old_token));
        // What the rotated console seals is read without the old key, not by the old one.
        let new_cookie = request_with(&rotated.seal(&opened.session, &HeaderMap::new()));
        let without_old =
            Sessions::from_secret(&[9u8; 64], Duration::from_secs(3600), false).unwrap();
        let reopened = without_old.open(&new_cookie, Utc::now()).unwrap();
        assert!(!reopened.reseal);
        assert!(old.open(&new_cookie, Utc::now()).is_none());
        // Without the previous key, the old cookie is nobody's.
        assert!(without_old.open(&old_cookie, Utc::now()).is_none());
        assert!(!without_old.anti_forgery_holds(&binding, &old_token));
    }

    #[test]
    fn a_previous_key_file_that_is_missing_or_short_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let missing = sessions()
            .with_previous_key_file(&dir.path().join("gone.key"))
            .err()
            .unwrap();
        assert!(
            format!("{missing:#}").contains("cannot read the previous session key file"),
            "{missing:#}"
        );
        let short = dir.path().join("short.key");
        std::fs::write(&short, b"x").unwrap();
        let refused = sessions().with_previous_key_file(&short).err().unwrap();
        assert!(
            format!("{refused:#}").contains("at least 32"),
            "{refused:#}"
        );
    }
}
