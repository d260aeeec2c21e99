//! Grants of the registry's roles, read and changed as the signed-in user, as `oc policy`
//! makes them: in a project, a RoleBinding named after the role holds every subject granted
//! it (created with the first, deleted with the last); cluster-wide, a ClusterRoleBinding
//! named after the role. Every write goes at the binding's version the page showed (a
//! create when it showed none), and after a change the cluster says what the subject may
//! do now (a SubjectAccessReview).

use chrono::Utc;
use k8s_openapi::api::authorization::v1::{
    ResourceAttributes, SubjectAccessReview, SubjectAccessReviewSpec,
};
use k8s_openapi::api::core::v1::Namespace;
use k8s_openapi::api::rbac::v1::{
    ClusterRole, ClusterRoleBinding, PolicyRule, RoleBinding, RoleRef, Subject as RbacSubject,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube::Api;
use kube::api::{ListParams, PostParams};
use registry_model::access::{
    REGISTRY_ROLES, SCRAPER_ROLE, SUBJECT_FIELD, SubjectKind, check_grant, oc_policy,
};
use registry_model::change::{shell_quote, yaml_diff};
use registry_model::validation::{Finding, Message, blocks};
use serde_json::{Value, json};

use super::view::{
    Access, AccessChange, AccessData, AccessEdit, AccessReview, Allowed, Grant, Subject,
};
use crate::cluster::access;
use crate::cluster::precondition::ShownVersion;
use crate::cluster::write::{self, Attempt, Sent};
use crate::console::SignedIn;
use crate::edit::outcome::{FieldChange, Outcome};
use crate::error::ConsoleError;
use crate::i18n::said;

const RBAC_GROUP: &str = "rbac.authorization.k8s.io";

/// A 403 is a part the user may not read; anything else stays an error.
fn readable<T>(
    unreadable: &mut Vec<String>,
    what: &str,
    result: Result<T, kube::Error>,
) -> Result<Option<T>, kube::Error> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(kube::Error::Api(status)) if status.code == 403 => {
            unreadable.push(format!("{what}: {}", status.message));
            Ok(None)
        }
        Err(error) => Err(error),
    }
}

fn subject_of(subject: &RbacSubject) -> Option<Subject> {
    let kind = match subject.kind.as_str() {
        "User" => SubjectKind::User,
        "Group" => SubjectKind::Group,
        "ServiceAccount" => SubjectKind::ServiceAccount,
        _ => return None,
    };
    Some(Subject {
        kind,
        name: subject.name.clone(),
        namespace: subject.namespace.clone(),
    })
}

fn rows(
    binding: &str,
    version: &str,
    role: &RoleRef,
    subjects: &[RbacSubject],
    roles: &[&str],
) -> Vec<Grant> {
    if role.kind != "ClusterRole" || !roles.contains(&role.name.as_str()) {
        return Vec::new();
    }
    subjects
        .iter()
        .filter_map(subject_of)
        .map(|subject| Grant {
            binding: binding.to_owned(),
            resource_version: version.to_owned(),
            role: role.name.clone(),
            subject,
        })
        .collect()
}

/// Reads the grants in `project` and cluster-wide.
pub async fn read(client: &kube::Client, project: &str) -> Result<Access, kube::Error> {
    let mut unreadable = Vec::new();
    let list = ListParams::default();
    let (role_bindings, cluster_role_bindings, cluster_roles, all_namespaces) = (
        Api::<RoleBinding>::namespaced(client.clone(), project),
        Api::<ClusterRoleBinding>::all(client.clone()),
        Api::<ClusterRole>::all(client.clone()),
        Api::<Namespace>::all(client.clone()),
    );
    let (bindings, cluster_bindings, scraper, namespaces, may_grant) = tokio::join!(
        role_bindings.list(&list),
        cluster_role_bindings.list(&list),
        cluster_roles.get_opt(SCRAPER_ROLE),
        all_namespaces.list(&list),
        access::can(client, create_role_bindings(project)),
    );
    let mut grants = Vec::new();
    for b in readable(
        &mut unreadable,
        &format!("rolebindings in {project}"),
        bindings,
    )?
    .map(|l| l.items)
    .unwrap_or_default()
    {
        grants.extend(rows(
            b.metadata.name.as_deref().unwrap_or_default(),
            b.metadata.resource_version.as_deref().unwrap_or_default(),
            &b.role_ref,
            b.subjects.as_deref().unwrap_or_default(),
            &REGISTRY_ROLES,
        ));
    }
    let cluster_roles = [REGISTRY_ROLES.as_slice(), &[SCRAPER_ROLE]].concat();
    let mut cluster_grants = Vec::new();
    for b in readable(&mut unreadable, "clusterrolebindings", cluster_bindings)?
        .map(|l| l.items)
        .unwrap_or_default()
    {
        cluster_grants.extend(rows(
            b.metadata.name.as_deref().unwrap_or_default(),
            b.metadata.resource_version.as_deref().unwrap_or_default(),
            &b.role_ref,
            b.subjects.as_deref().unwrap_or_default(),
            &cluster_roles,
        ));
    }
    let scraper_role = readable(&mut unreadable, "clusterrole prometheus-scraper", scraper)?
        .flatten()
        .is_some();
    // Not being allowed to list projects only means the project is typed, not chosen.
    let projects = match namespaces {
        Ok(list) => list
            .items
            .into_iter()
            .filter_map(|n| n.metadata.name)
            .collect(),
        Err(kube::Error::Api(status)) if status.code == 403 => Vec::new(),
        Err(error) => return Err(error),
    };
    Ok(Access {
        generated_at: Utc::now(),
        project: project.to_owned(),
        projects,
        grants,
        cluster_grants,
        scraper_role,
        may_grant: may_grant?,
        unreadable,
    })
}

/// The check behind the grant controls: may the user create RoleBindings in `project`?
fn create_role_bindings(project: &str) -> ResourceAttributes {
    ResourceAttributes {
        group: Some(RBAC_GROUP.into()),
        resource: Some("rolebindings".into()),
        namespace: Some(project.into()),
        verb: Some("create".into()),
        ..ResourceAttributes::default()
    }
}

fn rbac_subject(kind: SubjectKind, name: &str, project: &str) -> RbacSubject {
    match kind {
        SubjectKind::ServiceAccount => RbacSubject {
            kind: "ServiceAccount".into(),
            name: name.to_owned(),
            namespace: Some(project.to_owned()),
            api_group: None,
        },
        _ => RbacSubject {
            kind: kind.as_str().into(),
            name: name.to_owned(),
            namespace: None,
            api_group: Some(RBAC_GROUP.into()),
        },
    }
}

fn same(a: &RbacSubject, b: &RbacSubject) -> bool {
    a.kind == b.kind && a.name == b.name && a.namespace == b.namespace
}

fn role_ref(role: &str) -> RoleRef {
    RoleRef {
        api_group: Some(RBAC_GROUP.into()),
        kind: "ClusterRole".into(),
        name: role.to_owned(),
    }
}

/// What a change does to one binding: its subjects before and after (`None`: no binding).
struct Plan {
    role: String,
    binding: String,
    /// `None`: the binding is in the project; `Some(())`: cluster-wide.
    cluster: bool,
    before: Option<Vec<RbacSubject>>,
    after: Option<Vec<RbacSubject>>,
    /// The binding's version the change holds to (`None`: it must not exist yet).
    version: Option<String>,
    commands: Vec<String>,
    /// ClusterRole `prometheus-scraper` is created first.
    create_scraper_role: bool,
}

/// The subjects of the binding `name` as the cluster holds it now, if it binds `role`.
async fn subjects_now(
    client: &kube::Client,
    project: Option<&str>,
    name: &str,
) -> Result<Option<(RoleRef, Vec<RbacSubject>, String)>, kube::Error> {
    Ok(match project {
        Some(project) => Api::<RoleBinding>::namespaced(client.clone(), project)
            .get_opt(name)
            .await?
            .map(|b| {
                (
                    b.role_ref,
                    b.subjects.unwrap_or_default(),
                    b.metadata.resource_version.unwrap_or_default(),
                )
            }),
        None => Api::<ClusterRoleBinding>::all(client.clone())
            .get_opt(name)
            .await?
            .map(|b| {
                (
                    b.role_ref,
                    b.subjects.unwrap_or_default(),
                    b.metadata.resource_version.unwrap_or_default(),
                )
            }),
    })
}

/// The change's rules, and what it does to which binding (as the cluster holds it now).
async fn plan(
    client: &kube::Client,
    change: &AccessChange,
) -> Result<Result<Plan, Vec<Finding>>, kube::Error> {
    let project = change.project.trim();
    match &change.edit {
        AccessEdit::Grant {
            role,
            kind,
            subject,
            binding_version,
        } => {
            let findings = check_grant(role, *kind, subject, project);
            if blocks(&findings) {
                return Ok(Err(findings));
            }
            let wanted = rbac_subject(*kind, subject.trim(), project);
            let now = subjects_now(client, Some(project), role).await?;
            if let Some((found, subjects, _)) = &now {
                if found.name != *role {
                    return Ok(Err(vec![Finding::error(
                        SUBJECT_FIELD,
                        Message::Api {
                            text: format!(
                                "RoleBinding {role} in {project} binds {} instead; grant with oc policy, which picks another name",
                                found.name
                            ),
                        },
                    )]));
                }
                if subjects.iter().any(|s| same(s, &wanted)) {
                    return Ok(Err(vec![Finding::error(
                        SUBJECT_FIELD,
                        Message::GrantExists {
                            subject: subject.trim().to_owned(),
                            role: role.clone(),
                        },
                    )]));
                }
            }
            let before = now.map(|(_, subjects, _)| subjects);
            let mut after = before.clone().unwrap_or_default();
            after.push(wanted);
            Ok(Ok(Plan {
                role: role.clone(),
                binding: role.clone(),
                cluster: false,
                before,
                after: Some(after),
                version: binding_version.clone(),
                commands: vec![oc_policy(false, role, *kind, subject.trim(), project)],
                create_scraper_role: false,
            }))
        }
        AccessEdit::Revoke { grant } => {
            let cluster = !REGISTRY_ROLES.contains(&grant.role.as_str()) || project.is_empty();
            let ns = (!cluster).then_some(project);
            let now = subjects_now(client, ns, &grant.binding).await?;
            let removed = rbac_subject(
                grant.subject.kind,
                &grant.subject.name,
                grant.subject.namespace.as_deref().unwrap_or(project),
            );
            let before = now.map(|(_, subjects, _)| subjects);
            let after: Vec<RbacSubject> = before
                .clone()
                .unwrap_or_default()
                .into_iter()
                .filter(|s| !same(s, &removed))
                .collect();
            let command = if cluster {
                format!(
                    "oc adm policy remove-cluster-role-from-{} {} {}",
                    if grant.subject.kind == SubjectKind::Group {
                        "group"
                    } else {
                        "user"
                    },
                    shell_quote(&grant.role),
                    shell_quote(&grant.subject.name)
                )
            } else {
                oc_policy(
                    true,
                    &grant.role,
                    grant.subject.kind,
                    &grant.subject.name,
                    project,
                )
            };
            Ok(Ok(Plan {
                role: grant.role.clone(),
                binding: grant.binding.clone(),
                cluster,
                before,
                after: (!after.is_empty()).then_some(after),
                version: Some(grant.resource_version.clone()),
                commands: vec![command],
                create_scraper_role: false,
            }))
        }
        AccessEdit::Scraper {
            user,
            binding_version,
        } => {
            let user = user.trim();
            let findings = check_grant("registry-viewer", SubjectKind::User, user, "x");
            if blocks(&findings) {
                return Ok(Err(findings));
            }
            let role_exists = Api::<ClusterRole>::all(client.clone())
                .get_opt(SCRAPER_ROLE)
                .await?
                .is_some();
            let wanted = rbac_subject(SubjectKind::User, user, "");
            let now = subjects_now(client, None, SCRAPER_ROLE).await?;
            if let Some((_, subjects, _)) = &now
                && subjects.iter().any(|s| same(s, &wanted))
            {
                return Ok(Err(vec![Finding::error(
                    SUBJECT_FIELD,
                    Message::GrantExists {
                        subject: user.to_owned(),
                        role: SCRAPER_ROLE.into(),
                    },
                )]));
            }
            let before = now.map(|(_, subjects, _)| subjects);
            let mut after = before.clone().unwrap_or_default();
            after.push(wanted);
            let mut commands = Vec::new();
            if !role_exists {
                commands.push(format!(
                    "oc create -f - <<EOF\n{}EOF",
                    serde_yaml::to_string(&scraper_role()).unwrap_or_default()
                ));
            }
            commands.push(format!(
                "oc adm policy add-cluster-role-to-user {SCRAPER_ROLE} {}",
                shell_quote(user)
            ));
            Ok(Ok(Plan {
                role: SCRAPER_ROLE.into(),
                binding: SCRAPER_ROLE.into(),
                cluster: true,
                before,
                after: Some(after),
                version: binding_version.clone(),
                commands,
                create_scraper_role: !role_exists,
            }))
        }
    }
}

/// Guide 5.5's ClusterRole: `get` on `image.openshift.io` `registry/metrics`.
fn scraper_role() -> ClusterRole {
    ClusterRole {
        metadata: ObjectMeta {
            name: Some(SCRAPER_ROLE.into()),
            ..ObjectMeta::default()
        },
        rules: Some(vec![PolicyRule {
            api_groups: Some(vec!["image.openshift.io".into()]),
            resources: Some(vec!["registry/metrics".into()]),
            verbs: vec!["get".into()],
            ..PolicyRule::default()
        }]),
        ..ClusterRole::default()
    }
}

fn subjects_json(subjects: &Option<Vec<RbacSubject>>) -> Value {
    json!({ "subjects": subjects })
}

/// The review: rules, then the binding's subjects before and after, and the `oc` command.
pub async fn preview(
    client: &kube::Client,
    change: &AccessChange,
) -> Result<AccessReview, kube::Error> {
    Ok(match plan(client, change).await? {
        Err(findings) => AccessReview {
            blocked: true,
            findings,
            diff: Vec::new(),
            commands: Vec::new(),
        },
        Ok(plan) => AccessReview {
            findings: Vec::new(),
            blocked: false,
            diff: yaml_diff(&subjects_json(&plan.before), &subjects_json(&plan.after)),
            commands: plan.commands,
        },
    })
}

/// Applies a change at the binding's version the page showed.
pub async fn apply(client: &kube::Client, change: &AccessChange) -> Result<Outcome, kube::Error> {
    let plan = match plan(client, change).await? {
        Ok(plan) => plan,
        Err(findings) => return Ok(Outcome::refused(findings)),
    };
    let project = change.project.trim();
    if plan.create_scraper_role {
        let roles = Api::<ClusterRole>::all(client.clone());
        match write::create(&roles, &scraper_role(), false).await? {
            Sent::Refused(findings) => return Ok(Outcome::refused(findings)),
            // Made meanwhile by someone else: it is there, which is what is wanted.
            Sent::Done(_) | Sent::Conflict => {}
        }
    }
    let conflict = |now: Option<String>| {
        Outcome::conflict(
            vec![FieldChange {
                field: format!(
                    "{}/{}",
                    if plan.cluster {
                        "clusterrolebinding"
                    } else {
                        "rolebinding"
                    },
                    plan.binding
                ),
                shown: plan.version.as_ref().map(|_| "exists".into()),
                now: now.as_ref().map(|_| "exists".into()),
            }],
            now.unwrap_or_default(),
        )
    };
    let sent_version = |meta: &ObjectMeta| meta.resource_version.clone().unwrap_or_default();
    macro_rules! write_binding {
        ($api:expr, $object:expr) => {{
            let api = $api;
            match (&plan.version, &plan.after) {
                // None shown: create it.
                (None, Some(_)) => match write::create(&api, &$object, false).await? {
                    Sent::Done(b) => Outcome::applied(sent_version(&b.metadata)),
                    Sent::Refused(findings) => Outcome::refused(findings),
                    Sent::Conflict => conflict(Some(String::new())),
                },
                (None, None) => Outcome::Unchanged,
                (Some(version), after) => {
                    let Ok(version) = ShownVersion::new(version) else {
                        return Ok(conflict(None));
                    };
                    let sent = match after {
                        Some(after) => {
                            let patch = json!({ "subjects": after });
                            write::send(&api, &plan.binding, &patch, Attempt::Write(&version))
                                .await?
                                .map(|b| sent_version(&b.metadata))
                        }
                        None => write::delete(&api, &plan.binding, &version, false)
                            .await?
                            .map(|_| String::new()),
                    };
                    match sent {
                        Sent::Done(version) => Outcome::applied(*version),
                        Sent::Refused(findings) => Outcome::refused(findings),
                        Sent::Conflict => {
                            let now = api.get_opt(&plan.binding).await?;
                            conflict(now.map(|b| sent_version(&b.metadata)))
                        }
                    }
                }
            }
        }};
    }
    let subjects = plan.after.clone();
    Ok(if plan.cluster {
        let object = ClusterRoleBinding {
            metadata: ObjectMeta {
                name: Some(plan.binding.clone()),
                ..ObjectMeta::default()
            },
            role_ref: role_ref(&plan.role),
            subjects,
        };
        write_binding!(Api::<ClusterRoleBinding>::all(client.clone()), object)
    } else {
        let object = RoleBinding {
            metadata: ObjectMeta {
                name: Some(plan.binding.clone()),
                namespace: Some(project.to_owned()),
                ..ObjectMeta::default()
            },
            role_ref: role_ref(&plan.role),
            subjects,
        };
        write_binding!(
            Api::<RoleBinding>::namespaced(client.clone(), project),
            object
        )
    })
}

/// Whether `subject` may pull and push in `project`, as the cluster answers for them.
pub async fn check(
    client: &kube::Client,
    project: &str,
    kind: SubjectKind,
    subject: &str,
) -> Result<Allowed, kube::Error> {
    let (user, groups) = match kind {
        SubjectKind::User => (subject.to_owned(), Vec::new()),
        SubjectKind::Group => (String::new(), vec![subject.to_owned()]),
        SubjectKind::ServiceAccount => (
            format!("system:serviceaccount:{project}:{subject}"),
            vec![
                "system:serviceaccounts".to_owned(),
                format!("system:serviceaccounts:{project}"),
            ],
        ),
    };
    let may = |verb: &str| {
        let review = SubjectAccessReview {
            spec: SubjectAccessReviewSpec {
                user: (!user.is_empty()).then(|| user.clone()),
                groups: (!groups.is_empty()).then(|| groups.clone()),
                resource_attributes: Some(ResourceAttributes {
                    group: Some("image.openshift.io".into()),
                    resource: Some("imagestreams".into()),
                    subresource: Some("layers".into()),
                    namespace: Some(project.to_owned()),
                    verb: Some(verb.into()),
                    ..ResourceAttributes::default()
                }),
                ..SubjectAccessReviewSpec::default()
            },
            ..SubjectAccessReview::default()
        };
        let api = Api::<SubjectAccessReview>::all(client.clone());
        async move {
            api.create(&PostParams::default(), &review)
                .await
                .map(|r| r.status.is_some_and(|s| s.allowed))
        }
    };
    let (pull, push) = tokio::join!(may("get"), may("update"));
    Ok(Allowed {
        subject: subject.to_owned(),
        pull: pull?,
        push: push?,
    })
}

/// The page for `user`, in `project`.
pub async fn read_as(user: &SignedIn, project: &str) -> Result<AccessData, ConsoleError> {
    let project = if project.trim().is_empty() {
        "default"
    } else {
        project.trim()
    };
    if !registry_model::validation::names::is_dns1123_label(project) {
        return Err(ConsoleError::Rejected(said::errors::not_a_project(project)));
    }
    let access = read(&user.client, project)
        .await
        .map_err(|error| user.explain(error, said::errors::to_read_access()))?;
    let may = access.may_grant;
    Ok(AccessData {
        access,
        viewer: user.viewer(may),
    })
}

/// The review of `change` for `user`.
pub async fn preview_as(
    user: &SignedIn,
    change: &AccessChange,
) -> Result<AccessReview, ConsoleError> {
    preview(&user.client, change)
        .await
        .map_err(|error| user.explain(error, said::errors::to_check_access_change()))
}

/// Applies `change` as `user`.
pub async fn apply_as(user: &SignedIn, change: &AccessChange) -> Result<Outcome, ConsoleError> {
    user.writable()?;
    let result = apply(&user.client, change).await;
    match &result {
        Ok(outcome) => {
            tracing::info!(user = %user.name(), project = %change.project, change = ?change.edit, outcome = %outcome.message(crate::edit::outcome::Object::Access), "access change")
        }
        Err(error) => tracing::info!(user = %user.name(), %error, "access change failed"),
    }
    result.map_err(|error| user.explain_write(error, said::errors::to_change_access()))
}

/// What `subject` may do in `project`, asked by `user`.
pub async fn check_as(
    user: &SignedIn,
    project: &str,
    kind: SubjectKind,
    subject: &str,
) -> Result<Allowed, ConsoleError> {
    check(&user.client, project, kind, subject)
        .await
        .map_err(|error| user.explain(error, said::errors::to_check_access()))
}

#[cfg(test)]
#[path = "apply_tests.rs"]
mod tests;
