//! How to connect: `podman` commands for this cluster's registry, from inside the cluster
//! (the service name, guide 5.2) and from outside it (each route's host, guide 6.1), with
//! the user's project and image, and what to do about trusting a route's certificate.

pub mod commands;
mod page;

pub use page::ConnectPage;
