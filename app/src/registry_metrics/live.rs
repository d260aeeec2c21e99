//! The browser's end of the metrics page's live feed: an `EventSource` on
//! `/api/live?topic=registry-metrics`, one `tick` event per scrape (see `feed`).

use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Event, EventSource, MessageEvent};

use super::view::Tick;

/// An open feed; dropping it closes the connection.
pub struct Ticks {
    source: EventSource,
    _on_tick: Closure<dyn FnMut(MessageEvent)>,
    _on_open: Closure<dyn FnMut(Event)>,
    _on_error: Closure<dyn FnMut(Event)>,
}

impl Drop for Ticks {
    fn drop(&mut self) {
        self.source.close();
    }
}

/// Opens the feed: `tick` for each event, `opened` when the connection (re)opens, `lost`
/// when it drops (the browser retries by itself). Wrapped so reactive cleanup can own it.
pub fn subscribe(
    tick: impl Fn(Tick) + 'static,
    opened: impl Fn() + 'static,
    lost: impl Fn() + 'static,
) -> Option<SendWrapper<Ticks>> {
    let source = EventSource::new("/api/live?topic=registry-metrics").ok()?;
    let on_tick = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        if let Some(text) = event.data().as_string()
            && let Ok(one) = serde_json::from_str::<Tick>(&text)
        {
            tick(one);
        }
    });
    let on_open = Closure::<dyn FnMut(Event)>::new(move |_: Event| opened());
    let on_error = Closure::<dyn FnMut(Event)>::new(move |_: Event| lost());
    source
        .add_event_listener_with_callback("tick", on_tick.as_ref().unchecked_ref())
        .ok()?;
    source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    Some(SendWrapper::new(Ticks {
        source,
        _on_tick: on_tick,
        _on_open: on_open,
        _on_error: on_error,
    }))
}
