//! Grants against the embedded demo cluster, read back with the real `kubectl`: a grant,
//! then the grantee's access review says yes; a revoke, no; `prometheus-scraper` created
//! and bound; a change made meanwhile is a conflict.

use demo_cluster::DemoUser;

use super::*;
use crate::cluster::test_cluster::TestCluster;

const PROJECT: &str = "default";

fn grant(role: &str, kind: SubjectKind, subject: &str, access: &Access) -> AccessChange {
    AccessChange {
        project: PROJECT.into(),
        edit: AccessEdit::Grant {
            role: role.into(),
            kind,
            subject: subject.into(),
            binding_version: access
                .grants
                .iter()
                .find(|g| g.binding == role)
                .map(|g| g.resource_version.clone()),
        },
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_grant_lets_the_grantee_pull_until_it_is_revoked() {
    let tc = TestCluster::start().await;
    let client = tc.client(DemoUser::Admin).await;
    let before = read(&client, PROJECT).await.unwrap();
    assert!(before.may_grant);
    assert!(before.projects.iter().any(|p| p == PROJECT));
    assert_eq!(
        check(&client, PROJECT, SubjectKind::User, "viewer")
            .await
            .unwrap(),
        Allowed {
            subject: "viewer".into(),
            pull: false,
            push: false
        }
    );

    let change = grant("registry-viewer", SubjectKind::User, "viewer", &before);
    let review = preview(&client, &change).await.unwrap();
    assert!(!review.blocked, "{:?}", review.findings);
    assert_eq!(
        review.commands,
        ["oc policy add-role-to-user registry-viewer viewer -n default"]
    );
    assert!(apply(&client, &change).await.unwrap().is_done());
    let subjects = tc
        .kubectl(
            &[
                "get",
                "rolebinding",
                "registry-viewer",
                "-n",
                PROJECT,
                "-o",
                "jsonpath={.roleRef.name} {.subjects[*].name}",
            ],
            None,
        )
        .await
        .unwrap();
    assert_eq!(subjects, "registry-viewer viewer");
    let allowed = check(&client, PROJECT, SubjectKind::User, "viewer")
        .await
        .unwrap();
    assert!(allowed.pull && !allowed.push, "{allowed:?}");

    // A second subject joins the same binding, at the version shown.
    let shown = read(&client, PROJECT).await.unwrap();
    assert_eq!(shown.grants.len(), 1);
    let second = grant(
        "registry-viewer",
        SubjectKind::ServiceAccount,
        "builder",
        &shown,
    );
    assert!(apply(&client, &second).await.unwrap().is_done());
    assert!(
        check(&client, PROJECT, SubjectKind::ServiceAccount, "builder")
            .await
            .unwrap()
            .pull
    );
    // Granting it again is refused, naming what is there.
    let again = grant(
        "registry-viewer",
        SubjectKind::User,
        "viewer",
        &read(&client, PROJECT).await.unwrap(),
    );
    let refused = preview(&client, &again).await.unwrap();
    assert!(refused.blocked);
    assert_eq!(refused.findings[0].message.code(), "GrantExists");

    // Revoked: the subject goes, the binding stays for the other; then with the last, it goes.
    let shown = read(&client, PROJECT).await.unwrap();
    let revoke = |grant: &Grant| AccessChange {
        project: PROJECT.into(),
        edit: AccessEdit::Revoke {
            grant: grant.clone(),
        },
    };
    let viewer_grant = shown
        .grants
        .iter()
        .find(|g| g.subject.name == "viewer")
        .unwrap();
    assert_eq!(
        preview(&client, &revoke(viewer_grant))
            .await
            .unwrap()
            .commands,
        ["oc policy remove-role-from-user registry-viewer viewer -n default"]
    );
    assert!(
        apply(&client, &revoke(viewer_grant))
            .await
            .unwrap()
            .is_done()
    );
    assert!(
        !check(&client, PROJECT, SubjectKind::User, "viewer")
            .await
            .unwrap()
            .pull
    );
    let shown = read(&client, PROJECT).await.unwrap();
    assert_eq!(shown.grants.len(), 1);
    assert!(
        apply(&client, &revoke(&shown.grants[0]))
            .await
            .unwrap()
            .is_done()
    );
    let left = tc
        .kubectl(&["get", "rolebindings", "-n", PROJECT, "-o", "name"], None)
        .await
        .unwrap();
    assert!(!left.contains("registry-viewer"), "{left}");
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_grants_are_refused_and_a_stale_page_is_a_conflict() {
    let tc = TestCluster::start().await;
    let client = tc.client(DemoUser::Admin).await;
    let shown = read(&client, PROJECT).await.unwrap();
    for (change, code) in [
        (
            grant("cluster-admin", SubjectKind::User, "alice", &shown),
            "GrantRole",
        ),
        (
            grant("registry-viewer", SubjectKind::Group, "dev team", &shown),
            "SubjectName",
        ),
        (
            grant(
                "registry-viewer",
                SubjectKind::ServiceAccount,
                "Builder",
                &shown,
            ),
            "ServiceAccountName",
        ),
    ] {
        let outcome = apply(&client, &change).await.unwrap();
        let Outcome::Refused { findings, .. } = outcome else {
            panic!("{outcome:?}")
        };
        assert_eq!(findings[0].message.code(), code);
    }
    assert!(
        !tc.kubectl(&["get", "rolebindings", "-n", PROJECT, "-o", "name"], None)
            .await
            .unwrap()
            .contains("cluster-admin")
    );
    // The page showed no binding; someone made one meanwhile: a conflict, nothing merged.
    let stale = grant("registry-editor", SubjectKind::User, "alice", &shown);
    let other = grant("registry-editor", SubjectKind::User, "bob", &shown);
    assert!(apply(&client, &other).await.unwrap().is_done());
    assert!(matches!(
        apply(&client, &stale).await.unwrap(),
        Outcome::Conflict { .. }
    ));
    assert_eq!(
        tc.kubectl(
            &[
                "get",
                "rolebinding",
                "registry-editor",
                "-n",
                PROJECT,
                "-o",
                "jsonpath={.subjects[*].name}"
            ],
            None
        )
        .await
        .unwrap(),
        "bob"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_scraper_role_is_created_and_bound_as_the_guide_does() {
    let tc = TestCluster::start().await;
    let client = tc.client(DemoUser::Admin).await;
    let shown = read(&client, PROJECT).await.unwrap();
    assert!(!shown.scraper_role);
    let change = AccessChange {
        project: PROJECT.into(),
        edit: AccessEdit::Scraper {
            user: "viewer".into(),
            binding_version: None,
        },
    };
    let review = preview(&client, &change).await.unwrap();
    assert_eq!(review.commands.len(), 2, "{:?}", review.commands);
    assert!(review.commands[0].starts_with("oc create -f - <<EOF"));
    assert_eq!(
        review.commands[1],
        "oc adm policy add-cluster-role-to-user prometheus-scraper viewer"
    );
    assert!(apply(&client, &change).await.unwrap().is_done());
    let rules = tc
        .kubectl(
            &[
                "get",
                "clusterrole",
                "prometheus-scraper",
                "-o",
                "jsonpath={.rules[0].resources[0]} {.rules[0].verbs[0]}",
            ],
            None,
        )
        .await
        .unwrap();
    assert_eq!(rules, "registry/metrics get");
    let shown = read(&client, PROJECT).await.unwrap();
    assert!(shown.scraper_role);
    assert!(
        shown
            .cluster_grants
            .iter()
            .any(|g| g.role == "prometheus-scraper" && g.subject.name == "viewer")
    );
    let can = tc
        .kubectl(
            &[
                "--context",
                "viewer",
                "auth",
                "can-i",
                "get",
                "imagestreams",
                "--subresource=layers",
                "-n",
                PROJECT,
            ],
            None,
        )
        .await;
    assert!(
        can.is_err() || can.unwrap().trim() == "no",
        "metrics rights are not pull rights"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_viewer_may_not_grant() {
    let tc = TestCluster::start().await;
    let viewer = tc.signed_in(DemoUser::Viewer, false).await;
    let data = read_as(&viewer, PROJECT).await;
    match data {
        Ok(data) => assert!(!data.viewer.can_edit),
        // A viewer who may not list RoleBindings at all still gets a page, not an error.
        Err(error) => panic!("{error:?}"),
    }
}
