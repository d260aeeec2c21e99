//! Asking the cluster who the user is and what they may do.

use k8s_openapi::api::authentication::v1::SelfSubjectReview;
use k8s_openapi::api::authorization::v1::{
    ResourceAttributes, SelfSubjectAccessReview, SelfSubjectAccessReviewSpec,
};
use kube::Api;
use kube::api::PostParams;
use registry_model::names::SINGLETON;

const REGISTRY_GROUP: &str = "imageregistry.operator.openshift.io";

/// The check behind every edit control: may the user patch `configs.imageregistry/cluster`?
pub fn patch_registry_config() -> ResourceAttributes {
    ResourceAttributes {
        group: Some(REGISTRY_GROUP.into()),
        resource: Some("configs".into()),
        name: Some(SINGLETON.into()),
        verb: Some("patch".into()),
        ..ResourceAttributes::default()
    }
}

/// The check behind the pruner's edit controls: may the user patch `imagepruners/cluster`?
pub fn patch_image_pruner() -> ResourceAttributes {
    ResourceAttributes {
        resource: Some("imagepruners".into()),
        ..patch_registry_config()
    }
}

/// The check behind the trusted CAs' edit controls: may the user patch ConfigMaps in
/// `namespace`?
pub fn patch_config_maps(namespace: &str) -> ResourceAttributes {
    ResourceAttributes {
        group: Some(String::new()),
        resource: Some("configmaps".into()),
        namespace: Some(namespace.into()),
        verb: Some("patch".into()),
        ..ResourceAttributes::default()
    }
}

/// The check behind the image config's registry settings: may the user patch
/// `images.config.openshift.io/cluster`?
pub fn patch_image_config() -> ResourceAttributes {
    ResourceAttributes {
        group: Some("config.openshift.io".into()),
        resource: Some("images".into()),
        name: Some(SINGLETON.into()),
        verb: Some("patch".into()),
        ..ResourceAttributes::default()
    }
}

/// The check made at sign-in: it proves the token is valid whatever the answer.
pub fn get_registry_config() -> ResourceAttributes {
    ResourceAttributes {
        verb: Some("get".into()),
        ..patch_registry_config()
    }
}

/// Whether the client's user may do what `attributes` describe (SelfSubjectAccessReview).
pub async fn can(
    client: &kube::Client,
    attributes: ResourceAttributes,
) -> Result<bool, kube::Error> {
    let review = SelfSubjectAccessReview {
        spec: SelfSubjectAccessReviewSpec {
            resource_attributes: Some(attributes),
            ..SelfSubjectAccessReviewSpec::default()
        },
        ..SelfSubjectAccessReview::default()
    };
    let answer = Api::<SelfSubjectAccessReview>::all(client.clone())
        .create(&PostParams::default(), &review)
        .await?;
    Ok(answer.status.is_some_and(|status| status.allowed))
}

/// The user's name, from a SelfSubjectReview; `None` where the cluster does not offer it
/// (older than 1.28, or a demo cluster without it).
pub async fn user_name(client: &kube::Client) -> Option<String> {
    let review = SelfSubjectReview::default();
    let answer = Api::<SelfSubjectReview>::all(client.clone())
        .create(&PostParams::default(), &review)
        .await
        .ok()?;
    answer
        .status?
        .user_info?
        .username
        .filter(|name| !name.is_empty())
}
