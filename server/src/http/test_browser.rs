//! A browser for the HTTP tests: it keeps its cookies and the anti-forgery token of the
//! last page it opened, and sends changes as the console's pages do (token in a header for
//! JSON, in a field for plain forms), so a test reads like what a person does.

use std::collections::BTreeMap;

use axum::Router;
use axum::body::Body;
use http::{HeaderMap, Request, StatusCode, header};
use tower::ServiceExt;

use app::anti_forgery::{FIELD, HEADER, META};

/// An answer: status, headers and body text.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

/// Cookies and the current page's token, over one console router.
#[derive(Clone)]
pub struct Browser {
    router: Router,
    cookies: BTreeMap<String, String>,
    token: Option<String>,
}

impl Browser {
    pub fn new(router: Router) -> Self {
        Self {
            router,
            cookies: BTreeMap::new(),
            token: None,
        }
    }

    /// The same browser on another console (a restart, another replica).
    pub fn on(&self, router: Router) -> Self {
        Self {
            router,
            ..self.clone()
        }
    }

    /// The `Cookie` header this browser sends.
    pub fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Holds `pair` (`NAME=VALUE`) as a cookie, as if a response had set it.
    pub fn set_cookie(&mut self, pair: &str) {
        let (name, value) = pair.split_once('=').expect("NAME=VALUE");
        self.cookies.insert(name.to_owned(), value.to_owned());
    }

    /// The anti-forgery token of the last page opened.
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// Sends `request` with this browser's cookies and keeps what the answer sets.
    pub async fn send(&mut self, mut request: Request<Body>) -> Answer {
        if !self.cookies.is_empty() {
            request
                .headers_mut()
                .insert(header::COOKIE, self.cookie_header().parse().unwrap());
        }
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        for set_cookie in headers.get_all(header::SET_COOKIE) {
            let text = set_cookie.to_str().unwrap();
            let (name, value) = text.split(';').next().unwrap().split_once('=').unwrap();
            if text.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        let body = String::from_utf8_lossy(&body).into_owned();
        if let Some(token) = page_token(&body) {
            self.token = Some(token);
        }
        Answer {
            status,
            headers,
            body,
        }
    }

    /// Opens a page, as a browser's address bar does.
    pub async fn open(&mut self, path: &str) -> Answer {
        let request = Request::get(path).header(header::ACCEPT, "text/html");
        self.send(request.body(Body::empty()).unwrap()).await
    }

    /// Posts a plain form (sign-in, sign-out) with the page's token field.
    pub async fn submit(&mut self, path: &str, form: &str) -> Answer {
        let token = self.token.clone().unwrap_or_default();
        let separator = if form.is_empty() { "" } else { "&" };
        let body = format!("{form}{separator}{FIELD}={token}");
        let request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    /// Calls a server function as the page's WASM does: JSON, token in a header.
    pub async fn call(&mut self, path: &str, arguments: &serde_json::Value) -> Answer {
        let mut request = Request::post(path).header(header::CONTENT_TYPE, "application/json");
        if let Some(token) = &self.token {
            request = request.header(HEADER, token);
        }
        self.send(request.body(Body::from(arguments.to_string())).unwrap())
            .await
    }

    /// Opens the sign-in page, clicks the demo user's button and lands on the overview.
    pub async fn sign_in_demo(&mut self, user: &str) -> Answer {
        self.open("/sign-in").await;
        let answer = self
            .submit("/api/sign_in_demo", &format!("user={user}"))
            .await;
        // The page then loads afresh, with the new session's token.
        self.open("/").await;
        answer
    }
}

/// The token in a page's `<meta name="anti-forgery" content="...">`.
fn page_token(html: &str) -> Option<String> {
    let marker = format!("name=\"{META}\" content=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_owned())
}
