//! Words the server chooses and the reader's browser renders: a catalogue key with its
//! arguments. A doctor's finding, a guidance step or an error reaches the page as a
//! [`Phrase`] and shows in the reader's language; the server's logs say it in English.
//!
//! Made by the generated `said::<namespace>::<key>(args)` functions, as `tr::` makes text.

use std::fmt;

#[cfg(not(feature = "hydrate"))]
use registry_model::validation::Message;
use serde::{Deserialize, Serialize};

use super::Ns;

/// A catalogue key with its arguments, rendered where it is read.
///
/// On the wire a list of strings, `["3.17", "name", "=value", "other", "+[...]"]`: the
/// namespace's and the key's positions (the server and the browser are one build, so they
/// agree on them), then each argument's name and value, `=` text or `+` a nested phrase's
/// list as JSON. The browser reads it with the string-list code it has anyway, where a
/// derived format would put a decoder per type into the first load.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phrase {
    ns: Ns,
    key: u16,
    args: Vec<(String, PhraseArg)>,
}

/// One argument of a phrase.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PhraseArg {
    /// Shown as it is: a name, a number, the API's own message.
    Text(String),
    /// Words of the catalogue, in the same language (a finding of the shared rules is a
    /// phrase of the `findings` namespace, so the browser needs no `Message` type).
    Phrase(Phrase),
}

impl Phrase {
    /// For the generated `said::` functions.
    pub(crate) fn new(ns: Ns, key: usize, args: Vec<(&'static str, PhraseArg)>) -> Self {
        Self {
            ns,
            key: key as u16,
            args: args
                .into_iter()
                .map(|(name, arg)| (name.to_owned(), arg))
                .collect(),
        }
    }

    /// Words that are not the console's: shown as they are, in every language (what
    /// another program said).
    pub fn verbatim(text: impl Into<String>) -> Self {
        super::said::errors::verbatim(text.into())
    }

    /// A finding of the shared rules, as the `findings` namespace words it.
    #[cfg(not(feature = "hydrate"))]
    pub fn finding(message: &Message) -> Self {
        use registry_model::validation::MessageArg;
        let key = super::FINDING_CODES
            .binary_search(&message.code())
            .expect("every finding code is in the catalogue (a test holds this)");
        let args = message
            .args()
            .into_iter()
            .map(|(name, arg)| {
                let arg = match arg {
                    MessageArg::Text(text) => PhraseArg::Text(text),
                    MessageArg::Message(inner) => PhraseArg::Phrase(Phrase::finding(inner)),
                };
                (name, arg)
            })
            .collect();
        Self::new(Ns::Findings, key, args)
    }

    /// In the reader's language: the page's in the browser, the request's on the server.
    pub fn render(&self) -> String {
        super::with_template(self.ns, self.key.into(), |template| {
            super::fill(template, |name| self.arg(name).map(PhraseArg::render))
        })
    }

    /// In English, whatever the reader's language: for the server's logs and tests.
    #[cfg(not(feature = "hydrate"))]
    pub fn english(&self) -> String {
        let template =
            super::TABLES[super::Locale::En.index()][self.ns.index()][usize::from(self.key)];
        super::fill(template, |name| {
            self.arg(name).map(|arg| match arg {
                PhraseArg::Text(text) => text.clone(),
                PhraseArg::Phrase(phrase) => phrase.english(),
            })
        })
    }

    fn arg(&self, name: &str) -> Option<&PhraseArg> {
        self.args
            .iter()
            .find(|(arg, _)| arg == name)
            .map(|(_, arg)| arg)
    }
}

impl Phrase {
    fn to_list(&self) -> Vec<String> {
        let mut list = vec![format!("{}.{}", self.ns.index(), self.key)];
        for (name, arg) in &self.args {
            list.push(name.clone());
            list.push(match arg {
                PhraseArg::Text(text) => format!("={text}"),
                PhraseArg::Phrase(phrase) => format!(
                    "+{}",
                    serde_json::to_string(&phrase.to_list()).unwrap_or_default()
                ),
            });
        }
        list
    }

    fn from_list(list: Vec<String>) -> Option<Self> {
        let mut items = list.into_iter();
        let head = items.next()?;
        let (ns, key) = head.split_once('.')?;
        let ns = *Ns::ALL.get(ns.parse::<usize>().ok()?)?;
        let key = key.parse().ok()?;
        let mut args = Vec::new();
        while let (Some(name), Some(value)) = (items.next(), items.next()) {
            let arg = if let Some(text) = value.strip_prefix('=') {
                PhraseArg::Text(text.to_owned())
            } else {
                let nested = serde_json::from_str(value.strip_prefix('+')?).ok()?;
                PhraseArg::Phrase(Phrase::from_list(nested)?)
            };
            args.push((name, arg));
        }
        Some(Self { ns, key, args })
    }
}

impl Serialize for Phrase {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_list().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Phrase {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let list = Vec::<String>::deserialize(deserializer)?;
        Phrase::from_list(list)
            .ok_or_else(|| serde::de::Error::custom("not a phrase of this console's catalogue"))
    }
}

impl PhraseArg {
    fn render(&self) -> String {
        match self {
            PhraseArg::Text(text) => text.clone(),
            PhraseArg::Phrase(phrase) => phrase.render(),
        }
    }
}

/// English on the server (what its logs and `thiserror` messages say), the page's language
/// in the browser (which holds no other).
impl fmt::Display for Phrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        #[cfg(not(feature = "hydrate"))]
        {
            f.write_str(&self.english())
        }
        #[cfg(feature = "hydrate")]
        {
            f.write_str(&self.render())
        }
    }
}

impl From<String> for PhraseArg {
    fn from(text: String) -> Self {
        PhraseArg::Text(text)
    }
}

impl From<&String> for PhraseArg {
    fn from(text: &String) -> Self {
        PhraseArg::Text(text.clone())
    }
}

impl From<&str> for PhraseArg {
    fn from(text: &str) -> Self {
        PhraseArg::Text(text.to_owned())
    }
}

impl From<Phrase> for PhraseArg {
    fn from(phrase: Phrase) -> Self {
        PhraseArg::Phrase(phrase)
    }
}

#[cfg(not(feature = "hydrate"))]
impl From<Message> for PhraseArg {
    fn from(message: Message) -> Self {
        PhraseArg::Phrase(Phrase::finding(&message))
    }
}

macro_rules! numbers {
    ($($t:ty),*) => {$(
        impl From<$t> for PhraseArg {
            fn from(n: $t) -> Self {
                PhraseArg::Text(n.to_string())
            }
        }
    )*};
}
numbers!(u16, u32, u64, usize, i32, i64);

/// Rendered in the reader's language, so a phrase goes wherever text does
/// (`{rich(phrase)}`).
impl From<Phrase> for String {
    fn from(phrase: Phrase) -> String {
        phrase.render()
    }
}
