use leptos::form::ActionForm;
use leptos::prelude::*;

use super::{SignIn, SignInDemo, get_sign_in_options};
use crate::anti_forgery::AntiForgeryField;
use crate::components::{LanguageSwitch, rich};
use crate::i18n::tr;

/// Sign-in with a bearer token; on the demo cluster also one button per demo user.
#[component]
pub fn SignInPage() -> impl IntoView {
    let options = OnceResource::new_blocking(get_sign_in_options());
    let token_action = ServerAction::<SignIn>::new();
    let demo_action = ServerAction::<SignInDemo>::new();
    let pending = move || token_action.pending().get() || demo_action.pending().get();
    let error = move || {
        token_action
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| demo_action.value().get().and_then(Result::err))
    };

    view! {
        <main id="main" class="page narrow sign-in">
            <div class="page-language"><LanguageSwitch/></div>
            <h1>{tr::common::brand()}</h1>
            <p class="lede">{tr::sign_in::lede()}</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    options.await.ok().map(|options| {
                        let demo = (!options.demo_users.is_empty()).then(|| {
                            let buttons = options.demo_users.into_iter().map(|user| {
                                let label = tr::sign_in::demo_sign_in_as(&user);
                                view! {
                                    <ActionForm action=demo_action attr:class="demo-user">
                                        <AntiForgeryField/>
                                        <input type="hidden" name="user" value=user.clone()/>
                                        <button type="submit" class="primary" data-demo-user=user>
                                            {label}
                                        </button>
                                    </ActionForm>
                                }
                            }).collect_view();
                            view! {
                                <section class="card demo-users">
                                    <h2>{tr::sign_in::demo_title()}</h2>
                                    <p>{rich(tr::sign_in::demo_text())}</p>
                                    <div class="button-row">{buttons}</div>
                                </section>
                            }
                        });
                        view! {
                            <p class="cluster">{tr::sign_in::cluster()} " " <code>{options.cluster_url}</code></p>
                            {demo}
                        }
                    })
                })}
            </Suspense>
            <section class="card">
                <h2>{tr::sign_in::token_title()}</h2>
                <ActionForm action=token_action attr:class="token-form">
                    <AntiForgeryField/>
                    <label for="token">{tr::sign_in::token_label()}</label>
                    <input id="token" name="token" type="password" autocomplete="off"
                        spellcheck="false" placeholder="sha256~…"/>
                    <p class="hint">{rich(tr::sign_in::token_hint())}</p>
                    <button type="submit" class="primary" disabled=pending>
                        {move || if pending() { tr::sign_in::checking() } else { tr::sign_in::submit() }}
                    </button>
                </ActionForm>
            </section>
            {move || error().map(|error| view! {
                <p class="alert error" role="alert">{rich(error.phrase())}</p>
            })}
        </main>
    }
}
