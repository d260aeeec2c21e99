//! The console's words in the reader's language: English or Simplified Chinese.
//!
//! The words live in `app/locales/<tag>/<namespace>.toml` (see its README); the build
//! checks that every locale has every English key with the same placeholders and generates
//! one function per key ([`tr`]`::<namespace>::<key>(args)`), so a missing key is a compile
//! error and an unused one a dead-code warning. `app/locales/glossary.md` holds the terms.
//!
//! The server decides the locale ([`Locale::of_request`]: the reader's explicit choice, else
//! `Accept-Language`, else English), renders the page in it and writes the namespaces that
//! page needs into the document ([`page_data`]); the browser reads them before it hydrates,
//! so both render the same words. A page reached later in the browser loads its namespaces
//! with its code ([`ensure`]). The browser never holds a locale it does not show, and the
//! overview's first load holds only the `common` namespace.
//!
//! The shared rules' findings (`registry_model`'s `Message`, a code with arguments) render
//! through the `findings` namespace ([`message`]); the server's logs keep their English.

mod locale;
mod phrase;
#[cfg(test)]
mod tests;

pub mod functions;

use std::fmt::Display;

use registry_model::validation::{Message, MessageArg};

pub use locale::{COOKIE, Locale};
pub use phrase::{Phrase, PhraseArg};

include!(concat!(env!("OUT_DIR"), "/catalogue.rs"));

/// The locale the words are rendered in: the request's on the server (provided by the
/// shell), the page's in the browser.
pub fn current() -> Locale {
    #[cfg(feature = "hydrate")]
    {
        browser::locale()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        leptos::prelude::use_context::<Locale>().unwrap_or_default()
    }
}

/// Runs `f` as a page in `locale` renders: for what the server writes outside a page (a
/// refused form post) and for tests of what a reader sees.
#[cfg(not(feature = "hydrate"))]
pub fn in_locale<R>(locale: Locale, f: impl FnOnce() -> R) -> R {
    use leptos::prelude::provide_context;
    // A root of its own: `Owner::new()` would adopt whatever owner the thread last left
    // current (another request's page, see `crate::owner`) and read its contexts.
    crate::owner::detached_root().with(|| {
        provide_context(locale);
        f()
    })
}

/// A key's words, without placeholders.
pub(crate) fn text(ns: Ns, index: usize) -> String {
    with_template(ns, index, str::to_owned)
}

/// A key's words with its placeholders filled.
pub(crate) fn format(ns: Ns, index: usize, args: &[(&str, &dyn Display)]) -> String {
    with_template(ns, index, |template| {
        fill(template, |name| {
            args.iter()
                .find(|(arg, _)| *arg == name)
                .map(|(_, value)| value.to_string())
        })
    })
}

/// A finding of the shared rules, in the reader's language.
pub fn message(message: &Message) -> String {
    let Ok(index) = FINDING_CODES.binary_search(&message.code()) else {
        // A test holds every code in the catalogue; the code beats a blank should one slip
        // through. (Not `english()`: that would put every English sentence in the WASM.)
        return message.code().to_string();
    };
    let args = message.args();
    with_template(Ns::Findings, index, |template| {
        fill(template, |name| {
            args.iter()
                .find(|(arg, _)| *arg == name)
                .map(|(_, value)| match value {
                    MessageArg::Text(text) => text.clone(),
                    MessageArg::Message(inner) => self::message(inner),
                })
        })
    })
}

/// `template` with each `{name}` replaced by `value(name)` (left as it is when there is no
/// such argument: the build checks that the placeholders match the code's arguments).
fn fill(template: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let name = &after[..close];
        match value(name) {
            Some(text) => out.push_str(&text),
            None => {
                out.push('{');
                out.push_str(name);
                out.push('}');
            }
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(not(feature = "hydrate"))]
fn with_template<R>(ns: Ns, index: usize, f: impl FnOnce(&str) -> R) -> R {
    if let Some(used) = leptos::prelude::use_context::<UsedWords>() {
        used.note(ns, index);
    }
    f(TABLES[current().index()][ns.index()][index])
}

/// The words a page was rendered with, noted as it renders, so the document can carry
/// those of namespaces the page does not carry whole (a finding the doctor shows).
#[cfg(not(feature = "hydrate"))]
#[derive(Clone, Debug, Default)]
pub struct UsedWords(std::sync::Arc<std::sync::Mutex<std::collections::BTreeSet<(usize, usize)>>>);

#[cfg(not(feature = "hydrate"))]
impl UsedWords {
    fn note(&self, ns: Ns, index: usize) {
        if let Ok(mut used) = self.0.lock() {
            used.insert((ns.index(), index));
        }
    }
}

#[cfg(feature = "hydrate")]
fn with_template<R>(ns: Ns, index: usize, f: impl FnOnce(&str) -> R) -> R {
    browser::with_template(ns, index, f)
}

/// The words of `locale` a page needs, as the JSON the document carries for the browser
/// (`<script id="catalogue">`): `[["zh-CN"], ["common", template, ...], ...]`, each of
/// `namespaces` whole, in table order, and then the other words the page was rendered
/// with, by namespace: `["+findings", "12", template, ...]`. (Lists of strings only,
/// which the browser reads with code it has anyway.) `<` is escaped, so no text can end
/// the script element.
#[cfg(not(feature = "hydrate"))]
pub fn page_data(locale: Locale, namespaces: &[Ns], used: &UsedWords) -> String {
    let tables = &TABLES[locale.index()];
    let mut lists: Vec<Vec<String>> = vec![vec![locale.tag().to_owned()]];
    for ns in namespaces {
        let mut list = vec![ns.name().to_owned()];
        list.extend(tables[ns.index()].iter().map(|t| t.to_string()));
        lists.push(list);
    }
    let used = used.0.lock().map(|used| used.clone()).unwrap_or_default();
    for ns in Ns::ALL.into_iter().filter(|ns| !namespaces.contains(ns)) {
        let mut list = vec![format!("+{}", ns.name())];
        for (_, index) in used.iter().filter(|(n, _)| *n == ns.index()) {
            list.push(index.to_string());
            list.push(tables[ns.index()][*index].to_owned());
        }
        if list.len() > 1 {
            lists.push(list);
        }
    }
    serde_json::to_string(&lists)
        .expect("lists of strings always serialize")
        .replace('<', "\\u003c")
}

/// The document element that carries [`page_data`].
pub const PAGE_DATA_ID: &str = "catalogue";

/// Makes sure the browser holds `namespaces` of the page's locale, fetching those it does
/// not (a page reached without loading the document). Nothing to do on the server.
pub async fn ensure(namespaces: &[Ns]) {
    #[cfg(feature = "hydrate")]
    browser::ensure(namespaces).await;
    #[cfg(not(feature = "hydrate"))]
    let _ = namespaces;
}

/// Reads the document's catalogue before the page hydrates.
#[cfg(feature = "hydrate")]
pub fn install_from_page() {
    browser::install_from_page();
}

#[cfg(feature = "hydrate")]
mod browser {
    use std::cell::{Cell, RefCell};

    use leptos::prelude::{ArcTrigger, Notify, Track};

    use super::{Locale, Ns, PAGE_DATA_ID};

    /// A namespace's templates as the browser holds them: all of them (loaded whole), or
    /// those the page was rendered with (the rest `None`).
    #[derive(Default)]
    struct Table {
        whole: bool,
        /// A load of the whole namespace has been asked for.
        requested: bool,
        templates: Vec<Option<String>>,
    }

    thread_local! {
        static LOCALE: Cell<Locale> = const { Cell::new(Locale::En) };
        static LOADED: RefCell<[Table; Ns::ALL.len()]> = RefCell::new(Default::default());
        /// Notified when words arrive, so what rendered without them renders again.
        static ARRIVED: ArcTrigger = ArcTrigger::new();
    }

    pub fn locale() -> Locale {
        LOCALE.with(Cell::get)
    }

    pub fn with_template<R>(ns: Ns, index: usize, f: impl FnOnce(&str) -> R) -> R {
        let template = LOADED.with(|loaded| {
            loaded.borrow()[ns.index()]
                .templates
                .get(index)
                .cloned()
                .flatten()
        });
        match template {
            Some(template) => f(&template),
            None => {
                // Words the page did not come with (a live update can bring any finding):
                // load them, and render again when they are here.
                ARRIVED.with(|arrived| arrived.track());
                request(ns);
                f("…")
            }
        }
    }

    /// Loads `ns` whole, once, from the chunk that holds the loader.
    fn request(ns: Ns) {
        let first = LOADED.with(|loaded| {
            let table = &mut loaded.borrow_mut()[ns.index()];
            !std::mem::replace(&mut table.requested, true)
        });
        if first {
            leptos::task::spawn_local(async move {
                super::load_words(ns).await;
                ARRIVED.with(|arrived| arrived.notify());
            });
        }
    }

    pub fn install_from_page() {
        let Some(text) = leptos::prelude::document()
            .get_element_by_id(PAGE_DATA_ID)
            .and_then(|element| element.text_content())
        else {
            return;
        };
        let Ok(lists) = serde_json::from_str::<Vec<Vec<String>>>(&text) else {
            leptos::logging::warn!("the page's catalogue could not be read");
            return;
        };
        let mut lists = lists.into_iter();
        let tag = lists.next().and_then(|list| list.into_iter().next());
        LOCALE.with(|locale| {
            locale.set(
                tag.as_deref()
                    .and_then(Locale::from_tag)
                    .unwrap_or_default(),
            )
        });
        for mut list in lists {
            if list.is_empty() {
                continue;
            }
            let name = list.remove(0);
            match name.strip_prefix('+') {
                // Some keys: index, template, index, template...
                Some(name) => {
                    let Some(ns) = Ns::from_name(name) else {
                        continue;
                    };
                    let mut items = list.into_iter();
                    while let (Some(index), Some(template)) = (items.next(), items.next()) {
                        if let Ok(index) = index.parse::<usize>() {
                            LOADED.with(|loaded| {
                                let table = &mut loaded.borrow_mut()[ns.index()];
                                if table.templates.len() <= index {
                                    table.templates.resize(index + 1, None);
                                }
                                table.templates[index] = Some(template);
                            });
                        }
                    }
                }
                None => {
                    if let Some(ns) = Ns::from_name(&name) {
                        store(ns, list);
                    }
                }
            }
        }
    }

    fn store(ns: Ns, templates: Vec<String>) {
        LOADED.with(|loaded| {
            let table = &mut loaded.borrow_mut()[ns.index()];
            table.whole = true;
            table.templates = templates.into_iter().map(Some).collect();
        });
    }

    pub async fn ensure(namespaces: &[Ns]) {
        let missing: Vec<Ns> = namespaces
            .iter()
            .copied()
            .filter(|ns| LOADED.with(|loaded| !loaded.borrow()[ns.index()].whole))
            .collect();
        if missing.is_empty() {
            return;
        }
        let names = missing.iter().map(|ns| ns.name().to_string()).collect();
        match super::functions::catalogue(locale(), names).await {
            Ok(tables) => {
                for (ns, templates) in missing.into_iter().zip(tables) {
                    store(ns, templates);
                }
            }
            // The page then shows "…" where the words would be, and says why here.
            Err(error) => leptos::logging::warn!("could not load the page's words: {error}"),
        }
    }
}

/// Loads a namespace the page needs after all; in a chunk of its own, with the loader, so
/// the first load holds neither.
#[cfg(feature = "hydrate")]
#[leptos::lazy]
async fn load_words(ns: Ns) {
    browser::ensure(&[ns]).await;
}
