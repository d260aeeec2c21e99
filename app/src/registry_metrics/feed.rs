//! The metrics page's live feed (`/api/live?topic=registry-metrics`): after every scrape of
//! the console's collector (or every interval, reading from Prometheus) the page gets the
//! newest moment, read for its user exactly as the page's own read is (the access review
//! is asked again, answered from the gate's short cache), so a right taken away stops the
//! feed's data too.

use std::future::Future;
use std::sync::Arc;

use tokio::sync::mpsc;
use tokio_stream::Stream;
use tokio_stream::wrappers::ReceiverStream;

use super::collector::INTERVAL;
use super::read::read_as;
use super::view::{Health, Tick};
use crate::console::{Console, SignedIn};
use crate::session::Session;

/// The shortest range: its last moment is the newest one.
const NEWEST: u32 = 300;

/// The ticks for `session`'s page until `until` or until the page goes (the stream is
/// dropped, which ends the task at once).
pub fn metrics_events(
    console: Arc<Console>,
    session: Session,
    until: impl Future<Output = ()> + Send + 'static,
) -> impl Stream<Item = Tick> + Send + 'static {
    let (sender, receiver) = mpsc::channel(4);
    tokio::spawn(async move {
        tokio::select! {
            () = run(console, session, &sender) => {},
            () = until => {},
            () = sender.closed() => {},
        }
    });
    ReceiverStream::new(receiver)
}

async fn run(console: Arc<Console>, session: Session, sender: &mpsc::Sender<Tick>) {
    let Ok(user) = SignedIn::new(console.clone(), session) else {
        return;
    };
    let mut scrapes = match (&console.prometheus, console.collector_started()) {
        (None, Some(collector)) => Some(collector.scrapes()),
        _ => None,
    };
    loop {
        match &mut scrapes {
            Some(scrapes) => {
                if scrapes.changed().await.is_err() {
                    return;
                }
            }
            // Prometheus (or no collector): ask as often as the collector would scrape.
            None => tokio::time::sleep(INTERVAL).await,
        }
        let tick = match read_as(&user, NEWEST).await {
            Ok(data) => Tick {
                denied: data.denied,
                health: data.health,
                moment: data.moments.last().cloned(),
            },
            Err(e) => Tick {
                denied: None,
                health: Health::Failing(e.to_string()),
                moment: None,
            },
        };
        if sender.send(tick).await.is_err() {
            return;
        }
    }
}
