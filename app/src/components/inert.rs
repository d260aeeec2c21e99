//! Elements that hold only text, written as HTML here: one type wherever they are used.
//!
//! Why: every element with a child that is not known at compile time is a type of its own,
//! with its own code to build, hydrate and update it, in the first load of every page that
//! shows it. A static `<dt>"Storage"</dt>` costs nothing; its translation,
//! `<dt>{tr::overview::storage()}</dt>`, costs each label about a hundred bytes. An
//! [`InertElement`] hydrates by stepping over its node and is replaced whole when its text
//! changes (words that loaded late).

use leptos::tachys::html::InertElement;

/// The HTML of one element, written here with every text and attribute value escaped;
/// [`Html::into_view`] makes it an [`InertElement`]. It must hold exactly one element (the
/// outermost): hydration steps over one node.
#[derive(Default)]
pub struct Html(String);

impl Html {
    /// `<tag name="value" …>`.
    pub fn open(mut self, tag: &str, attributes: &[(&str, &str)]) -> Self {
        self.0.push('<');
        self.0.push_str(tag);
        for (name, value) in attributes {
            self.0.push(' ');
            self.0.push_str(name);
            self.0.push_str("=\"");
            escape_into(&mut self.0, value);
            self.0.push('"');
        }
        self.0.push('>');
        self
    }

    /// Text, escaped.
    pub fn text(mut self, text: &str) -> Self {
        escape_into(&mut self.0, text);
        self
    }

    /// Catalogue text with its marks, as [`rich`](super::rich) renders it.
    pub fn rich(mut self, text: &str) -> Self {
        self.0.push_str("<span class=\"rich\">");
        self.0.push_str(&super::rich::html(text));
        self.0.push_str("</span>");
        self
    }

    /// A link styled as a button (see [`button_link`]).
    pub fn button_link(self, href: &str, label: &str) -> Self {
        self.element("a", &[("class", "button"), ("href", href)], label)
    }

    /// `</tag>`.
    pub fn close(mut self, tag: &str) -> Self {
        self.0.push_str("</");
        self.0.push_str(tag);
        self.0.push('>');
        self
    }

    /// `<tag …>text</tag>`.
    pub fn element(self, tag: &str, attributes: &[(&str, &str)], text: &str) -> Self {
        self.open(tag, attributes).text(text).close(tag)
    }

    pub fn into_view(self) -> InertElement {
        InertElement::new(self.0)
    }
}

/// An element holding only words (no marks), `<tag class="class">text</tag>`:
/// `{words("dt", "", tr::overview::storage())}`.
pub fn words(tag: &'static str, class: &'static str, text: impl AsRef<str>) -> InertElement {
    let attributes: &[(&str, &str)] = if class.is_empty() {
        &[]
    } else {
        &[("class", class)]
    };
    Html::default()
        .element(tag, attributes, text.as_ref())
        .into_view()
}

/// A table's header row, `<thead><tr><th>…</th>…</tr></thead>`.
pub fn header_row<const N: usize>(labels: [String; N]) -> InertElement {
    let mut html = Html::default().open("thead", &[]).open("tr", &[]);
    for label in labels {
        html = html.element("th", &[], &label);
    }
    html.close("tr").close("thead").into_view()
}

/// A link styled as a button, `<a class="button" href="…">label</a>`; the router follows
/// it as any link.
pub fn button_link(href: &str, label: impl AsRef<str>) -> InertElement {
    Html::default()
        .button_link(href, label.as_ref())
        .into_view()
}

pub(super) fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_header_rows_escape_their_text() {
        use leptos::prelude::RenderHtml;
        let html = |element: InertElement| element.to_html();
        assert_eq!(
            html(words("dt", "", "a <b> & \"c\"")),
            "<dt>a &lt;b&gt; &amp; &quot;c&quot;</dt>"
        );
        assert_eq!(html(words("p", "muted", "无")), "<p class=\"muted\">无</p>");
        assert_eq!(
            html(header_row(["名称".to_owned(), "<x>".to_owned()])),
            "<thead><tr><th>名称</th><th>&lt;x&gt;</th></tr></thead>"
        );
        assert_eq!(
            html(button_link("/config?a=1&b=\"", "Open <it>")),
            "<a class=\"button\" href=\"/config?a=1&amp;b=&quot;\">Open &lt;it&gt;</a>"
        );
        assert_eq!(
            html(super::super::rich("run `oc <x>`")),
            "<span class=\"rich\">run <code>oc &lt;x&gt;</code></span>"
        );
    }
}
