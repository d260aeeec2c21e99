//! Which language a reader gets.

use serde::{Deserialize, Serialize};

/// The cookie that keeps a reader's explicit choice (the switcher in the top bar).
pub const COOKIE: &str = "console-lang";

/// A language the console speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Locale {
    #[default]
    #[serde(rename = "en")]
    En,
    #[serde(rename = "zh-CN")]
    ZhCn,
}

impl Locale {
    /// Every locale, in the catalogue's table order (English first).
    pub const ALL: [Locale; 2] = [Locale::En, Locale::ZhCn];

    /// The BCP 47 tag: `<html lang>`, the cookie and the catalogue files.
    pub const fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::ZhCn => "zh-CN",
        }
    }

    /// The language's name in that language, as a switcher offers it.
    pub const fn own_name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::ZhCn => "简体中文",
        }
    }

    /// Its position in the catalogue's tables.
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The locale of a tag the console wrote (the cookie, the switcher): exact, ignoring case.
    pub fn from_tag(tag: &str) -> Option<Locale> {
        Locale::ALL
            .into_iter()
            .find(|locale| locale.tag().eq_ignore_ascii_case(tag.trim()))
    }

    /// The locale of a language range as browsers send them: any Chinese (`zh`, `zh-CN`,
    /// `zh-Hans`, `zh-TW`...) reads the Simplified Chinese console, the only Chinese one;
    /// any English reads English.
    fn of_range(range: &str) -> Option<Locale> {
        let primary = range.split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("zh") {
            Some(Locale::ZhCn)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Locale::En)
        } else {
            None
        }
    }

    /// The reader's preferred locale from an `Accept-Language` header (RFC 9110 12.5.4):
    /// the range with the highest weight the console speaks; the earlier of equal weights;
    /// `q=0` means "not this one". `None` when it names none of them.
    pub fn negotiate(accept_language: &str) -> Option<Locale> {
        let mut best: Option<(Locale, f32)> = None;
        for item in accept_language.split(',') {
            let mut parts = item.split(';');
            let range = parts.next().unwrap_or_default().trim();
            let weight = parts
                .filter_map(|param| {
                    let (name, value) = param.split_once('=')?;
                    name.trim()
                        .eq_ignore_ascii_case("q")
                        .then(|| value.trim().parse::<f32>().ok())?
                })
                .next()
                .unwrap_or(1.0);
            let Some(locale) = Locale::of_range(range) else {
                continue;
            };
            if weight <= 0.0 || !weight.is_finite() {
                continue;
            }
            if best.is_none_or(|(_, best_weight)| weight > best_weight) {
                best = Some((locale, weight));
            }
        }
        best.map(|(locale, _)| locale)
    }

    /// The locale of the request being rendered: the cookie of an explicit choice, else
    /// `Accept-Language`, else English.
    #[cfg(feature = "ssr")]
    pub fn of_request(headers: &http::HeaderMap) -> Locale {
        let chosen = headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(cookie::Cookie::split_parse)
            .filter_map(Result::ok)
            .find(|cookie| cookie.name() == COOKIE)
            .and_then(|cookie| Locale::from_tag(cookie.value()));
        chosen
            .or_else(|| {
                headers
                    .get(http::header::ACCEPT_LANGUAGE)
                    .and_then(|value| value.to_str().ok())
                    .and_then(Locale::negotiate)
            })
            .unwrap_or_default()
    }
}
