//! Routes against the embedded demo cluster (with its simulated operator and router), read
//! back with the real `kubectl`: a route with its own certificate (the TLS Secret made from
//! an uploaded certificate and key), refusals that store nothing, removal keeping the
//! Secret.

use demo_cluster::DemoUser;
use rcgen::{CertificateParams, KeyPair};
use serde_json::{Value, json};

use super::*;
use crate::cluster::test_cluster::TestCluster;

const HOST: &str = "registry.apps.example.com";

fn pair(host: &str) -> (String, String) {
    let key = KeyPair::generate().unwrap();
    let cert = CertificateParams::new(vec![host.to_owned()])
        .unwrap()
        .self_signed(&key)
        .unwrap();
    (cert.pem(), key.serialize_pem())
}

fn add(routes: &Routes, name: &str, tls: TlsSource) -> RouteChange {
    RouteChange {
        edit: RouteEdit::Add {
            name: name.into(),
            hostname: HOST.into(),
            tls,
        },
        config_version: routes.config_version.clone(),
        shown: routes.custom.clone(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_route_with_its_own_certificate_is_made_served_and_removed_keeping_its_secret() {
    let tc = TestCluster::start().await;
    let client = tc.client(DemoUser::Admin).await;
    tc.patch_config(
        json!({ "spec": { "managementState": "Managed", "storage": { "emptyDir": {} } } }),
    )
    .await;
    let (cert, key) = pair(HOST);
    let shown = read(&client).await.unwrap();
    let change = add(
        &shown,
        "public",
        TlsSource::Upload {
            secret: "public-tls".into(),
            certificate: cert.clone(),
            key: key.clone(),
        },
    );
    let review = preview(&client, &change).await.unwrap();
    assert!(!review.blocked, "{:?}", review.findings);
    assert_eq!(review.certificate.as_ref().unwrap().sans, [HOST]);
    assert_eq!(
        review.commands[0],
        "oc create secret tls public-tls --cert=tls.crt --key=tls.key -n openshift-image-registry"
    );
    assert!(
        review.commands[1]
            .starts_with("oc patch configs.imageregistry.operator.openshift.io/cluster")
    );
    let outcome = apply(&client, &change).await.unwrap();
    assert!(outcome.is_done(), "{outcome:?}");
    // Nothing the browser gets back holds the key.
    let key_body = key.lines().nth(1).unwrap();
    assert!(!format!("{review:?}{outcome:?}").contains(key_body));

    let secret_type = tc
        .kubectl(
            &[
                "get",
                "secret",
                "public-tls",
                "-n",
                REGISTRY_NAMESPACE,
                "-o",
                "jsonpath={.type}",
            ],
            None,
        )
        .await
        .unwrap();
    assert_eq!(secret_type, "kubernetes.io/tls");
    assert_eq!(
        tc.kubectl(
            &[
                "get",
                CONFIG_RESOURCE,
                "cluster",
                "-o",
                "jsonpath={.spec.routes[0].secretName}"
            ],
            None
        )
        .await
        .unwrap(),
        "public-tls"
    );
    // The operator makes the route with the certificate, and the router admits it.
    tc.wait_for_json(
        "route public with its certificate, admitted",
        &["get", "route", "public", "-n", REGISTRY_NAMESPACE],
        |route: &Value| {
            route["spec"]["tls"]["certificate"] == cert.as_str()
                && route["status"]["ingress"][0]["conditions"][0]["status"] == "True"
        },
    )
    .await;
    let shown = read(&client).await.unwrap();
    let row = shown.routes.iter().find(|r| r.name == "public").unwrap();
    assert_eq!(row.host.as_deref(), Some(HOST));
    assert_eq!(row.admitted, Some(true));
    assert_eq!(row.certificate.as_ref().unwrap().sans, [HOST]);
    assert!(shown.secrets.iter().any(|s| s.name == "public-tls"));

    // Removed: the route goes from spec.routes, its Secret stays.
    let remove = RouteChange {
        edit: RouteEdit::Remove {
            name: "public".into(),
        },
        config_version: shown.config_version.clone(),
        shown: shown.custom.clone(),
    };
    assert!(apply(&client, &remove).await.unwrap().is_done());
    assert_eq!(
        tc.kubectl(
            &[
                "get",
                CONFIG_RESOURCE,
                "cluster",
                "-o",
                "jsonpath={.spec.routes}"
            ],
            None
        )
        .await
        .unwrap(),
        "[]"
    );
    assert!(
        tc.kubectl(
            &["get", "secret", "public-tls", "-n", REGISTRY_NAMESPACE],
            None
        )
        .await
        .is_ok()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_key_host_or_secret_is_refused_and_nothing_is_made() {
    let tc = TestCluster::start().await;
    let client = tc.client(DemoUser::Admin).await;
    let (cert, _) = pair(HOST);
    let (_, other_key) = pair(HOST);
    let (elsewhere, elsewhere_key) = pair("other.example.com");
    let shown = read(&client).await.unwrap();
    let upload = |certificate: &str, key: &str| TlsSource::Upload {
        secret: "public-tls".into(),
        certificate: certificate.into(),
        key: key.into(),
    };
    for (change, code) in [
        (
            add(&shown, "public", upload(&cert, &other_key)),
            "TlsKeyMismatch",
        ),
        (
            add(&shown, "public", upload(&elsewhere, &elsewhere_key)),
            "TlsHostNotCovered",
        ),
        (
            add(&shown, "default-route", TlsSource::Default),
            "RouteNameReserved",
        ),
        (
            add(
                &shown,
                "public",
                TlsSource::Existing {
                    secret: "no-such-secret".into(),
                },
            ),
            "TlsSecretMissing",
        ),
    ] {
        let outcome = apply(&client, &change).await.unwrap();
        let Outcome::Refused { findings, .. } = &outcome else {
            panic!("{outcome:?}")
        };
        assert!(
            findings.iter().any(|f| f.message.code() == code),
            "{code}: {findings:?}"
        );
    }
    assert!(
        tc.kubectl(
            &["get", "secret", "public-tls", "-n", REGISTRY_NAMESPACE],
            None
        )
        .await
        .is_err()
    );
    assert_eq!(
        tc.kubectl(
            &[
                "get",
                CONFIG_RESOURCE,
                "cluster",
                "-o",
                "jsonpath={.spec.routes}"
            ],
            None
        )
        .await
        .unwrap(),
        ""
    );
}
