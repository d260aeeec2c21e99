use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::charts::{Chart, Missing};
use super::plot::{HEIGHT, Plot, WIDTH, format, plot};
use super::view::{Denied, Health, MetricsData, Moment, RANGES};
use super::{GetRegistryMetrics, get_registry_metrics};
use crate::components::{StaleBanner, Staleness, data_page, rich};
use crate::i18n::tr;

/// The range the page opens with: an hour.
const FIRST_RANGE: u32 = 3600;

/// `/registry-metrics`: the registry's request rate, latency, traffic, pushes and pulls, storage and
/// cache, moved on by the live feed at every scrape. `?kiosk` leaves out the controls, for a wall display.
#[component]
pub fn MetricsPage() -> impl IntoView {
    data_page(
        OnceResource::new_blocking(get_registry_metrics(FIRST_RANGE)),
        "page wide metrics",
        tr::metrics::title(),
        tr::metrics::lede(),
        |data| data.viewer.clone(),
        |data| view! { <Metrics data/> },
    )
}

fn chart_title(chart: Chart) -> String {
    match chart {
        Chart::Requests => tr::metrics::chart_requests(),
        Chart::Latency => tr::metrics::chart_latency(),
        Chart::InFlight => tr::metrics::chart_in_flight(),
        Chart::Traffic => tr::metrics::chart_traffic(),
        Chart::PushesPulls => tr::metrics::chart_pushes_pulls(),
        Chart::StorageLatency => tr::metrics::chart_storage_latency(),
        Chart::StorageErrors => tr::metrics::chart_storage_errors(),
        Chart::CacheHits => tr::metrics::chart_cache_hits(),
    }
}

/// A line's name in the reader's language; method, status and operation names stay as the
/// registry spells them.
fn line_name(name: &str) -> String {
    match name {
        "pushes" => tr::metrics::line_pushes(),
        "pulls" => tr::metrics::line_pulls(),
        "received" => tr::metrics::line_received(),
        "sent" => tr::metrics::line_sent(),
        "in flight" => tr::metrics::line_in_flight(),
        "hit ratio" => tr::metrics::line_hit_ratio(),
        other => other.to_string(),
    }
}

fn range_name(seconds: u32) -> String {
    match seconds {
        300 => tr::metrics::range_5m(),
        3600 => tr::metrics::range_1h(),
        21600 => tr::metrics::range_6h(),
        _ => tr::metrics::range_24h(),
    }
}

fn health_line(health: &Health, every: u32) -> String {
    match health {
        Health::Starting => tr::metrics::health_starting(every),
        Health::Scraping { pods } => tr::metrics::health_scraping(pods, every),
        Health::NoPods => tr::metrics::health_no_pods(),
        Health::Failing(why) => tr::metrics::health_failing(why),
        Health::Unavailable => tr::metrics::health_unavailable(),
        Health::FromPrometheus { url, step } => tr::metrics::health_prometheus(url, step),
    }
}

fn now_seconds() -> f64 {
    crate::time::now().timestamp_millis() as f64 / 1000.0
}

#[component]
fn Metrics(data: MetricsData) -> impl IntoView {
    let query = use_query_map();
    let kiosk = move || query.with(|q| q.get("kiosk").is_some());
    let every = data.every;
    let range = RwSignal::new(FIRST_RANGE);
    let data = RwSignal::new(data);
    let staleness = RwSignal::new(None::<Staleness>);
    let refresh = ServerAction::<GetRegistryMetrics>::new();
    Effect::new(move |_| match refresh.value().get() {
        Some(Ok(fresh)) => {
            data.set(fresh);
            staleness.set(None);
        }
        Some(Err(_)) if staleness.get_untracked().is_none() => {
            staleness.set(Some(Staleness::ConsoleUnreachable(crate::time::now())));
        }
        _ => {}
    });
    let fetch = move || {
        if !refresh.pending().get_untracked() {
            refresh.dispatch(GetRegistryMetrics {
                seconds: range.get_untracked(),
            });
        }
    };
    // Each scrape arrives on the live feed as one moment; the window is read whole only
    // when the range changes or the feed comes back after a drop.
    #[cfg(feature = "hydrate")]
    {
        let reconnected = std::cell::Cell::new(false);
        let feed = super::live::subscribe(
            move |tick| {
                data.update(|d| d.take(tick, range.get_untracked(), now_seconds()));
                staleness.set(None);
            },
            move || {
                if reconnected.replace(true) {
                    fetch();
                }
            },
            move || {
                if staleness.get_untracked().is_none() {
                    staleness.set(Some(Staleness::ConsoleUnreachable(crate::time::now())));
                }
            },
        );
        on_cleanup(move || drop(feed));
    }
    let choose = move |seconds: u32| {
        range.set(seconds);
        refresh.dispatch(GetRegistryMetrics { seconds });
    };
    let _ = fetch;

    let controls = move || {
        (!kiosk()).then(|| {
            view! {
                <div class="ranges" role="group" aria-label=tr::metrics::range_label()>
                    {RANGES
                        .into_iter()
                        .map(|seconds| view! {
                            <button type="button" class="secondary range"
                                aria-pressed=move || (range.get() == seconds).to_string()
                                on:click=move |_| choose(seconds)>
                                {range_name(seconds)}
                            </button>
                        })
                        .collect_view()}
                    <a class="kiosk-link" href="/registry-metrics?kiosk">{tr::metrics::kiosk()}</a>
                </div>
            }
        })
    };

    let status = move || {
        data.with(|d| match &d.denied {
            Some(denied) => {
                let text = match denied {
                    Denied::Cluster(why) => tr::metrics::denied(why),
                    Denied::RegistryMetrics(why) => tr::metrics::denied_direct(why),
                    Denied::Prometheus(why) => tr::metrics::denied_prometheus(why),
                };
                view! { <p class="alert warning denied">{rich(text)}</p> }.into_any()
            }
            None => view! { <p class="muted health" role="status">{rich(health_line(&d.health, every))}</p> }.into_any(),
        })
    };
    let charts = move || {
        let (moments, denied) = data.with(|d| (d.moments.clone(), d.denied.is_some()));
        if denied {
            return ().into_any();
        }
        let to = now_seconds();
        let from = to - f64::from(range.get());
        Chart::ALL
            .into_iter()
            .map(|chart| view! { <ChartCard chart plotted=plot(&moments, chart, from, to) moments=moments.clone() from to/> })
            .collect_view()
            .into_any()
    };
    view! {
        <StaleBanner staleness=staleness.into()/>
        {controls}
        {status}
        <div class="charts">{charts}</div>
    }
}

/// One chart: its title, the lines as SVG with a read-out under the pointer, a legend with
/// each line's latest value, or why there is nothing to draw.
#[component]
fn ChartCard(
    chart: Chart,
    plotted: Result<Plot, Missing>,
    moments: Vec<Moment>,
    from: f64,
    to: f64,
) -> impl IntoView {
    let unit = chart.unit();
    let per_minute = tr::metrics::per_minute();
    let title = chart_title(chart);
    let body = match plotted {
        Err(why) => {
            let text = match (why, chart) {
                (Missing::NotServed, Chart::StorageErrors) => {
                    tr::metrics::storage_errors_not_served()
                }
                (Missing::NotServed, _) => tr::metrics::not_served(),
                (Missing::NoTraffic, _) => tr::metrics::no_traffic(),
            };
            view! { <p class="muted empty">{rich(text)}</p> }.into_any()
        }
        Ok(p) => {
            let readout = RwSignal::new(None::<String>);
            let label = tr::metrics::chart_summary(
                &title,
                p.lines
                    .iter()
                    .map(|l| {
                        format!(
                            "{} {}",
                            line_name(&l.name),
                            l.last.map_or("-".into(), |v| format(v, unit, &per_minute))
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
            );
            let names: Vec<String> = p.lines.iter().map(|l| l.name.clone()).collect();
            let per_minute_hover = per_minute.clone();
            let hover = move |ev: leptos::ev::PointerEvent| {
                #[cfg(feature = "hydrate")]
                {
                    use wasm_bindgen::JsCast;
                    let Some(target) = ev
                        .current_target()
                        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    else {
                        return;
                    };
                    let width = f64::from(target.client_width().max(1));
                    let at = from + f64::from(ev.offset_x()) / width * (to - from);
                    let nearest = moments
                        .iter()
                        .min_by(|a, b| (a.at - at).abs().total_cmp(&(b.at - at).abs()));
                    readout.set(nearest.map(|m| {
                        let values = m
                            .charts
                            .iter()
                            .find(|(c, _)| *c == chart)
                            .and_then(|(_, lines)| lines.as_ref().ok())
                            .map(|lines| {
                                names
                                    .iter()
                                    .filter_map(|n| lines.iter().find(|(name, _)| name == n))
                                    .map(|(n, v)| {
                                        format!(
                                            "{} {}",
                                            line_name(n),
                                            format(*v, unit, &per_minute_hover)
                                        )
                                    })
                                    .collect::<Vec<_>>()
                                    .join(" · ")
                            })
                            .unwrap_or_default();
                        let when = chrono::DateTime::from_timestamp(m.at as i64, 0)
                            .map(crate::time::clock)
                            .unwrap_or_default();
                        format!("{when}: {values}")
                    }));
                }
                #[cfg(not(feature = "hydrate"))]
                let _ = (ev, &moments, &names, &per_minute_hover, from, to);
            };
            let top = format(p.top, unit, &per_minute);
            view! {
                <div class="plot">
                    <span class="top" aria-hidden="true" translate="no">{top}</span>
                    <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") preserveAspectRatio="none" role="img" aria-label=label
                        on:pointermove=hover on:pointerleave=move |_| readout.set(None)>
                        {p.lines.iter().enumerate().map(|(i, l)| view! {
                            <path d=l.path.clone() class=format!("line line-{}", i % 6) vector-effect="non-scaling-stroke"/>
                        }).collect_view()}
                    </svg>
                </div>
                <p class="readout muted" aria-live="polite" translate="no">{move || readout.get()}</p>
                <ul class="legend">
                    {p.lines.iter().enumerate().map(|(i, l)| view! {
                        <li>
                            <span class=format!("swatch line-{}", i % 6) aria-hidden="true"></span>
                            <span translate="no">{line_name(&l.name)}</span>
                            " "
                            <strong translate="no">{l.last.map_or("-".into(), |v| format(v, unit, &per_minute))}</strong>
                        </li>
                    }).collect_view()}
                </ul>
            }
            .into_any()
        }
    };
    let note = (chart == Chart::StorageErrors)
        .then(|| view! { <p class="muted note">{rich(tr::metrics::storage_alerts())}</p> });
    view! {
        <section class="card chart" data-chart=format!("{chart:?}")>
            <h2>{title}</h2>
            {body}
            {note}
        </section>
    }
}
