//! Reading an uploaded file in the browser (a credential, a certificate bundle). The text
//! goes into the form's values as if typed: a secret is sent once, to be written, and
//! never comes back.

/// Why a file was not read: its name, and its size in KiB when it is too big (else it
/// could not be read as text). The form says it in words.
pub type Unread = (String, Option<f64>);

/// The largest key file accepted: a service account key is a few kilobytes.
pub const KEY_FILE_BYTES: f64 = 64.0 * 1024.0;
/// The largest certificate bundle accepted (a corporate bundle of many CAs is a few
/// hundred kilobytes).
pub const BUNDLE_BYTES: f64 = 512.0 * 1024.0;

/// Reads the file chosen in the input that fired `ev` and hands over its name and text,
/// or why it was not read.
#[cfg(feature = "hydrate")]
pub fn read_text_file(
    ev: &leptos::ev::Event,
    max_bytes: f64,
    done: impl FnOnce(Result<(String, String), Unread>) + 'static,
) {
    use wasm_bindgen::JsCast;
    let Some(input) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return;
    };
    let Some(file) = input.files().and_then(|files| files.get(0)) else {
        return;
    };
    let name = file.name();
    if file.size() > max_bytes {
        done(Err((name, Some(file.size() / 1024.0))));
        return;
    }
    leptos::task::spawn_local(async move {
        let text = wasm_bindgen_futures::JsFuture::from(file.text()).await;
        done(match text.ok().and_then(|t| t.as_string()) {
            Some(text) => Ok((name, text)),
            None => Err((name, None)),
        });
    });
}

/// On the server nothing is uploaded; the handler only runs in the browser.
#[cfg(not(feature = "hydrate"))]
pub fn read_text_file(
    _ev: &leptos::ev::Event,
    _max_bytes: f64,
    _done: impl FnOnce(Result<(String, String), Unread>) + 'static,
) {
}
