use crate::changes::RecentChanges;
use crate::changes::view::Subject;
use leptos::prelude::*;
use registry_model::registry_config::ManagementState;
use registry_model::tls::{CERT_FIELD, HOST_FIELD, KEY_FIELD};
use registry_model::trust::CertFacts;

use super::view::{
    CustomRoute, RouteChange, RouteEdit, RouteRow, Routes, RoutesData, TlsSecret, TlsSource,
};
use super::{ApplyRouteChange, GetRoutes, PreviewRouteChange, get_routes};
use crate::components::{data_page, error_outcome, rich};
use crate::edit::flow::EditFlow;
use crate::edit::outcome::{Object, Outcome, OutcomeNotice};
use crate::edit::review::ReviewCard;
use crate::i18n::tr;

/// Where findings about the new route's name and Secret land (the server's fields).
const NAME_FIELD: &str = "name";
const SECRET_FIELD: &str = "secret";

/// How often the page reads the routes again (the router admits a new one within seconds).
#[cfg(feature = "hydrate")]
const REFRESH_SECONDS: u64 = 4;

/// `/routes`: the registry's routes, their certificates, and adding or removing one.
#[component]
pub fn RoutesPage() -> impl IntoView {
    data_page(
        OnceResource::new_blocking(get_routes()),
        "page narrow routes",
        tr::routes::title(),
        tr::routes::lede(),
        |data| data.viewer.clone(),
        |data| view! { <RoutesView data/> },
    )
}

/// Where a new route's certificate comes from, as the form chooses it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Tls {
    #[default]
    Default,
    Existing,
    Upload,
}

#[derive(Clone, Debug, Default, PartialEq)]
struct RouteValues {
    /// `Some(name)`: removing that route.
    removing: Option<CustomRoute>,
    name: String,
    hostname: String,
    tls: Tls,
    existing: String,
    secret: String,
    certificate: String,
    key: String,
}

impl RouteValues {
    fn change(&self, routes: &Routes) -> RouteChange {
        let secret = if self.secret.trim().is_empty() {
            format!("{}-tls", self.name.trim())
        } else {
            self.secret.trim().to_owned()
        };
        let edit = match &self.removing {
            Some(route) => RouteEdit::Remove {
                name: route.name.clone(),
            },
            None => RouteEdit::Add {
                name: self.name.trim().to_owned(),
                hostname: self.hostname.trim().to_owned(),
                tls: match self.tls {
                    Tls::Default => TlsSource::Default,
                    Tls::Existing => TlsSource::Existing {
                        secret: self.existing.clone(),
                    },
                    Tls::Upload => TlsSource::Upload {
                        secret,
                        certificate: self.certificate.clone(),
                        key: self.key.clone(),
                    },
                },
            },
        };
        RouteChange {
            edit,
            config_version: routes.config_version.clone(),
            shown: routes.custom.clone(),
        }
    }
}

fn date(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(seconds, 0)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

fn certificate_line(cert: &CertFacts) -> impl IntoView + use<> {
    view! {
        <span class="cert-line">
            <span translate="no">{cert.subject.clone()}</span>" · "
            {tr::routes::expires(date(cert.not_after))}" · "
            <span translate="no">{cert.sans.join(", ")}</span>
        </span>
    }
}

fn route_row(route: &RouteRow) -> impl IntoView + use<> {
    let admitted = match route.admitted {
        Some(true) => ("admitted yes", tr::routes::admitted_yes()),
        Some(false) => ("admitted no", tr::routes::admitted_no()),
        None => ("admitted pending", tr::routes::admitted_pending()),
    };
    view! {
        <li class="route-row" data-route=route.name.clone()>
            <h3 translate="no">{route.host.clone().unwrap_or_else(|| route.name.clone())}</h3>
            <dl class="route-facts">
                <dt>{tr::routes::route_name()}</dt><dd><code>{route.name.clone()}</code>
                    {route.operator_owned.then(|| view! { " " <span class="muted">{tr::routes::by_operator()}</span> })}</dd>
                <dt>{tr::routes::termination()}</dt><dd><code>{route.termination.clone().unwrap_or_else(|| "-".into())}</code></dd>
                <dt>{tr::routes::admitted()}</dt><dd class=admitted.0>{admitted.1}</dd>
                <dt>{tr::routes::certificate()}</dt>
                <dd class="route-cert">{match &route.certificate {
                    Some(cert) => certificate_line(cert).into_any(),
                    None => view! { <span class="muted">{tr::routes::ingress_certificate()}</span> }.into_any(),
                }}</dd>
            </dl>
        </li>
    }
}

#[component]
fn RoutesView(data: RoutesData) -> impl IntoView {
    let viewer = data.viewer;
    let routes = RwSignal::new(data.routes);
    let refresh = ServerAction::<GetRoutes>::new();
    Effect::new(move |_| {
        if let Some(Ok(fresh)) = refresh.value().get() {
            routes.set(fresh.routes);
        }
    });
    #[cfg(feature = "hydrate")]
    {
        use std::time::Duration;
        let tick = move || {
            if !refresh.pending().get_untracked() {
                refresh.dispatch(GetRoutes {});
            }
        };
        if let Ok(handle) = set_interval_with_handle(tick, Duration::from_secs(REFRESH_SECONDS)) {
            on_cleanup(move || handle.clear());
        }
    }
    let editable = viewer.can_edit;
    let values = RwSignal::new(RouteValues::default());
    let flow = EditFlow::<RouteChange, PreviewRouteChange, ApplyRouteChange>::new(values);
    let outcome = RwSignal::new(None::<Outcome>);
    Effect::new(move |_| {
        if let Some(answer) = flow.apply.value().get() {
            if let Ok(result) = &answer {
                if result.is_done() {
                    values.set(RouteValues::default());
                }
                outcome.set(Some(result.clone()));
            }
            refresh.dispatch(GetRoutes {});
        }
    });
    let placed = flow.placed(Memo::new(|_| Vec::new()));

    let rows = Memo::new(move |_| routes.with(|r| r.routes.clone()));
    let custom = Memo::new(move |_| routes.with(|r| r.custom.clone()));
    let secrets = Memo::new(move |_| routes.with(|r| r.secrets.clone()));
    let state = Memo::new(move |_| {
        routes.with(|r| (r.management_state, r.default_route, r.unreadable.clone()))
    });
    let removing = Memo::new(move |_| values.with(|v| v.removing.clone()));
    let tls = Memo::new(move |_| values.with(|v| v.tls));

    let start_removing = move |route: CustomRoute| {
        outcome.set(None);
        values.update(|v| v.removing = Some(route));
    };
    let custom_list = move || {
        let list = custom.get();
        if list.is_empty() {
            return view! { <p class="muted no-custom">{tr::routes::no_custom()}</p> }.into_any();
        }
        view! {
            <ul class="custom-routes">
                {list.into_iter().map(|route| {
                    let chosen = route.clone();
                    view! {
                        <li class="custom-route" data-route=route.name.clone()>
                            <code>{route.name.clone()}</code>" "
                            <span translate="no">{route.hostname.clone().unwrap_or_default()}</span>" "
                            {route.secret_name.clone().map(|s| view! { <span class="muted">{tr::routes::with_secret(s)}</span> })}
                            {route.secret_missing.then(|| view! {
                                <p class="finding error secret-missing">{tr::routes::secret_missing(route.secret_name.clone().unwrap_or_default())}</p>
                            })}
                            {editable.then(|| view! {
                                <button type="button" class="secondary remove-route"
                                    on:click=move |_| start_removing(chosen.clone())>{tr::routes::remove()}</button>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any()
    };

    let secret_option = |secret: TlsSecret| {
        let label = match &secret.certificate {
            Ok(cert) => format!(
                "{} ({}, {})",
                secret.name,
                cert.sans.join(", "),
                tr::routes::expires(date(cert.not_after))
            ),
            Err(_) => secret.name.clone(),
        };
        view! { <option value=secret.name.clone()>{label}</option> }
    };

    let text_input = move |name: &'static str,
                           label: String,
                           get: fn(&RouteValues) -> String,
                           set: fn(&mut RouteValues, String)| {
        view! {
            <label>{label}
                <input name=name autocomplete="off" spellcheck="false"
                    prop:value=move || values.with(get)
                    on:input=move |ev| { let text = event_target_value(&ev); values.update(|v| set(v, text)); }/>
                {placed.near(name)}
            </label>
        }
    };
    let pem_input = move |name: &'static str,
                          label: String,
                          get: fn(&RouteValues) -> String,
                          set: fn(&mut RouteValues, String)| {
        view! {
            <label>{label}
                <textarea name=name rows="6" spellcheck="false" autocomplete="off"
                    prop:value=move || values.with(get)
                    on:input=move |ev| { let text = event_target_value(&ev); values.update(|v| set(v, text)); }></textarea>
                <input type="file" name=format!("{name}-file") accept=".crt,.pem,.key,text/plain" aria-label=tr::routes::file()
                    on:change=move |ev| {
                        crate::edit::upload::read_text_file(&ev, crate::edit::upload::BUNDLE_BYTES, move |result| {
                            if let Ok((_, text)) = result { values.update(|v| set(v, text)); }
                        });
                    }/>
                {placed.near(name)}
            </label>
        }
    };

    let form = move || {
        let review = move |_| flow.review(values.with(|v| routes.with(|r| v.change(r))));
        match removing.get() {
            Some(route) => {
                let secret = route.secret_name.clone();
                view! {
                    <section class="card route-form" aria-labelledby="route-form-title">
                        <h2 id="route-form-title">{tr::routes::remove_title(&route.name)}</h2>
                        <p class="alert danger remove-route-danger">{rich(match &secret {
                            Some(secret) => tr::routes::remove_danger_secret(&route.name, secret),
                            None => tr::routes::remove_danger(&route.name),
                        })}</p>
                        <div class="button-row">
                            <button type="button" class="primary review-route" on:click=review>{tr::edit::review_button()}</button>
                            <button type="button" class="secondary" on:click=move |_| values.update(|v| v.removing = None)>{tr::routes::cancel()}</button>
                        </div>
                    </section>
                }
                .into_any()
            }
            None => view! {
                <section class="card route-form" aria-labelledby="route-form-title">
                    <h2 id="route-form-title">{tr::routes::add_title()}</h2>
                    {text_input(NAME_FIELD, tr::routes::route_name(), |v| v.name.clone(), |v, t| v.name = t)}
                    {text_input(HOST_FIELD, tr::routes::hostname(), |v| v.hostname.clone(), |v, t| v.hostname = t)}
                    <p class="muted">{rich(tr::routes::hostname_hint())}</p>
                    <fieldset class="tls-choice">
                        <legend>{tr::routes::tls_legend()}</legend>
                        {[(Tls::Default, tr::routes::tls_default()), (Tls::Existing, tr::routes::tls_existing()), (Tls::Upload, tr::routes::tls_upload())]
                            .into_iter()
                            .map(|(choice, label)| view! {
                                <label class="choice-line">
                                    <input type="radio" name="tls" prop:checked=move || tls.get() == choice
                                        on:change=move |_| values.update(|v| v.tls = choice)/>
                                    {label}
                                </label>
                            })
                            .collect_view()}
                    </fieldset>
                    {move || match tls.get() {
                        Tls::Default => None,
                        Tls::Existing => Some(view! {
                            <label>{tr::routes::secret()}
                                <select name=SECRET_FIELD on:change=move |ev| {
                                    let name = event_target_value(&ev);
                                    values.update(|v| v.existing = name);
                                }>
                                    <option value="">{tr::routes::choose_secret()}</option>
                                    {move || secrets.get().into_iter().map(secret_option).collect_view()}
                                </select>
                                {placed.near(SECRET_FIELD)}
                            </label>
                        }.into_any()),
                        Tls::Upload => Some(view! {
                            {pem_input(CERT_FIELD, tr::routes::certificate_pem(), |v| v.certificate.clone(), |v, t| v.certificate = t)}
                            {pem_input(KEY_FIELD, tr::routes::key_pem(), |v| v.key.clone(), |v, t| v.key = t)}
                            <p class="muted">{rich(tr::routes::key_hint())}</p>
                            {text_input(SECRET_FIELD, tr::routes::new_secret(), |v| v.secret.clone(), |v, t| v.secret = t)}
                        }.into_any()),
                    }}
                    <div class="button-row">
                        <button type="button" class="primary review-route"
                            disabled=move || values.with(|v| v.name.trim().is_empty()) || flow.preview.pending().get()
                            on:click=review>{tr::edit::review_button()}</button>
                    </div>
                </section>
            }
            .into_any(),
        }
    };

    let review_panel = move || {
        let danger = removing.get().map(|r| r.name);
        flow.preview.value().get().map(|result| match result {
            Err(error) => error_outcome(&error).into_any(),
            Ok(review) => {
                let certificate = review.certificate.clone();
                let on_apply = Callback::new(move |()| flow.apply_reviewed());
                let pending = flow.apply.pending();
                let review: crate::edit::review::Review = review.into();
                view! {
                    {certificate.map(|cert| view! {
                        <section class="card to-serve">
                            <h2>{tr::routes::to_serve()}</h2>
                            <p>{certificate_line(&cert)}</p>
                            <p class="muted"><code class="fingerprint">{cert.sha256.clone()}</code></p>
                        </section>
                    })}
                    {match danger {
                        Some(name) => view! {
                            <ReviewCard review apply_class="apply-route" pending on_apply
                                apply_label=tr::routes::remove_apply(name) danger=true/>
                        }.into_any(),
                        None => view! { <ReviewCard review apply_class="apply-route" pending on_apply/> }.into_any(),
                    }}
                }
                .into_any()
            }
        })
    };

    view! {
        {move || state.with(|(management, default_route, unreadable)| view! {
            {(!unreadable.is_empty()).then(|| view! {
                <p class="alert info unreadable">{tr::routes::unreadable(unreadable.join("; "))}</p>
            })}
            {(*management == Some(ManagementState::Removed)).then(|| view! {
                <p class="alert warning routes-removed">{rich(tr::routes::registry_removed())}</p>
            })}
            <p class="default-route-state">{rich(if *default_route { tr::routes::default_on() } else { tr::routes::default_off() })}" "
                <a href="/config#spec.defaultRoute">{tr::routes::change_default()}</a></p>
        })}
        <section class="card route-list" aria-labelledby="route-list-title">
            <h2 id="route-list-title">{tr::routes::routes_title()}</h2>
            {move || {
                let list = rows.get();
                if list.is_empty() {
                    view! { <p class="muted no-routes">{tr::routes::no_routes()}</p> }.into_any()
                } else {
                    view! { <ul class="route-rows">{list.iter().map(route_row).collect_view()}</ul> }.into_any()
                }
            }}
        </section>
        <section class="card custom-list" aria-labelledby="custom-list-title">
            <h2 id="custom-list-title">{tr::routes::custom_title()}</h2>
            {custom_list}
        </section>
        {move || outcome.get().map(|outcome| view! { <OutcomeNotice outcome object=Object::Config/> })}
        {(!editable).then(|| view! {
            <p class="alert info view-only">{rich(crate::edit::view_only_reason(&viewer, tr::routes::view_only_rbac))}</p>
        })}
        {move || editable.then(form)}
        {review_panel}
        <RecentChanges subject=Subject::Routes reads=Signal::derive(move || flow.apply.version().get() as u32)/>
    }
}
