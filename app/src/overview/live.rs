//! The browser's end of the live stream: an `EventSource` on `/api/live`.
//!
//! The server sends one `overview` event (the whole overview, a few kilobytes), then
//! `changed` events (only the fields that changed, coalesced on the server; see
//! `overview::delta`) and `stale` events (the cluster stopped answering; data carries the
//! time).
//! The browser reconnects by itself when the console restarts.

use chrono::{DateTime, Utc};
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Event, EventSource, MessageEvent};

use crate::overview::delta::Changes;
use crate::overview::view::Overview;

/// An open stream; dropping it closes the connection.
pub struct LiveStream {
    source: EventSource,
    _handlers: Vec<Closure<dyn FnMut(MessageEvent)>>,
    _on_error: Closure<dyn FnMut(Event)>,
}

impl Drop for LiveStream {
    fn drop(&mut self) {
        self.source.close();
    }
}

/// What the page does with each kind of event.
pub struct Handlers {
    pub overview: Box<dyn Fn(Overview)>,
    pub stale: Box<dyn Fn(DateTime<Utc>)>,
    /// The connection to the console itself dropped; the browser retries on its own.
    pub disconnected: Box<dyn Fn()>,
}

/// Opens the stream. The result is wrapped so reactive cleanup (which wants `Send`) can
/// own it; it is only ever touched on the browser's one thread.
pub fn subscribe(handlers: Handlers) -> Option<SendWrapper<LiveStream>> {
    let source = EventSource::new("/api/live?topic=overview").ok()?;
    let Handlers {
        overview,
        stale,
        disconnected,
    } = handlers;

    // What the server last sent, whole: each `changed` event is applied to it. Both are
    // read as typed values (see `overview::delta`).
    let held = std::rc::Rc::new(std::cell::RefCell::new(None::<Overview>));
    let overview = std::rc::Rc::new(overview);
    let on_whole = {
        let (held, overview) = (held.clone(), overview.clone());
        Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            if let Some(text) = event.data().as_string()
                && let Ok(whole) = serde_json::from_str::<Overview>(&text)
            {
                overview(whole.clone());
                *held.borrow_mut() = Some(whole);
            }
        })
    };
    let on_changed = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let mut held = held.borrow_mut();
        if let Some(text) = event.data().as_string()
            && let Ok(changes) = serde_json::from_str::<Changes>(&text)
            && let Some(whole) = held.as_mut()
        {
            changes.apply(whole);
            overview(whole.clone());
        }
    });
    let on_stale = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        if let Some(text) = event.data().as_string()
            && let Some(since) = crate::overview::delta::read_stale(&text)
        {
            stale(since);
        }
    });
    let on_error = Closure::<dyn FnMut(Event)>::new(move |_event: Event| disconnected());

    source
        .add_event_listener_with_callback("overview", on_whole.as_ref().unchecked_ref())
        .ok()?;
    source
        .add_event_listener_with_callback("changed", on_changed.as_ref().unchecked_ref())
        .ok()?;
    source
        .add_event_listener_with_callback("stale", on_stale.as_ref().unchecked_ref())
        .ok()?;
    source.set_onerror(Some(on_error.as_ref().unchecked_ref()));

    Some(SendWrapper::new(LiveStream {
        source,
        _handlers: vec![on_whole, on_changed, on_stale],
        _on_error: on_error,
    }))
}
