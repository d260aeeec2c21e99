//! Whether a user may see what the console's shared watches hold.
//!
//! The shared cache is filled with the console's own identity, so nothing from it reaches
//! a user before the cluster has said, in a SelfSubjectAccessReview made with that user's
//! token, that they may read it themselves. Answers are kept per token and question for
//! [`Gate::TTL`], so a page that updates many times a second asks once; a right taken away
//! is honoured within that time.

use std::time::Duration;

use k8s_openapi::api::authorization::v1::ResourceAttributes;

use crate::cluster::access;
use crate::cluster::expiring::Expiring;
use crate::session::Token;

/// What the cluster answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Access {
    Allowed,
    /// Not allowed; the sentence says who may not do what, as the API server would.
    Denied(String),
}

/// The question, as a key: verb, group, resource, namespace, name.
type Question = (String, String, String, String, String);

/// Access answers per token (its fingerprint: the cache never holds a token) and question.
pub struct Gate {
    answers: Expiring<([u8; 32], Question), Access>,
}

impl Default for Gate {
    fn default() -> Self {
        Self::with_ttl(Self::TTL)
    }
}

impl Gate {
    /// How long an answer is kept.
    pub const TTL: Duration = Duration::from_secs(10);
    const MAX_ANSWERS: usize = 10_000;

    pub fn with_ttl(ttl: Duration) -> Self {
        Self {
            answers: Expiring::new(ttl, Self::MAX_ANSWERS),
        }
    }

    /// May the owner of `token` (whose client is `client`, named `user`) do `attributes`?
    pub async fn check(
        &self,
        client: &kube::Client,
        token: &Token,
        user: &str,
        attributes: ResourceAttributes,
    ) -> Result<Access, kube::Error> {
        let key = (token.fingerprint(), question(&attributes));
        if let Some(access) = self.answers.get(&key) {
            return Ok(access);
        }
        let access = if access::can(client, attributes.clone()).await? {
            Access::Allowed
        } else {
            Access::Denied(denial(user, &attributes))
        };
        self.answers.insert(key, access.clone());
        Ok(access)
    }
}

fn question(a: &ResourceAttributes) -> Question {
    let field = |value: &Option<String>| value.clone().unwrap_or_default();
    (
        field(&a.verb),
        field(&a.group),
        field(&a.resource),
        field(&a.namespace),
        field(&a.name),
    )
}

/// The API server's own sentence for a refusal, so a part hidden by the gate reads as a
/// part the cluster refused.
fn denial(user: &str, a: &ResourceAttributes) -> String {
    let resource = a.resource.as_deref().unwrap_or_default();
    let group = a.group.as_deref().unwrap_or_default();
    let qualified = if group.is_empty() {
        resource.to_owned()
    } else {
        format!("{resource}.{group}")
    };
    let object = match a.name.as_deref() {
        Some(name) if !name.is_empty() => format!("{qualified} \"{name}\""),
        _ => qualified,
    };
    let scope = match a.namespace.as_deref() {
        Some(namespace) if !namespace.is_empty() => format!(" in the namespace \"{namespace}\""),
        _ => " at the cluster scope".to_owned(),
    };
    format!(
        "{object} is forbidden: User \"{user}\" cannot {verb} resource \"{resource}\" in API \
         group \"{group}\"{scope}",
        verb = a.verb.as_deref().unwrap_or_default(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_reads_as_the_api_servers() {
        let attributes = ResourceAttributes {
            verb: Some("get".into()),
            resource: Some("secrets".into()),
            namespace: Some("openshift-image-registry".into()),
            name: Some("image-registry-private-configuration-user".into()),
            ..ResourceAttributes::default()
        };
        assert_eq!(
            denial("viewer", &attributes),
            "secrets \"image-registry-private-configuration-user\" is forbidden: User \"viewer\" \
             cannot get resource \"secrets\" in API group \"\" in the namespace \
             \"openshift-image-registry\""
        );
    }
}
