//! Catalogue text with a little markup: `code` and **strong**. Translators move a command
//! or a name within the sentence as their language needs, without HTML in the catalogue.

use leptos::tachys::html::InertElement;

use super::Html;
use super::inert::escape_into;

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

/// `text` with its marks rendered: `{rich(text)}`. One element whose HTML is written here,
/// escaped, and of one type wherever it is used: as views (or a component), the runs would
/// put view types into every page's first load.
pub fn rich(text: impl Into<String>) -> InertElement {
    Html::default().rich(&text.into()).into_view()
}

/// The HTML of `text`'s runs, every character of the text escaped.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for run in runs(text) {
        let (open, inner, close) = match run {
            Run::Plain(inner) => ("", inner, ""),
            Run::Code(inner) => ("<code>", inner, "</code>"),
            Run::Strong(inner) => ("<strong>", inner, "</strong>"),
        };
        out.push_str(open);
        escape_into(&mut out, inner);
        out.push_str(close);
    }
    out
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
    fn the_html_marks_the_runs_and_escapes_every_text() {
        assert_eq!(
            html("Run `oc get <x>` as **a&b**, \"quoted\" <script>"),
            "Run <code>oc get &lt;x&gt;</code> as <strong>a&amp;b</strong>, &quot;quoted&quot; &lt;script&gt;"
        );
    }

    #[test]
    fn an_unclosed_mark_stays_text() {
        assert_eq!(runs("a `b"), vec![Run::Plain("a `b")]);
        assert_eq!(runs("**x"), vec![Run::Plain("**x")]);
        assert_eq!(runs(""), Vec::<Run>::new());
    }
}
