//! The trusted CAs' review and apply against the embedded demo cluster (with its simulated
//! operator), read back with the real `kubectl`: added (creating and naming the ConfigMap),
//! replaced and removed; refused with nothing stored; a conflict with what changed.

use chrono::Utc;
use demo_cluster::DemoUser;
use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};
use serde_json::Value;

use super::*;
use crate::cluster::test_cluster::TestCluster;
use crate::trust::read::read;
use crate::trust::view::{DEFAULT_CONFIG_MAP, Reached, Source, Trust};
use registry_model::names::{REGISTRY_CERTIFICATES, REGISTRY_NAMESPACE};

/// A CA certificate made at test time, and its key.
fn ca(name: &str) -> (String, String) {
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(vec![name.to_owned()]).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let cert = params.self_signed(&key).unwrap();
    (cert.pem(), key.serialize_pem())
}

async fn trust(client: &kube::Client) -> Trust {
    read(client, Utc::now()).await.unwrap()
}

/// The change the page makes of what it shows.
fn change(trust: &Trust, edit: CaEdit, pem: &str) -> CaChange {
    let (config_map, config_map_version, referenced) = match &trust.source {
        Source::NotReferenced => (DEFAULT_CONFIG_MAP.to_owned(), None, false),
        Source::Missing { name } | Source::Unreadable { name, .. } => (name.clone(), None, true),
        Source::Present {
            name,
            resource_version,
            ..
        } => (name.clone(), Some(resource_version.clone()), true),
    };
    CaChange {
        edit,
        pem: pem.to_owned(),
        config_map,
        config_map_version,
        referenced,
        image_version: trust.image_version.clone(),
        shown: match &trust.source {
            Source::Present { entries, .. } => entries
                .iter()
                .map(|e| (e.key.clone(), e.digest.clone()))
                .collect(),
            _ => Vec::new(),
        },
    }
}

impl TestCluster {
    async fn trusted(&self, key: &str) -> String {
        let path = format!("jsonpath={{.data.{}}}", key.replace('.', "\\."));
        self.kubectl(
            &[
                "get",
                "configmap",
                DEFAULT_CONFIG_MAP,
                "-n",
                CONFIG_NAMESPACE,
                "-o",
                &path,
            ],
            None,
        )
        .await
        .unwrap_or_default()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_ca_is_added_replaced_and_removed_and_reaches_the_registry() {
    let tc = TestCluster::start().await;
    let client = tc.client(DemoUser::Admin).await;
    let (first, _) = ca("registry.example.com");
    let now = Utc::now();

    // None named: the review creates the ConfigMap and names it, with both commands.
    let shown = trust(&client).await;
    assert_eq!(shown.source, Source::NotReferenced);
    let add = change(
        &shown,
        CaEdit::Add {
            registry: "registry.example.com:5000".into(),
        },
        &first,
    );
    let review = preview(&client, &add, now).await.unwrap();
    assert!(!review.blocked, "{:?}", review.findings);
    assert_eq!(review.certificates.len(), 1);
    assert_eq!(
        review.commands,
        [
            "oc create configmap registry-config -n openshift-config --from-file=registry.example.com..5000=ca.crt",
            r#"oc patch image.config.openshift.io/cluster --type=merge -p '{"spec":{"additionalTrustedCA":{"name":"registry-config"}}}'"#,
        ]
    );
    assert!(
        tc.trusted("registry.example.com..5000").await.is_empty(),
        "a review writes nothing"
    );
    assert!(apply(&client, &add, now).await.unwrap().is_done());
    assert_eq!(tc.trusted("registry.example.com..5000").await, first);
    assert_eq!(
        tc.kubectl(
            &[
                "get",
                "image.config.openshift.io/cluster",
                "-o",
                "jsonpath={.spec.additionalTrustedCA.name}"
            ],
            None
        )
        .await
        .unwrap(),
        DEFAULT_CONFIG_MAP
    );
    // The operator carries it into the registry's copy, and the page says so.
    tc.wait_for_json(
        "the CA in image-registry-certificates",
        &[
            "get",
            "configmap",
            REGISTRY_CERTIFICATES,
            "-n",
            REGISTRY_NAMESPACE,
        ],
        |map: &Value| map["data"]["registry.example.com..5000"] == first.as_str(),
    )
    .await;
    let shown = trust(&client).await;
    let Source::Present { entries, .. } = &shown.source else {
        panic!("{:?}", shown.source)
    };
    assert_eq!(entries[0].registry, "registry.example.com:5000");
    assert_eq!(entries[0].reached, Reached::Yes);

    // Adding the same registry again is refused, naming the entry to replace.
    let again = change(
        &shown,
        CaEdit::Add {
            registry: "registry.example.com:5000".into(),
        },
        &first,
    );
    let refused = preview(&client, &again, now).await.unwrap();
    assert!(refused.blocked);
    assert_eq!(refused.findings[0].message.code(), "CaRegistryTaken");

    // Replaced: `oc set data`, and the new bundle is stored.
    let (second, _) = ca("registry.example.com");
    let replace = change(
        &shown,
        CaEdit::Replace {
            key: "registry.example.com..5000".into(),
        },
        &second,
    );
    let review = preview(&client, &replace, now).await.unwrap();
    assert_eq!(
        review.commands,
        [
            "oc set data configmap/registry-config -n openshift-config --from-file=registry.example.com..5000=ca.crt"
        ]
    );
    assert!(apply(&client, &replace, now).await.unwrap().is_done());
    assert_eq!(tc.trusted("registry.example.com..5000").await, second);

    // Removed.
    let shown = trust(&client).await;
    let remove = change(
        &shown,
        CaEdit::Remove {
            key: "registry.example.com..5000".into(),
        },
        "",
    );
    assert_eq!(
        preview(&client, &remove, now).await.unwrap().commands,
        ["oc set data configmap/registry-config -n openshift-config registry.example.com..5000-"]
    );
    assert!(apply(&client, &remove, now).await.unwrap().is_done());
    assert!(tc.trusted("registry.example.com..5000").await.is_empty());
    tc.wait_for_json(
        "the CA gone from image-registry-certificates",
        &[
            "get",
            "configmap",
            REGISTRY_CERTIFICATES,
            "-n",
            REGISTRY_NAMESPACE,
        ],
        |map: &Value| map["data"].get("registry.example.com..5000").is_none(),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_is_refused_and_nothing_is_stored_nor_echoed() {
    let tc = TestCluster::start().await;
    let client = tc.client(DemoUser::Admin).await;
    let (cert, key) = ca("registry.example.com");
    let shown = trust(&client).await;
    let now = Utc::now();
    let add = |registry: &str, pem: &str| {
        change(
            &shown,
            CaEdit::Add {
                registry: registry.into(),
            },
            pem,
        )
    };
    for (change, code) in [
        (add("https://registry", &cert), "RegistryHost"),
        (add("registry.example.com", ""), "PemEmpty"),
        (
            add("registry.example.com", &format!("{cert}\n{key}")),
            "PemPrivateKey",
        ),
        (
            add("registry.example.com", "not a certificate"),
            "PemGarbage",
        ),
    ] {
        let review = preview(&client, &change, now).await.unwrap();
        assert!(review.blocked, "{code}");
        assert_eq!(review.findings[0].message.code(), code);
        let outcome = apply(&client, &change, now).await.unwrap();
        assert!(matches!(outcome, Outcome::Refused { .. }), "{outcome:?}");
        // Neither the review nor the outcome carries what was pasted.
        let echoed = format!("{review:?} {outcome:?}");
        assert!(
            !echoed.contains("PRIVATE KEY") && !echoed.contains("MII"),
            "{echoed}"
        );
    }
    let listed = tc
        .kubectl(
            &["get", "configmaps", "-n", CONFIG_NAMESPACE, "-o", "name"],
            None,
        )
        .await
        .unwrap();
    assert!(!listed.contains(DEFAULT_CONFIG_MAP), "{listed}");
    assert_eq!(
        tc.kubectl(
            &[
                "get",
                "image.config.openshift.io/cluster",
                "-o",
                "jsonpath={.spec.additionalTrustedCA}"
            ],
            None
        )
        .await
        .unwrap(),
        ""
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_change_made_meanwhile_is_a_conflict_naming_the_entry() {
    let tc = TestCluster::start().await;
    let client = tc.client(DemoUser::Admin).await;
    let (first, _) = ca("a.example.com");
    let now = Utc::now();
    let add = change(
        &trust(&client).await,
        CaEdit::Add {
            registry: "a.example.com".into(),
        },
        &first,
    );
    assert!(apply(&client, &add, now).await.unwrap().is_done());
    let shown = trust(&client).await;
    // Someone adds another registry with oc while the page is open.
    let (other, _) = ca("b.example.com");
    let patch = serde_json::json!({ "data": { "b.example.com": other } });
    tc.kubectl(
        &[
            "patch",
            "configmap",
            DEFAULT_CONFIG_MAP,
            "-n",
            CONFIG_NAMESPACE,
            "--type=merge",
            "-p",
            &patch.to_string(),
        ],
        None,
    )
    .await
    .unwrap();
    let (second, _) = ca("a.example.com");
    let replace = change(
        &shown,
        CaEdit::Replace {
            key: "a.example.com".into(),
        },
        &second,
    );
    match apply(&client, &replace, now).await.unwrap() {
        Outcome::Conflict { changes, .. } => {
            assert_eq!(changes.len(), 1, "{changes:?}");
            assert_eq!(changes[0].field, "data.b.example.com");
            assert_eq!(changes[0].shown, None);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(tc.trusted("a.example.com").await, first, "nothing written");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_viewer_sees_the_cas_but_may_not_change_them() {
    let tc = TestCluster::start().await;
    let viewer = tc.signed_in(DemoUser::Viewer, false).await;
    let data = read_as(&viewer).await.unwrap();
    assert!(!data.viewer.can_edit);
    let admin = tc.signed_in(DemoUser::Admin, false).await;
    assert!(read_as(&admin).await.unwrap().viewer.can_edit);
}

#[tokio::test(flavor = "multi_thread")]
async fn registry_sources_are_checked_reviewed_and_applied() {
    use crate::trust::sources;
    use crate::trust::view::SourcesChange;
    use registry_model::image_config::{ImageSources, RegistryName, RegistrySources};
    let tc = TestCluster::start().await;
    let client = tc.client(DemoUser::Admin).await;
    let shown = trust(&client).await;
    let with = |allowed: &[&str], blocked: &[&str]| ImageSources {
        registry_sources: Some(RegistrySources {
            allowed_registries: (!allowed.is_empty()).then(|| {
                allowed
                    .iter()
                    .map(|a| RegistryName(a.to_string()))
                    .collect()
            }),
            blocked_registries: (!blocked.is_empty()).then(|| {
                blocked
                    .iter()
                    .map(|a| RegistryName(a.to_string()))
                    .collect()
            }),
            ..RegistrySources::default()
        }),
        ..ImageSources::default()
    };
    let change = |desired: ImageSources| SourcesChange {
        shown: shown.sources.clone(),
        desired,
        image_version: shown.image_version.clone(),
    };
    let both = sources::preview(&client, &change(with(&["quay.io"], &["docker.io"])))
        .await
        .unwrap();
    assert!(both.blocked);
    assert!(
        both.findings
            .iter()
            .any(|f| f.message.code() == "AllowedAndBlocked")
    );

    let blocked = change(with(&[], &["docker.io"]));
    let review = sources::preview(&client, &blocked).await.unwrap();
    assert!(!review.blocked, "{:?}", review.findings);
    assert_eq!(
        review.oc_patch.as_deref(),
        Some(
            r#"oc patch image.config.openshift.io/cluster --type merge -p '{"spec":{"registrySources":{"blockedRegistries":["docker.io"]}}}'"#
        )
    );
    let version = crate::cluster::precondition::ShownVersion::new(&shown.image_version).unwrap();
    assert!(
        sources::apply(&client, &blocked, &version)
            .await
            .unwrap()
            .is_done()
    );
    assert_eq!(
        tc.kubectl(
            &[
                "get",
                "image.config.openshift.io/cluster",
                "-o",
                "jsonpath={.spec.registrySources.blockedRegistries[0]}"
            ],
            None
        )
        .await
        .unwrap(),
        "docker.io"
    );
}
