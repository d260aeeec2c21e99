//! The configuration page and its server functions over HTTP, as the browser uses them.

use demo_cluster::DemoUser;
use k8s_openapi::api::core::v1::Secret;
use kube::Api;
use registry_model::Config;
use registry_model::edit::config::ConfigEdits;
use registry_model::names::{CREDENTIALS_SECRET, REGISTRY_NAMESPACE};
use registry_model::registry_config::{ManagementState, S3Storage};
use registry_model::validation::storage::StorageChoice;
use serde_json::json;

use super::harness;
use crate::http::test_browser::Answer;

fn managed_with(storage: StorageChoice) -> ConfigEdits {
    ConfigEdits {
        management_state: Some(ManagementState::Managed),
        storage: Some(storage),
        ..ConfigEdits::default()
    }
}

/// The user's credentials secret, as the admin reads it.
async fn secret(h: &super::Harness) -> Option<Secret> {
    Api::<Secret>::namespaced(h.demo().client(DemoUser::Admin).await, REGISTRY_NAMESPACE)
        .get_opt(CREDENTIALS_SECRET)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_page_and_its_server_functions_work_over_http() {
    const SECRET: &str = "over-http-secret-value-5521";
    let h = harness(false).await;
    let mut admin = h.sign_in_as(DemoUser::Admin).await;
    let mut viewer = h.sign_in_as(DemoUser::Viewer).await;

    let page = admin.open("/config").await;
    assert_eq!(page.status, http::StatusCode::OK);
    assert!(page.body.contains("Review the change"), "{}", page.body);
    assert!(page.body.contains("PersistentVolumeClaim"), "{}", page.body);

    let answer = admin.call("/api/registry_config", &json!({})).await;
    assert_eq!(answer.status, http::StatusCode::OK, "{}", answer.body);
    let page: app::config::view::ConfigData = serde_json::from_str(&answer.body).unwrap();
    assert!(page.viewer.can_edit);
    let request = app::config::view::ConfigRequest {
        shown: page.shown,
        edits: managed_with(StorageChoice::S3(S3Storage {
            bucket: Some("registry-images".into()),
            region: Some("us-east-1".into()),
            ..S3Storage::default()
        })),
        credentials: vec![
            (
                "REGISTRY_STORAGE_S3_ACCESSKEY".into(),
                "AKIAHTTP".into(),
                None,
            ),
            ("REGISTRY_STORAGE_S3_SECRETKEY".into(), SECRET.into(), None),
        ],
    };
    let body = json!({ "request": request });

    let Answer {
        status,
        body: answer,
        ..
    } = admin.call("/api/preview_config", &body).await;
    assert_eq!(status, http::StatusCode::OK, "{answer}");
    assert!(!answer.contains(SECRET));
    assert!(
        answer.contains("REGISTRY_STORAGE_S3_SECRETKEY=<redacted>"),
        "{answer}"
    );

    let refused = viewer.call("/api/apply_config", &body).await;
    assert_eq!(
        refused.status,
        http::StatusCode::FORBIDDEN,
        "{}",
        refused.body
    );
    assert!(secret(&h).await.is_none(), "the viewer wrote nothing");

    let Answer {
        status,
        body: answer,
        ..
    } = admin.call("/api/apply_config", &body).await;
    assert_eq!(status, http::StatusCode::OK, "{answer}");
    assert!(!answer.contains(SECRET));
    assert!(answer.contains("Applied"), "{answer}");
    let config = Api::<Config>::all(h.demo().client(DemoUser::Admin).await)
        .get("cluster")
        .await
        .unwrap();
    let s3 = config.spec.storage.and_then(|storage| storage.s3).unwrap();
    assert_eq!(s3.bucket.as_deref(), Some("registry-images"));
    let data = secret(&h).await.unwrap().data.unwrap_or_default();
    assert!(data.contains_key("REGISTRY_STORAGE_S3_SECRETKEY"));
}
