//! Graceful shutdown: one signal, many listeners (the HTTP server and every live stream,
//! which would otherwise keep connections open forever).

use tokio::sync::watch;

/// Tells everyone that the console is stopping.
#[derive(Clone)]
pub struct Shutdown {
    receiver: watch::Receiver<bool>,
}

/// Triggers a [`Shutdown`].
pub struct Trigger {
    sender: watch::Sender<bool>,
}

/// A connected trigger and listener.
pub fn channel() -> (Trigger, Shutdown) {
    let (sender, receiver) = watch::channel(false);
    (Trigger { sender }, Shutdown { receiver })
}

impl Trigger {
    /// Starts the shutdown.
    pub fn fire(&self) {
        let _ = self.sender.send(true);
    }
}

impl Shutdown {
    /// Resolves once the shutdown has started.
    pub async fn wait(mut self) {
        let _ = self.receiver.wait_for(|stopping| *stopping).await;
    }
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
