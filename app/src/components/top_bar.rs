use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use super::Html;
use crate::anti_forgery::AntiForgeryField;
use crate::i18n::{self, Locale, tr};
use crate::sign_in::SignOut;
use crate::viewer::Viewer;

/// The bar on top of every signed-in page: where you are, who you are, the language,
/// sign-out.
#[component]
pub fn TopBar(#[prop(optional, into)] viewer: Option<Viewer>) -> impl IntoView {
    let who = viewer.map(|viewer| {
        let badge = if viewer.console_read_only {
            Some((tr::common::badge_read_only(), tr::common::badge_read_only_why()))
        } else if !viewer.can_edit {
            Some((tr::common::badge_view_only(), tr::common::badge_view_only_why()))
        } else {
            None
        }
        .map(|(badge, why)| {
            Html::default()
                .element("span", &[("class", "badge"), ("title", &why)], &badge)
                .into_view()
        });
        view! {
            <span class="user">{tr::common::signed_in_as()} " " <strong class="user-name">{viewer.name}</strong></span>
            {badge}
            // A plain form, as before hydration: the server ends the session and redirects
            // to the sign-in page, which loads whole. (An ActionForm would do the same
            // from the WASM, with a form decoder in every page's first load.)
            <form method="post" action=SignOut::PATH class="sign-out">
                <AntiForgeryField/>
                {Html::default().element("button", &[("type", "submit"), ("class", "link")], &tr::common::sign_out()).into_view()}
            </form>
        }
    });
    let nav = Html::default()
        .open("nav", &[("aria-label", &tr::common::nav_label())])
        .element("a", &[("href", "/")], &tr::common::nav_overview())
        .element("a", &[("href", "/config")], &tr::common::nav_config())
        .element("a", &[("href", "/pruner")], &tr::common::nav_pruner())
        .element("a", &[("href", "/routes")], &tr::common::nav_routes())
        .element("a", &[("href", "/trust")], &tr::common::nav_trust())
        .element("a", &[("href", "/access")], &tr::common::nav_access())
        .element(
            "a",
            &[("href", "/registry-metrics")],
            &tr::common::nav_metrics(),
        )
        .element("a", &[("href", "/registry-logs")], &tr::common::nav_logs())
        .element("a", &[("href", "/connect")], &tr::common::nav_connect())
        .close("nav")
        .into_view();
    view! {
        <header class="top-bar">
            // The first stop of the Tab key: past the bar to the page's content.
            {Html::default().element("a", &[("class", "skip-link"), ("href", "#main")], &tr::common::skip_to_content()).into_view()}
            {Html::default().element("a", &[("class", "brand"), ("href", "/")], &tr::common::brand()).into_view()}
            {nav}
            <div class="who">
                <LanguageSwitch/>
                {who}
            </div>
        </header>
    }
}

/// Offers the other language, named in itself. A plain form post: the server keeps the
/// choice in a cookie and shows the same page again, whole, in that language (the session
/// is untouched).
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let other = match i18n::current() {
        Locale::En => Locale::ZhCn,
        Locale::ZhCn => Locale::En,
    };
    let location = leptos_router::hooks::use_location();
    let back = move || format!("{}{}", location.pathname.get(), location.search.get());
    view! {
        <form method="post" action=i18n::functions::SetLanguage::PATH class="language">
            <AntiForgeryField/>
            <input type="hidden" name="back" value=back/>
            <button type="submit" class="link" name="lang" value=other.tag() lang=other.tag()
                title=tr::common::language_switch(other.own_name())>
                {other.own_name()}
            </button>
        </form>
    }
}
