//! Routes to the registry (guide 2.4 and 6.1): every Route in `openshift-image-registry`
//! with its host, TLS termination, whether the router admitted it and its certificate's
//! expiry; the routes of `spec.routes`, each with the TLS Secret it names; adding one with
//! its own certificate (a `kubernetes.io/tls` Secret made from an uploaded certificate and
//! key, after checking that they belong together, cover the host and are valid, or an
//! existing one), and removing one.

mod functions;
mod page;
pub mod view;

#[cfg(feature = "ssr")]
pub mod apply;

pub use functions::{
    ApplyRouteChange, GetRoutes, PreviewRouteChange, apply_route_change, get_routes,
    preview_route_change,
};
pub use page::RoutesPage;
