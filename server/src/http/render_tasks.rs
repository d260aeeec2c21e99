//! Where a page's asynchronous work runs (a `<Suspense>`'s effects and resources): on
//! tokio, as Leptos's own executor would, with the ancestors of the owner that spawned
//! each task kept alive for the length of each of its polls.
//!
//! Why: a render's owners hold their parents weakly, and a response can be dropped while
//! its render's tasks still run (the reader left; the fuzz test drops answers unread). Its
//! root owner then goes on one thread while a task on another looks a context up (every
//! word the page shows does). reactive_graph 0.2.16's lookup holds the task's owner's read
//! lock while it walks up the ancestors; when the ancestor it upgraded is by then the last
//! reference, dropping it there cleans up its descendants, that owner among them, whose
//! write lock the same thread then waits for: forever. Each time, a worker thread was lost
//! (the fuzz test hung in CI; here about one run in fifty on two busy cores). Held by the
//! task, the last reference goes after the poll, where no lock is held, and the cleanup
//! runs there.

use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;
use std::task::{Context, Poll};

use any_spawner::{CustomExecutor, Executor, PinnedFuture, PinnedLocalFuture};
use leptos::reactive::owner::{Owner, WeakOwner};

/// Makes this executor the one Leptos spawns on. Before the first render: Leptos's handlers
/// install tokio's on first use, and the first to be installed stays.
pub fn install() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        Executor::init_custom_executor(KeepAncestors).expect(
            "another executor was installed before the router was built: a render ran first",
        )
    });
}

struct KeepAncestors;

impl CustomExecutor for KeepAncestors {
    fn spawn(&self, task: PinnedFuture<()>) {
        tokio::spawn(WithAncestors {
            ancestors: ancestors(),
            task,
        });
    }

    fn spawn_local(&self, task: PinnedLocalFuture<()>) {
        tokio::task::spawn_local(task);
    }

    fn poll_local(&self) {}
}

/// The current owner and its ancestors, nearest first.
fn ancestors() -> Vec<WeakOwner> {
    let mut chain = Vec::new();
    let mut next = Owner::current();
    while let Some(owner) = next {
        chain.push(owner.downgrade());
        next = owner.parent();
    }
    chain
}

struct WithAncestors {
    ancestors: Vec<WeakOwner>,
    task: PinnedFuture<()>,
}

impl Future for WithAncestors {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // Only during a poll: held between polls, they would never be cleaned up, and
        // cleaning them up is what ends the render's effects, these tasks among them.
        let held: Vec<Owner> = self
            .ancestors
            .iter()
            .filter_map(WeakOwner::upgrade)
            .collect();
        let poll = self.task.as_mut().poll(cx);
        drop(held);
        poll
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_tasks_ancestors_outlive_each_poll_and_no_more() {
        install();
        let root = app::owner::detached_root();
        let (cleaning_up, cleaned_up) = mpsc::channel();
        root.with(|| Owner::on_cleanup(move || cleaning_up.send(()).unwrap()));
        let owner = root.child();
        let (polling, in_poll) = mpsc::channel();
        let (go, dropped) = mpsc::channel::<()>();
        let (answer, parent_seen) = mpsc::channel();
        owner.clone().with(|| {
            Executor::spawn(Box::pin(async move {
                // Mid-poll, the root loses its last other reference: a response dropped
                // on another thread while its render's task runs.
                polling.send(()).unwrap();
                dropped.recv().unwrap();
                answer.send(owner.parent().is_some()).unwrap();
            }))
        });
        // Blocking is fine here: the test's own thread is not one of the two workers.
        in_poll.recv_timeout(Duration::from_secs(5)).unwrap();
        drop(root);
        go.send(()).unwrap();
        let seen = parent_seen.recv_timeout(Duration::from_secs(5)).unwrap();
        assert!(seen, "the root was gone while the task it owns was polled");
        // After the poll, the task's hold was the last: the root is cleaned up.
        cleaned_up
            .recv_timeout(Duration::from_secs(5))
            .expect("the root's cleanup: not in 5 s");
    }
}
