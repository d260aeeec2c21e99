use leptos::prelude::*;

use super::commands::{
    Commands, IMAGE_PLACEHOLDER, PROJECT_PLACEHOLDER, commands, image_or_placeholder, node_shell,
    project_or_placeholder, trust_commands,
};
use crate::components::{data_page, rich};
use crate::i18n::tr;
use crate::overview::{OverviewData, RouteView, get_overview};
use registry_model::names::INTERNAL_HOSTNAME;

/// `/connect`: the commands that reach this cluster's registry, kept live (a route's host
/// shows up when the router admits it).
#[component]
pub fn ConnectPage() -> impl IntoView {
    data_page(
        OnceResource::new_blocking(get_overview()),
        "page narrow connect",
        tr::connect::title(),
        tr::connect::lede(),
        |data| data.viewer.clone(),
        |data| view! { <Connect data/> },
    )
}

/// One command with a button that copies it; `text` follows what the user types.
fn command_line(class: &'static str, text: Signal<String>) -> impl IntoView {
    let copied = RwSignal::new(false);
    let copy = move |_| {
        let text = text.get_untracked();
        #[cfg(feature = "hydrate")]
        if let Some(window) = web_sys::window() {
            let promise = window.navigator().clipboard().write_text(&text);
            leptos::task::spawn_local(async move {
                if wasm_bindgen_futures::JsFuture::from(promise).await.is_ok() {
                    let _ = copied.try_set(true);
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = text;
    };
    Effect::new(move |_| {
        text.track();
        copied.set(false);
    });
    view! {
        <div class="command-line">
            <pre class=format!("command {class}")>{move || text.get()}</pre>
            <button type="button" class="secondary copy" on:click=copy>
                {move || if copied.get() { tr::connect::copied() } else { tr::connect::copy() }}
            </button>
        </div>
    }
}

/// Login, tag, push and pull for one host, each with its step's name.
fn steps(lines: Memo<Commands>) -> impl IntoView {
    let step = |label: String, class: &'static str, pick: fn(&Commands) -> String| {
        view! {
            <li>
                <span class="step-name">{label}</span>
                {command_line(class, Signal::derive(move || lines.with(pick)))}
            </li>
        }
    };
    view! {
        <ol class="connect-steps">
            {step(tr::connect::steps_login(), "podman-login", |c| c.login.clone())}
            {step(tr::connect::steps_tag(), "podman-tag", |c| c.tag.clone())}
            {step(tr::connect::steps_push(), "podman-push", |c| c.push.clone())}
            {step(tr::connect::steps_pull(), "podman-pull", |c| c.pull.clone())}
        </ol>
    }
}

/// A fixed list of commands (a node's shell, the trust steps).
fn fixed(class: &'static str, lines: Vec<String>) -> impl IntoView {
    lines
        .into_iter()
        .map(|line| command_line(class, Signal::stored(line)))
        .collect_view()
}

#[component]
fn Connect(data: OverviewData) -> impl IntoView {
    let user = data.viewer.name.clone();
    let overview = RwSignal::new(data.overview);
    #[cfg(feature = "hydrate")]
    {
        let stream = crate::overview::live::subscribe(crate::overview::live::Handlers {
            overview: Box::new(move |update| overview.set(update)),
            stale: Box::new(|_| {}),
            disconnected: Box::new(|| {}),
        });
        on_cleanup(move || drop(stream));
    }
    let project = RwSignal::new(String::new());
    let image = RwSignal::new(String::new());
    // What the user typed that is not a project or an image, said beside the input (an
    // empty field is not an error: the commands show a placeholder).
    let project_note = move || {
        let typed = project.get();
        (!typed.trim().is_empty() && project_or_placeholder(&typed) == PROJECT_PLACEHOLDER)
            .then(|| view! { <span class="finding warning">{tr::connect::not_project(typed.trim())}</span> })
    };
    let image_note = move || {
        let typed = image.get();
        (!typed.trim().is_empty() && image_or_placeholder(&typed) == IMAGE_PLACEHOLDER)
            .then(|| view! { <span class="finding warning">{tr::connect::not_image(typed.trim())}</span> })
    };

    let routes = Memo::new(move |_| overview.with(|o| o.routes.clone()));
    let outside = move || {
        let routes: Vec<RouteView> = routes.get();
        if routes.is_empty() {
            return view! {
                <p class="alert warning not-exposed">{rich(tr::connect::not_exposed())}</p>
                <a class="button" href="/config#spec.defaultRoute">{tr::connect::link_default_route()}</a>
            }
            .into_any();
        }
        routes
            .into_iter()
            .map(|route| match route.host.clone() {
                None => view! {
                    <p class="muted route-pending" data-route=route.name.clone()>
                        {rich(tr::connect::route_pending(&route.name))}
                    </p>
                }
                .into_any(),
                Some(host) => {
                    let own = route.custom_certificate;
                    let for_host = host.clone();
                    let lines = Memo::new(move |_| {
                        commands(&for_host, &project.get(), &image.get(), !own)
                    });
                    view! {
                        <section class="card route" data-route=route.name.clone()>
                            <h3 translate="no">{host.clone()}</h3>
                            {if own {
                                view! { <p class="muted">{rich(tr::connect::route_own_cert())}</p> }.into_any()
                            } else {
                                view! {
                                    <p class="alert info default-cert">{rich(tr::connect::route_default_cert())}</p>
                                    <details class="trust">
                                        <summary>{tr::connect::trust_title()}</summary>
                                        {fixed("trust", trust_commands(&host).to_vec())}
                                    </details>
                                }
                                .into_any()
                            }}
                            {steps(lines)}
                        </section>
                    }
                    .into_any()
                }
            })
            .collect_view()
            .into_any()
    };

    let inside = move || {
        let host = overview.with(|o| o.internal_hostname.clone());
        match host {
            None => view! { <p class="alert warning not-running">{rich(tr::connect::not_running(INTERNAL_HOSTNAME))}</p> }.into_any(),
            Some(host) => {
                let lines = Memo::new(move |_| commands(&host, &project.get(), &image.get(), false));
                view! {
                    {fixed("node-shell", node_shell().to_vec())}
                    {steps(lines)}
                }
                .into_any()
            }
        }
    };

    view! {
        <section class="card connect-inputs">
            <label>{tr::connect::project()}
                <input name="project" autocomplete="off" spellcheck="false" placeholder=PROJECT_PLACEHOLDER
                    on:input=move |ev| project.set(event_target_value(&ev))/>
                <span class="muted">{rich(tr::connect::project_hint())}</span>
                {project_note}
            </label>
            <label>{tr::connect::image()}
                <input name="image" autocomplete="off" spellcheck="false" placeholder=IMAGE_PLACEHOLDER
                    on:input=move |ev| image.set(event_target_value(&ev))/>
                <span class="muted">{rich(tr::connect::image_hint())}</span>
                {image_note}
            </label>
        </section>
        <section class="card outside">
            <h2>{tr::connect::outside_title()}</h2>
            <p class="muted">{rich(tr::connect::outside_body())}</p>
            {outside}
        </section>
        <section class="card inside">
            <h2>{tr::connect::inside_title()}</h2>
            <p class="muted">{rich(tr::connect::inside_body(user))}</p>
            {inside}
        </section>
        <p class="muted rights">{rich(tr::connect::rights())}</p>
    }
}
