//! `Impersonate-User` and `Impersonate-Group`, as kube-apiserver handles them: the caller
//! needs the `impersonate` verb on each user (or service account) and group it names, and
//! the request then runs as that identity; otherwise 403, and nothing runs. This is what
//! `kubectl ... --as=USER --as-group=GROUP` sends, and how admins check a grant.

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::api_error::ApiError;
use crate::auth::{Attributes, Authorizer, UserInfo};

const USER: &str = "impersonate-user";
const GROUP: &str = "impersonate-group";
const SERVICE_ACCOUNT_PREFIX: &str = "system:serviceaccount:";

/// Why a request does not run as the identity it names.
pub enum Refused {
    /// RBAC does not let the caller impersonate it: the 403 kube-apiserver answers.
    Forbidden(ApiError),
    /// Groups without a user: kube-apiserver's plain-text 500, this text.
    GroupsWithoutUser(String),
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        match self {
            Refused::Forbidden(error) => error.into_response(),
            Refused::GroupsWithoutUser(text) => {
                (StatusCode::INTERNAL_SERVER_ERROR, text).into_response()
            }
        }
    }
}

/// The identity the request for `path` runs as: `caller` itself when no impersonation
/// header is sent, else the impersonated user and groups, once RBAC lets the caller
/// impersonate them.
pub fn identity(
    authz: &Authorizer,
    caller: UserInfo,
    headers: &HeaderMap,
    path: &str,
) -> Result<UserInfo, Refused> {
    let values = |name: &str| -> Vec<String> {
        headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(|v| v.trim().to_owned())
            .collect()
    };
    let users = values(USER);
    let groups = values(GROUP);
    // An empty user is no user: alone, no impersonation at all (kube-apiserver's
    // `buildImpersonationRequests`), with groups the error below.
    let user = users.first().filter(|u| !u.is_empty()).cloned();
    if user.is_none() && groups.is_empty() {
        return Ok(caller);
    }
    let Some(name) = user else {
        // kube-apiserver's answer, a plain-text 500 naming the groups as Go prints them.
        let named: Vec<String> = groups
            .iter()
            .map(|g| format!("{{Group  {g}    }}"))
            .collect();
        let text = format!(
            "Internal Server Error: {path:?}: requested [{}] without impersonating a user\n",
            named.join(" ")
        );
        return Err(Refused::GroupsWithoutUser(text));
    };
    let check = |a: &Attributes| authz.check(&caller, a).map_err(Refused::Forbidden);
    check(&user_attributes(&name))?;
    for group in &groups {
        check(&attributes("groups", "", group))?;
    }
    let mut impersonated = groups;
    // kube-apiserver adds the group every authenticated identity has.
    if name != "system:anonymous" && !impersonated.iter().any(|g| g == "system:authenticated") {
        impersonated.push("system:authenticated".into());
    }
    Ok(UserInfo {
        name,
        groups: impersonated,
    })
}

/// What impersonating `name` needs: the user, or for `system:serviceaccount:NS:SA`, the
/// service account in its namespace.
fn user_attributes(name: &str) -> Attributes {
    match name
        .strip_prefix(SERVICE_ACCOUNT_PREFIX)
        .and_then(|rest| rest.split_once(':'))
    {
        Some((namespace, account)) => attributes("serviceaccounts", namespace, account),
        None => attributes("users", "", name),
    }
}

fn attributes(resource: &str, namespace: &str, name: &str) -> Attributes {
    Attributes {
        verb: "impersonate".into(),
        group: String::new(),
        resource: resource.into(),
        subresource: String::new(),
        namespace: namespace.into(),
        name: name.into(),
        path: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_service_account_is_impersonated_in_its_namespace() {
        let a = user_attributes("system:serviceaccount:openshift-image-registry:registry");
        assert_eq!(
            (a.resource.as_str(), a.namespace.as_str(), a.name.as_str()),
            ("serviceaccounts", "openshift-image-registry", "registry")
        );
        let a = user_attributes("alice");
        assert_eq!(
            (a.resource.as_str(), a.namespace.as_str(), a.name.as_str()),
            ("users", "", "alice")
        );
        assert_eq!(a.verb, "impersonate");
    }
}
