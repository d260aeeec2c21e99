use leptos::prelude::*;
use leptos_router::components::Redirect;

use super::doctor_panel::DoctorPanel;
use super::guidance_list::GuidanceList;
use super::management_state::ManagementStateControl;
use super::pods_table::PodsTable;
use super::summary::Summary;
use super::{OverviewData, get_overview};
use crate::components::{ConditionsTable, StaleBanner, Staleness, TopBar, rich, words};
use crate::error::ConsoleError;
use crate::i18n::tr;

/// The home page: the registry at a glance, kept live.
#[component]
pub fn OverviewPage() -> impl IntoView {
    let page = OnceResource::new_blocking(get_overview());
    view! {
        <Suspense fallback=|| words("p", "page", tr::common::loading())>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(data) => view! { <LiveOverview data/> }.into_any(),
                    Err(ConsoleError::NotSignedIn) => view! { <Redirect path="/sign-in"/> }.into_any(),
                    Err(error) => view! { <OverviewError error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The overview, updated by the live stream once the page is hydrated.
#[component]
fn LiveOverview(data: OverviewData) -> impl IntoView {
    let viewer = data.viewer;
    let overview = RwSignal::new(data.overview);
    let staleness = RwSignal::new(None::<Staleness>);
    // Ages count from the server's clock until the browser's clock takes over.
    let now = RwSignal::new(overview.with_untracked(|o| o.generated_at));

    #[cfg(feature = "hydrate")]
    {
        use std::time::Duration;
        let stream = super::live::subscribe(super::live::Handlers {
            overview: Box::new(move |update| {
                overview.set(update);
                staleness.set(None);
            }),
            stale: Box::new(move |since| {
                if !matches!(
                    staleness.get_untracked(),
                    Some(Staleness::ClusterUnreachable(_))
                ) {
                    staleness.set(Some(Staleness::ClusterUnreachable(since)));
                }
            }),
            disconnected: Box::new(move || {
                if staleness.get_untracked().is_none() {
                    staleness.set(Some(Staleness::ConsoleUnreachable(crate::time::now())));
                }
            }),
        });
        on_cleanup(move || drop(stream));
        now.set(crate::time::now());
        if let Ok(handle) =
            set_interval_with_handle(move || now.set(crate::time::now()), Duration::from_secs(1))
        {
            on_cleanup(move || handle.clear());
        }
    }

    let editable = viewer.can_edit;
    let overview_signal: Signal<_> = overview.into();
    let state = Signal::derive(move || overview.with(|o| o.management_state));
    let storage = Signal::derive(move || overview.with(|o| o.storage.clone()));
    let resource_version = Signal::derive(move || overview.with(|o| o.resource_version.clone()));
    let operator_conditions =
        Signal::derive(move || overview.with(|o| o.operator_conditions.clone()));
    let config_conditions = Signal::derive(move || overview.with(|o| o.config_conditions.clone()));
    let pods = Signal::derive(move || overview.with(|o| o.pods.clone()));
    let guidance = Signal::derive(move || overview.with(|o| o.guidance.clone()));
    let doctor = Signal::derive(move || overview.with(|o| o.doctor.clone()));
    let now: Signal<_> = now.into();

    view! {
        <TopBar viewer/>
        <main id="main" class="page overview">
            {words("h1", "", tr::overview::title())}
            <StaleBanner staleness=staleness.into()/>
            <GuidanceList guidance/>
            <DoctorPanel doctor/>
            <Summary overview=overview_signal/>
            {editable.then(|| view! { <ManagementStateControl current=state resource_version storage/> })}
            <ConditionsTable title=tr::overview::operator_conditions() conditions=operator_conditions now/>
            <ConditionsTable title=tr::overview::registry_conditions() conditions=config_conditions now/>
            <PodsTable pods now/>
        </main>
    }
}

/// The overview could not be read at all.
#[component]
fn OverviewError(error: ConsoleError) -> impl IntoView {
    view! {
        <TopBar/>
        <main id="main" class="page narrow">
            {words("h1", "", tr::overview::title())}
            <div class="alert error" role="alert">
                {words("strong", "", tr::overview::load_failed())}" "
                {rich(error.phrase())}
            </div>
            {words("p", "", tr::overview::reload())}
        </main>
    }
}
