//! Inputs more than one form has, bound to the form's values.

use leptos::prelude::*;
use registry_model::registry_config::LogLevel;

/// The log levels a form offers (unset means Normal).
const LOG_LEVELS: [LogLevel; 4] = [
    LogLevel::Normal,
    LogLevel::Debug,
    LogLevel::Trace,
    LogLevel::TraceAll,
];

/// The `input` handler of a text field of a form whose values are `values`: `update` puts
/// the typed text where it belongs.
pub fn on_text<V: Send + Sync + 'static>(
    values: RwSignal<V>,
    update: fn(&mut V, String),
) -> impl Fn(leptos::ev::Event) + Clone + 'static {
    move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        values.update(|v| update(v, text));
    }
}

/// A labelled log level select named `name`, showing `get` of the values and setting it
/// with `set`; `initial` is selected in the server-rendered page.
pub fn log_level_select<V: Send + Sync + 'static>(
    label: String,
    name: &'static str,
    values: RwSignal<V>,
    initial: LogLevel,
    get: fn(&V) -> LogLevel,
    set: fn(&mut V, LogLevel),
) -> impl IntoView {
    view! {
        <label>{label}
            <select name=name prop:value=move || values.with(|v| get(v).as_str())
                on:change=move |ev| {
                if let Some(level) = LogLevel::parse(&event_target_value(&ev)) {
                    values.update(|v| set(v, level));
                }
            }>
                {LOG_LEVELS.into_iter().map(|level| view! {
                    <option value=level.as_str() selected=initial == level>{level.as_str()}</option>
                }).collect_view()}
            </select>
        </label>
    }
}
