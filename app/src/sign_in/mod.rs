//! Signing in (with a token, or as a demo user with one click) and out.

mod functions;
mod page;

#[cfg(feature = "ssr")]
pub mod open;

use serde::{Deserialize, Serialize};

pub use functions::{
    GetSignInOptions, SignIn, SignInDemo, SignOut, get_sign_in_options, sign_in, sign_in_demo,
    sign_out,
};
pub use page::SignInPage;

/// What the sign-in page offers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInOptions {
    /// The API server's address, so people know which cluster they sign in to.
    pub cluster_url: String,
    /// Demo users signed in with one click (only on the embedded demo cluster).
    pub demo_users: Vec<String>,
}
