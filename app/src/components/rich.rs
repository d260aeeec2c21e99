//! Catalogue text with a little markup: `code` and **strong**. Translators move a command
//! or a name within the sentence as their language needs, without HTML in the catalogue.

use leptos::prelude::*;

/// One run of a text: plain, code or strong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Run<'a> {
    Plain(&'a str),
    Code(&'a str),
    Strong(&'a str),
}

/// The runs of `text`: `` `x` `` is code, `**x**` strong; an unclosed mark is plain text.
pub fn runs(text: &str) -> Vec<Run<'_>> {
    let mut runs = Vec::new();
    let mut rest = text;
    loop {
        let next = [("`", "`"), ("**", "**")]
            .into_iter()
            .filter_map(|(open, close)| {
                let start = rest.find(open)?;
                let end = rest[start + open.len()..].find(close)? + start + open.len();
                Some((start, end, open, close))
            })
            .min_by_key(|(start, ..)| *start);
        let Some((start, end, open, close)) = next else {
            if !rest.is_empty() {
                runs.push(Run::Plain(rest));
            }
            return runs;
        };
        if start > 0 {
            runs.push(Run::Plain(&rest[..start]));
        }
        let inner = &rest[start + open.len()..end];
        runs.push(if open == "`" {
            Run::Code(inner)
        } else {
            Run::Strong(inner)
        });
        rest = &rest[end + close.len()..];
    }
}

/// `text` with its marks rendered.
#[component]
pub fn Rich(#[prop(into)] text: String) -> impl IntoView {
    runs(&text)
        .into_iter()
        .map(|run| match run {
            Run::Plain(text) => text.to_string().into_any(),
            Run::Code(text) => view! { <code>{text.to_string()}</code> }.into_any(),
            Run::Strong(text) => view! { <strong>{text.to_string()}</strong> }.into_any(),
        })
        .collect_view()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_become_runs_in_order() {
        assert_eq!(
            runs("Run `oc whoami -t` as **admin**."),
            vec![
                Run::Plain("Run "),
                Run::Code("oc whoami -t"),
                Run::Plain(" as "),
                Run::Strong("admin"),
                Run::Plain("."),
            ]
        );
    }

    #[test]
    fn an_unclosed_mark_stays_text() {
        assert_eq!(runs("a `b"), vec![Run::Plain("a `b")]);
        assert_eq!(runs("**x"), vec![Run::Plain("**x")]);
        assert_eq!(runs(""), Vec::<Run>::new());
    }
}
