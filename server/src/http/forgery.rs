//! Refuses forged requests: a change is made only from the console's own pages.
//!
//! `SameSite=Strict` cookies are not enough: every `*.apps.<cluster>` route, and every other
//! port of the same host, is the same site, so their pages' posts carry the session.
//! Every request that is not a read (anything but GET, HEAD, OPTIONS) passes three checks:
//! - **Origin.** When the browser names the page that sent it (`Origin`), that must be the
//!   console: `--public-origin`, or else the address the request was sent to. Without
//!   `Origin`, the browser's `Sec-Fetch-Site` (when sent) must say `same-origin`.
//! - **Anti-forgery token.** With a session, and on the sign-in and sign-out forms (login
//!   forgery), the request carries its page's token (`app::anti_forgery`) in a header or,
//!   for a plain form, a field. Another site can neither read the page nor compute it, so
//!   this holds where a browser sends no `Origin` and against clients that forge one.
//! - **Content type.** Server functions take `application/json` (which a cross-site form or
//!   a no-cors `fetch` cannot send), the form endpoints URL-encoded forms only.
//!
//! A refusal changes nothing and says what happened and what to do.

use app::ConsoleError;
use app::anti_forgery::{FIELD, HEADER};
use app::i18n::Locale;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, Method, StatusCode, header};

use app::session::cookies::{Binding, Sessions, over_tls};

/// The largest plain form the sign-in and sign-out endpoints read (a token fits easily).
const FORM_LIMIT: usize = 64 * 1024;

/// Where the console's pages are served from, as browsers name it in `Origin`.
#[derive(Clone, Debug, Default)]
pub struct Origins {
    /// `--public-origin`: the only origin accepted when set (behind a proxy, where the
    /// `Host` the console sees is not the one people open).
    public: Option<String>,
    /// Whether the console is reached over TLS whatever the request says (`--secure-cookies`).
    always_secure: bool,
}

impl Origins {
    /// The console's origins; `public` must be `scheme://host[:port]`.
    pub fn new(public: Option<&str>, always_secure: bool) -> anyhow::Result<Self> {
        let public = public
            .map(|origin| {
                let origin = origin.trim_end_matches('/').to_ascii_lowercase();
                let valid = ["http://", "https://"]
                    .iter()
                    .find_map(|scheme| origin.strip_prefix(scheme))
                    .is_some_and(|host| !host.is_empty() && !host.contains(['/', '?', '#', '@']));
                if !valid {
                    anyhow::bail!(
                        "--public-origin \"{origin}\" is not an origin: write the scheme, host \
                         and port people open, e.g. https://registry-console.apps.example.com"
                    );
                }
                Ok(origin)
            })
            .transpose()?;
        Ok(Self {
            public,
            always_secure,
        })
    }

    /// The origin this request's page must have had.
    fn expected(&self, request: &Request) -> Option<String> {
        if let Some(public) = &self.public {
            return Some(public.clone());
        }
        let host = request
            .headers()
            .get(header::HOST)
            .and_then(|host| host.to_str().ok())
            .map(str::to_owned)
            .or_else(|| request.uri().authority().map(|a| a.to_string()))?;
        let scheme = if over_tls(request.headers(), self.always_secure) {
            "https"
        } else {
            "http"
        };
        Some(format!("{scheme}://{}", host.to_ascii_lowercase()))
    }
}

/// Why a request was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum Forged {
    OtherOrigin { origin: String, expected: String },
    OtherSite(String),
    NoToken,
    WrongToken,
    ContentType { expected: &'static str },
    FormTooLarge,
}

impl Forged {
    fn status(&self) -> StatusCode {
        match self {
            Self::ContentType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::FormTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            _ => StatusCode::FORBIDDEN,
        }
    }

    /// The error the refused request gets, in its reader's language (the log keeps the
    /// variant).
    fn error(&self) -> ConsoleError {
        use app::anti_forgery::refused;
        match self {
            Self::OtherOrigin { origin, expected } => refused::other_origin(origin, expected),
            Self::OtherSite(site) => refused::other_site(site),
            Self::NoToken => refused::no_token(),
            Self::WrongToken => refused::wrong_token(),
            Self::ContentType { expected } => refused::content_type(expected),
            Self::FormTooLarge => refused::too_large(FORM_LIMIT / 1024),
        }
    }

    /// The answer ([`refusal`]), logged.
    fn respond(self, headers: &HeaderMap) -> Response {
        tracing::warn!(refused = ?self, "forged or malformed request refused");
        refusal(self.status(), &self.error(), headers)
    }
}

/// A refused request's answer: JSON for a script's call (the page shows the error in its
/// reader's language), a page of its own for a browser navigation (a plain form post),
/// which would otherwise show the JSON.
pub fn refusal(status: StatusCode, error: &ConsoleError, request: &HeaderMap) -> Response {
    let (content_type, body) = match navigation(request) {
        Some(locale) => (
            "text/html; charset=utf-8",
            app::anti_forgery::refused::page(error, locale),
        ),
        None => (
            "application/json",
            serde_json::to_string(error).expect("an error serializes"),
        ),
    };
    (status, [(header::CONTENT_TYPE, content_type)], body).into_response()
}

/// The locale of a request that is a browser navigation (a plain form post, not a
/// `fetch`), or `None`. Browsers say so in `Sec-Fetch-Mode`; without it, by asking for HTML.
fn navigation(headers: &HeaderMap) -> Option<Locale> {
    let navigates = match headers.get("sec-fetch-mode") {
        Some(mode) => mode == "navigate",
        None => headers
            .get(header::ACCEPT)
            .and_then(|accept| accept.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html")),
    };
    navigates.then(|| Locale::of_request(headers))
}

/// Lets `request` through if it is a read or passes every check; it comes back whole
/// (a form's body is read and put back). A refused one gets its answer
/// ([`Forged::respond`]).
pub async fn check(
    origins: &Origins,
    sessions: &Sessions,
    binding: &Binding,
    signed_in: bool,
    request: Request,
) -> Result<Request, Response> {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return Ok(request);
    }
    // Kept before the checks take the request: the refusal's form depends on them.
    let headers = request.headers().clone();
    check_write(origins, sessions, binding, signed_in, request)
        .await
        .map_err(|forged| forged.respond(&headers))
}

async fn check_write(
    origins: &Origins,
    sessions: &Sessions,
    binding: &Binding,
    signed_in: bool,
    request: Request,
) -> Result<Request, Forged> {
    check_origin(origins, &request)?;
    let path = request.uri().path();
    let form_endpoint = app::anti_forgery::form_endpoints().contains(&path);
    let content_type = media_type(request.headers());
    if form_endpoint && content_type != "application/x-www-form-urlencoded" {
        return Err(Forged::ContentType {
            expected: "application/x-www-form-urlencoded",
        });
    }
    if path.starts_with("/api/") && !form_endpoint && content_type != "application/json" {
        return Err(Forged::ContentType {
            expected: "application/json",
        });
    }

    // Without a session nothing but signing in can change anything (the server function
    // answers "not signed in"), so only those requests need a token.
    if !signed_in && !form_endpoint {
        return Ok(request);
    }
    let header_token = request
        .headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let (request, token) = match header_token {
        Some(token) => (request, Some(token)),
        None if form_endpoint => form_token(request).await?,
        None => (request, None),
    };
    match token {
        None => Err(Forged::NoToken),
        Some(token) if sessions.anti_forgery_holds(binding, &token) => Ok(request),
        Some(_) => Err(Forged::WrongToken),
    }
}

fn check_origin(origins: &Origins, request: &Request) -> Result<(), Forged> {
    let headers = request.headers();
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin
            .to_str()
            .unwrap_or("(unreadable)")
            .to_ascii_lowercase();
        let expected = origins.expected(request).unwrap_or_default();
        if origin != expected {
            return Err(Forged::OtherOrigin { origin, expected });
        }
        return Ok(());
    }
    match headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        None | Some("same-origin") => Ok(()),
        Some(site) => Err(Forged::OtherSite(site.to_owned())),
    }
}

/// The media type of the body, without parameters, in lower case.
fn media_type(headers: &HeaderMap) -> String {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default()
}

/// Reads a plain form's token field, and puts the body back for the server function.
async fn form_token(request: Request) -> Result<(Request, Option<String>), Forged> {
    let (parts, body) = request.into_parts();
    let bytes: Bytes = axum::body::to_bytes(body, FORM_LIMIT)
        .await
        .map_err(|_| Forged::FormTooLarge)?;
    let token = form_urlencoded::parse(&bytes)
        .find(|(name, _)| name == FIELD)
        .map(|(_, value)| value.into_owned());
    Ok((Request::from_parts(parts, Body::from(bytes)), token))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(origin: Option<&str>, site: Option<&str>) -> Request {
        let mut builder = Request::post("/api/overview").header(header::HOST, "127.0.0.1:8080");
        if let Some(origin) = origin {
            builder = builder.header(header::ORIGIN, origin);
        }
        if let Some(site) = site {
            builder = builder.header("sec-fetch-site", site);
        }
        builder.body(Body::empty()).unwrap()
    }

    #[test]
    fn the_consoles_own_origin_passes_and_a_sibling_port_does_not() {
        let origins = Origins::default();
        assert_eq!(
            check_origin(&origins, &request(Some("http://127.0.0.1:8080"), None)),
            Ok(())
        );
        assert_eq!(
            check_origin(
                &origins,
                &request(Some("http://127.0.0.1:9999"), Some("same-site"))
            ),
            Err(Forged::OtherOrigin {
                origin: "http://127.0.0.1:9999".into(),
                expected: "http://127.0.0.1:8080".into()
            })
        );
        // A sandboxed frame or a redirect chain says "null".
        assert!(check_origin(&origins, &request(Some("null"), None)).is_err());
        // Plain HTTP is not the console behind TLS.
        assert!(check_origin(&origins, &request(Some("https://127.0.0.1:8080"), None)).is_err());
    }

    #[test]
    fn without_origin_the_fetch_metadata_decides() {
        let origins = Origins::default();
        assert_eq!(
            check_origin(&origins, &request(None, Some("same-origin"))),
            Ok(())
        );
        for site in ["same-site", "cross-site", "none"] {
            assert_eq!(
                check_origin(&origins, &request(None, Some(site))),
                Err(Forged::OtherSite(site.into()))
            );
        }
        // A script or kubectl-style client sends neither; the token check still applies.
        assert_eq!(check_origin(&origins, &request(None, None)), Ok(()));
    }

    #[test]
    fn a_public_origin_is_the_only_one_behind_a_proxy() {
        let origins = Origins::new(Some("https://Console.apps.example.com/"), false).unwrap();
        let mut from_route = request(Some("https://console.apps.example.com"), None);
        assert_eq!(check_origin(&origins, &from_route), Ok(()));
        from_route
            .headers_mut()
            .insert(header::ORIGIN, "http://127.0.0.1:8080".parse().unwrap());
        assert!(check_origin(&origins, &from_route).is_err());
    }

    #[test]
    fn a_public_origin_must_be_an_origin() {
        for bad in ["console.example.com", "https://", "https://a/b", "ftp://a"] {
            let error = Origins::new(Some(bad), false).unwrap_err().to_string();
            assert!(error.contains("--public-origin"), "{bad}: {error}");
        }
    }

    #[test]
    fn behind_tls_the_origin_is_https() {
        let origins = Origins::default();
        let mut behind_tls = request(Some("https://127.0.0.1:8080"), None);
        behind_tls
            .headers_mut()
            .insert("x-forwarded-proto", "https".parse().unwrap());
        assert_eq!(check_origin(&origins, &behind_tls), Ok(()));
    }

    #[test]
    fn media_types_ignore_parameters_and_case() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            "Application/JSON; charset=utf-8".parse().unwrap(),
        );
        assert_eq!(media_type(&headers), "application/json");
        assert_eq!(media_type(&HeaderMap::new()), "");
    }
}
