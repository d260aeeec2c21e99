use leptos::form::ActionForm;
use leptos::prelude::*;

use super::{SignIn, SignInDemo, get_sign_in_options};
use crate::anti_forgery::AntiForgeryField;

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
        <main class="page narrow sign-in">
            <h1>"Registry console"</h1>
            <p class="lede">"Sign in with your cluster identity. Everything you see and change "
                "goes to the cluster as you, so the cluster's RBAC decides."</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    options.await.ok().map(|options| {
                        let demo = (!options.demo_users.is_empty()).then(|| {
                            let buttons = options.demo_users.into_iter().map(|user| {
                                let label = format!("Sign in as {user}");
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
                                    <h2>"Demo cluster"</h2>
                                    <p>"This console runs on the embedded demo cluster. Pick a "
                                        "user: " <strong>"admin"</strong> " may change everything, "
                                        <strong>"viewer"</strong> " may only look."</p>
                                    <div class="button-row">{buttons}</div>
                                </section>
                            }
                        });
                        view! {
                            <p class="cluster">"Cluster: " <code>{options.cluster_url}</code></p>
                            {demo}
                        }
                    })
                })}
            </Suspense>
            <section class="card">
                <h2>"Sign in with a token"</h2>
                <ActionForm action=token_action attr:class="token-form">
                    <AntiForgeryField/>
                    <label for="token">"Bearer token"</label>
                    <input id="token" name="token" type="password" autocomplete="off"
                        spellcheck="false" placeholder="sha256~…"/>
                    <p class="hint">"Run " <code>"oc whoami -t"</code> " while logged in to the "
                        "cluster, or use “Copy login command” in the OpenShift web console."</p>
                    <button type="submit" class="primary" disabled=pending>
                        {move || if pending() { "Checking…" } else { "Sign in" }}
                    </button>
                </ActionForm>
            </section>
            {move || error().map(|error| view! {
                <p class="alert error" role="alert">{error.to_string()}</p>
            })}
        </main>
    }
}
