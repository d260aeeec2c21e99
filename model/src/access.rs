//! Who may use the registry (guide 5.1 and 5.5): the roles OpenShift ships for it, granted
//! in a project as `oc policy add-role-to-user` does (a RoleBinding named after the role,
//! the subject added to it), and the rules a grant must pass before it is sent.

use serde::{Deserialize, Serialize};

use crate::validation::names::{is_dns1123_label, is_dns1123_subdomain};
use crate::validation::{Finding, Message};

/// The registry's roles a project grants, and what each allows (guide 5.1).
pub const REGISTRY_ROLES: [&str; 3] =
    ["registry-viewer", "registry-editor", "system:image-builder"];

/// The ClusterRole of guide 5.5 that lets its holder read the registry's metrics.
pub const SCRAPER_ROLE: &str = "prometheus-scraper";

/// The fields of the grant form, as its findings name them.
pub const ROLE_FIELD: &str = "role";
pub const SUBJECT_FIELD: &str = "subject";
pub const PROJECT_FIELD: &str = "project";

/// Who a role is granted to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SubjectKind {
    #[default]
    User,
    Group,
    /// A service account of the project (`oc policy add-role-to-user ROLE -z NAME`).
    ServiceAccount,
}

impl SubjectKind {
    /// The kind as RBAC spells it in a subject.
    pub fn as_str(self) -> &'static str {
        match self {
            SubjectKind::User => "User",
            SubjectKind::Group => "Group",
            SubjectKind::ServiceAccount => "ServiceAccount",
        }
    }
}

/// The rules of a grant: one of the registry's roles, a project that is a namespace name,
/// and a subject named as RBAC takes it (a service account's name is a DNS subdomain; a
/// user or group is any name without spaces).
pub fn check_grant(role: &str, kind: SubjectKind, subject: &str, project: &str) -> Vec<Finding> {
    let mut findings = Vec::new();
    if !REGISTRY_ROLES.contains(&role) {
        findings.push(Finding::error(
            ROLE_FIELD,
            Message::GrantRole {
                role: role.to_owned(),
            },
        ));
    }
    if !is_dns1123_label(project) {
        findings.push(Finding::error(
            PROJECT_FIELD,
            Message::ProjectName {
                name: project.to_owned(),
            },
        ));
    }
    let subject = subject.trim();
    if subject.is_empty() {
        findings.push(Finding::error(SUBJECT_FIELD, Message::SubjectEmpty));
    } else if kind == SubjectKind::ServiceAccount && !is_dns1123_subdomain(subject) {
        findings.push(Finding::error(
            SUBJECT_FIELD,
            Message::ServiceAccountName {
                name: subject.to_owned(),
            },
        ));
    } else if subject.chars().any(|c| c.is_whitespace() || c == '/') {
        findings.push(Finding::error(
            SUBJECT_FIELD,
            Message::SubjectName {
                name: subject.to_owned(),
            },
        ));
    }
    findings
}

/// The `oc` command that makes a grant in `project` (or, `revoke`, takes it back).
pub fn oc_policy(
    revoke: bool,
    role: &str,
    kind: SubjectKind,
    subject: &str,
    project: &str,
) -> String {
    let verb = if revoke {
        "remove-role-from"
    } else {
        "add-role-to"
    };
    let quote = crate::change::shell_quote;
    match kind {
        SubjectKind::User => format!(
            "oc policy {verb}-user {} {} -n {}",
            quote(role),
            quote(subject),
            quote(project)
        ),
        SubjectKind::Group => format!(
            "oc policy {verb}-group {} {} -n {}",
            quote(role),
            quote(subject),
            quote(project)
        ),
        SubjectKind::ServiceAccount => format!(
            "oc policy {verb}-user {} -z {} -n {}",
            quote(role),
            quote(subject),
            quote(project)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grants_name_a_registry_role_a_project_and_a_subject() {
        let codes = |role, kind, subject, project| {
            check_grant(role, kind, subject, project)
                .into_iter()
                .map(|f| (f.field, f.message.code()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            codes(
                "registry-viewer",
                SubjectKind::User,
                "alice@example.com",
                "team-a"
            ),
            vec![]
        );
        assert_eq!(
            codes(
                "system:image-builder",
                SubjectKind::ServiceAccount,
                "builder",
                "ci"
            ),
            vec![]
        );
        assert_eq!(
            codes("cluster-admin", SubjectKind::User, "", "Team A"),
            vec![
                ("role".to_owned(), "GrantRole"),
                ("project".to_owned(), "ProjectName"),
                ("subject".to_owned(), "SubjectEmpty")
            ]
        );
        assert_eq!(
            codes(
                "registry-editor",
                SubjectKind::ServiceAccount,
                "Builder",
                "ci"
            ),
            vec![("subject".to_owned(), "ServiceAccountName")]
        );
        assert_eq!(
            codes("registry-editor", SubjectKind::Group, "dev team", "ci"),
            vec![("subject".to_owned(), "SubjectName")]
        );
    }

    #[test]
    fn the_oc_commands_are_the_guides() {
        assert_eq!(
            oc_policy(
                false,
                "registry-viewer",
                SubjectKind::User,
                "alice",
                "team-a"
            ),
            "oc policy add-role-to-user registry-viewer alice -n team-a"
        );
        assert_eq!(
            oc_policy(
                true,
                "system:image-builder",
                SubjectKind::ServiceAccount,
                "builder",
                "ci"
            ),
            "oc policy remove-role-from-user system:image-builder -z builder -n ci"
        );
        assert_eq!(
            oc_policy(false, "registry-editor", SubjectKind::Group, "devs", "ci"),
            "oc policy add-role-to-group registry-editor devs -n ci"
        );
    }
}
