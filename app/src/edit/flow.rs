//! The browser half of the edit flow, the same for every form: the review is asked for
//! with what the form holds, Apply sends exactly the request that was reviewed, and any
//! edit after the review makes it stale.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use registry_model::validation::{Finding, Severity, blocks};

use super::review::{PlacedFindings, Review, findings_list, review_panel};
use crate::error::ConsoleError;
use crate::i18n::tr;

/// A form's review (`P`, the preview server function) and apply (`A`) of a request `R`.
pub struct EditFlow<R, P, A>
where
    R: 'static,
    P: ServerFn + 'static,
    A: ServerFn + 'static,
{
    pub preview: ServerAction<P>,
    pub apply: ServerAction<A>,
    reviewed: RwSignal<Option<R>>,
    /// The user asked for a review: from then on every error shows, touched or not.
    attempted: RwSignal<bool>,
}

impl<R, P, A> Clone for EditFlow<R, P, A>
where
    P: ServerFn + 'static,
    A: ServerFn + 'static,
{
    fn clone(&self) -> Self {
        *self
    }
}

impl<R, P, A> Copy for EditFlow<R, P, A>
where
    P: ServerFn + 'static,
    A: ServerFn + 'static,
{
}

impl<R, P, A> EditFlow<R, P, A>
where
    R: Clone + Send + Sync + 'static,
    P: ServerFn + From<R> + Send + Sync + Clone + 'static,
    P::Output: Send + Sync + 'static,
    P::Error: Send + Sync + 'static,
    A: ServerFn + From<R> + Send + Sync + Clone + 'static,
    A::Output: Send + Sync + 'static,
    A::Error: Send + Sync + 'static,
{
    /// The flow of a form whose values are `values`: any change to them forgets the last
    /// review, so what Apply sends is always what the review showed.
    pub fn new<V: Send + Sync + 'static>(values: RwSignal<V>) -> Self {
        let flow = EditFlow {
            preview: ServerAction::<P>::new(),
            apply: ServerAction::<A>::new(),
            reviewed: RwSignal::new(None),
            attempted: RwSignal::new(false),
        };
        Effect::new(move |_| {
            values.track();
            flow.reviewed.set(None);
            flow.preview.value().set(None);
        });
        // The cluster's answer to Apply ends the review: the outcome stands where its card
        // was, and the same change cannot be sent twice.
        Effect::new(move |_| {
            if flow
                .apply
                .value()
                .with(|answer| matches!(answer, Some(Ok(_))))
            {
                flow.reviewed.set(None);
                flow.preview.value().set(None);
            }
        });
        flow
    }

    /// Asks for the review of `request`, which Apply will then send; the last outcome goes.
    pub fn review(&self, request: R) {
        self.apply.value().set(None);
        self.reviewed.set(Some(request.clone()));
        self.preview.dispatch(P::from(request));
    }

    /// Applies the reviewed request; nothing without a review.
    pub fn apply_reviewed(&self) {
        if let Some(request) = self.reviewed.get() {
            self.apply.dispatch(A::from(request));
        }
    }
}

impl<R, P, A> EditFlow<R, P, A>
where
    R: Clone + Send + Sync + 'static,
    P: ServerFn<Error = ConsoleError> + From<R> + Send + Sync + Clone + 'static,
    P::Output: Into<Review> + Clone + Send + Sync + 'static,
    A: ServerFn + From<R> + Send + Sync + Clone + 'static,
    A::Output: Send + Sync + 'static,
    A::Error: Send + Sync + 'static,
{
    /// The findings the form shows of `live`: warnings at once, but an error only once the
    /// user has touched its field (`touched`: the fields that differ from what the form
    /// started with; typing a credential key touches `credentials`) or asked for a review.
    /// A new user is not told off for what they have not done yet.
    pub fn shown(self, live: Memo<Vec<Finding>>, touched: Memo<Vec<String>>) -> Memo<Vec<Finding>> {
        let attempted = self.attempted;
        Memo::new(move |_| {
            let all = live.get();
            if attempted.get() {
                return all;
            }
            touched.with(|touched| {
                all.into_iter()
                    .filter(|f| {
                        f.severity != Severity::Error
                            || touched.iter().any(|t| super::review::belongs(t, &f.field))
                    })
                    .collect()
            })
        })
    }

    /// The form's findings placed on its inputs: `live` as the user types, and the last
    /// review's (the server's rules and the API's) once it is back.
    pub fn placed(self, live: Memo<Vec<Finding>>) -> PlacedFindings {
        let preview = self.preview;
        let placed = PlacedFindings::new(live, move || {
            let review = preview.value().get()?.ok()?;
            Some(review.into().findings)
        });
        // Once the page shows them, each input says whether it is invalid, and why.
        #[cfg(feature = "hydrate")]
        Effect::new(move |_| {
            placed.track();
            leptos::prelude::request_animation_frame(super::focus::tie_findings_to_inputs);
        });
        placed
    }

    /// The foot of the form: the findings shown, and the Review button (`class`), disabled
    /// while the user may not edit, a shown finding blocks, or a review is on its way. An
    /// error not shown yet (`all` holds every finding) does not disable it: pressing it
    /// shows every error and takes the focus to the first.
    pub fn review_button(
        self,
        class: &'static str,
        editable: bool,
        all: Memo<Vec<Finding>>,
        shown: Memo<Vec<Finding>>,
        on_review: impl Fn(leptos::ev::MouseEvent) + 'static,
    ) -> impl IntoView {
        let preview = self.preview;
        let attempted = self.attempted;
        let on_click = move |event: leptos::ev::MouseEvent| {
            attempted.set(true);
            let first_error = all.with(|all| {
                all.iter()
                    .find(|f| f.severity == Severity::Error)
                    .map(|f| f.field.clone())
            });
            match first_error {
                #[cfg(feature = "hydrate")]
                Some(field) => super::focus::focus_field(field),
                #[cfg(not(feature = "hydrate"))]
                Some(_) => {}
                None => on_review(event),
            }
        };
        view! {
            <div class="live-findings">{move || findings_list(shown.get())}</div>
            <div class="button-row">
                <button type="button" class=format!("primary {class}")
                    disabled=move || !editable || blocks(&shown.get()) || preview.pending().get()
                    on:click=on_click>
                    {tr::edit::review_button()}
                </button>
            </div>
        }
    }

    /// The review card of the last review (its Apply button, `apply_class`, applies it), or
    /// the server's refusal; `None` before a review.
    pub fn review_panel(self, apply_class: &'static str) -> Option<AnyView> {
        review_panel(
            self.preview.value().get(),
            apply_class,
            self.apply.pending().into(),
            move || self.apply_reviewed(),
        )
    }
}
