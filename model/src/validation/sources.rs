//! The rest of the image config (`images.config.openshift.io/cluster`): which registries
//! the cluster may use, which it may import from, and the registry's external hostnames.
//! The real CRD's CEL rules (mirrored here so the form says them as the user types; the
//! demo cluster evaluates the rules themselves, and a test holds the two equal), and what
//! an admin should know before applying.

use crate::image_config::ImageSources;
use crate::trust::config_map_key;
use crate::validation::names::is_dns1123_subdomain;
use crate::validation::{Finding, Message};

/// The registries an allow list must keep for the cluster's own images (its release and
/// operators come from them).
pub const CLUSTER_SOURCES: [&str; 2] = ["quay.io", "registry.redhat.io"];

/// A DNS label as the CRD's rule writes it: letters (either case), digits and inner '-'.
fn is_label(s: &str) -> bool {
    let bytes = s.as_bytes();
    !bytes.is_empty()
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
        && bytes[0].is_ascii_alphanumeric()
        && bytes[bytes.len() - 1].is_ascii_alphanumeric()
}

/// A path component: lowercase letters and digits, joined by one '.', one '_', "__" or
/// any number of '-'.
fn is_path_component(s: &str) -> bool {
    let bytes = s.as_bytes();
    if bytes.is_empty()
        || !bytes[0].is_ascii_alphanumeric()
        || !bytes[bytes.len() - 1].is_ascii_alphanumeric()
    {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_lowercase() || b.is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && !(bytes[i].is_ascii_lowercase() || bytes[i].is_ascii_digit()) {
            i += 1;
        }
        let separator = &s[start..i];
        let dashes = separator.bytes().all(|b| b == b'-');
        if !matches!(separator, "." | "_" | "__") && !dashes {
            return false;
        }
    }
    true
}

/// Whether `s` is a registry scope as `registrySources` takes it: `*.domain`, or
/// `host[:port][/path]` without a tag or digest (the CRD's CEL rule).
pub fn is_registry_scope(s: &str) -> bool {
    if let Some(domain) = s.strip_prefix("*.") {
        return domain.split('.').all(is_label);
    }
    let (host_port, path) = match s.split_once('/') {
        Some((host_port, path)) => (host_port, Some(path)),
        None => (s, None),
    };
    let host = match host_port.rsplit_once(':') {
        Some((host, port)) => {
            if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
                return false;
            }
            host
        }
        None => host_port,
    };
    host.split('.').all(is_label) && path.is_none_or(|p| p.split('/').all(is_path_component))
}

/// The rules of the image config's registry settings, each finding on the field it is
/// about (`spec.registrySources.allowedRegistries`, ...).
pub fn validate_sources(sources: &ImageSources) -> Vec<Finding> {
    let mut out = Vec::new();
    let lists = sources.registry_sources.clone().unwrap_or_default();
    let names = |list: &Option<Vec<crate::image_config::RegistryName>>| -> Vec<String> {
        list.iter().flatten().map(|n| n.0.clone()).collect()
    };
    let (allowed, blocked, insecure) = (
        names(&lists.allowed_registries),
        names(&lists.blocked_registries),
        names(&lists.insecure_registries),
    );
    for (field, list) in [
        ("allowedRegistries", &allowed),
        ("blockedRegistries", &blocked),
        ("insecureRegistries", &insecure),
    ] {
        let field = format!("spec.registrySources.{field}");
        for entry in list {
            if !is_registry_scope(entry) {
                out.push(Finding::error(
                    &field,
                    Message::RegistryScope {
                        text: entry.clone(),
                    },
                ));
            }
        }
        if let Some(twice) = list
            .iter()
            .enumerate()
            .find(|(i, e)| list[..*i].contains(e))
        {
            out.push(Finding::error(
                &field,
                Message::KeyTwice {
                    key: twice.1.clone(),
                },
            ));
        }
    }
    if !allowed.is_empty() && !blocked.is_empty() {
        out.push(Finding::error(
            "spec.registrySources.blockedRegistries",
            Message::AllowedAndBlocked,
        ));
    }
    let missing: Vec<&str> = CLUSTER_SOURCES
        .into_iter()
        .filter(|source| !allowed.iter().any(|a| a == source))
        .collect();
    if !allowed.is_empty() && !missing.is_empty() {
        out.push(Finding::warning(
            "spec.registrySources.allowedRegistries",
            Message::AllowListBlocksCluster {
                registries: missing.join(", "),
            },
        ));
    }
    let search = lists
        .container_runtime_search_registries
        .clone()
        .unwrap_or_default();
    for entry in &search {
        if !is_dns1123_subdomain(&entry.to_ascii_lowercase()) {
            out.push(Finding::error(
                "spec.registrySources.containerRuntimeSearchRegistries",
                Message::DnsName {
                    host: entry.clone(),
                },
            ));
        }
    }
    if let Some((_, twice)) = search
        .iter()
        .enumerate()
        .find(|(i, e)| search[..*i].contains(e))
    {
        out.push(Finding::error(
            "spec.registrySources.containerRuntimeSearchRegistries",
            Message::KeyTwice { key: twice.clone() },
        ));
    }
    for location in sources.allowed_registries_for_import.iter().flatten() {
        let domain = location.domain_name.clone().unwrap_or_default();
        if domain.trim().is_empty() || domain.contains(char::is_whitespace) || domain.contains('/')
        {
            out.push(Finding::error(
                "spec.allowedRegistriesForImport",
                Message::RegistryHost { text: domain },
            ));
        }
    }
    for host in sources.external_registry_hostnames.iter().flatten() {
        if config_map_key(host).is_err() {
            out.push(Finding::error(
                "spec.externalRegistryHostnames",
                Message::RegistryHost { text: host.clone() },
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image_config::{RegistryName, RegistrySources};

    #[test]
    fn scopes_follow_the_crds_rule() {
        for good in [
            "quay.io",
            "registry.example.com:5000",
            "registry.example.com:5000/team/app",
            "Registry.Example.com",
            "*.example.com",
            "localhost",
            "r.io/a__b/c-d/e.f/g---h",
        ] {
            assert!(is_registry_scope(good), "{good}");
        }
        for bad in [
            "",
            "quay.io/app:latest",
            "quay.io@sha256:abc",
            "-bad.example.com",
            "*.",
            "*example.com",
            "quay.io/",
            "quay.io/App",
            "host:",
            "host:port",
            "r.io/a..b",
            "r.io/a_-b",
            "a b",
        ] {
            assert!(!is_registry_scope(bad), "{bad}");
        }
    }

    #[test]
    fn allowed_and_blocked_are_exclusive_and_an_allow_list_is_warned_about() {
        let sources = |allowed: &[&str], blocked: &[&str]| ImageSources {
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
        let codes = |s: ImageSources| {
            validate_sources(&s)
                .into_iter()
                .map(|f| (f.field, f.message.code()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            codes(sources(
                &["quay.io", "registry.redhat.io", "r.example.com"],
                &[]
            )),
            vec![]
        );
        assert_eq!(
            codes(sources(&["r.example.com"], &["docker.io"])),
            vec![
                (
                    "spec.registrySources.blockedRegistries".to_owned(),
                    "AllowedAndBlocked"
                ),
                (
                    "spec.registrySources.allowedRegistries".to_owned(),
                    "AllowListBlocksCluster"
                ),
            ]
        );
        assert_eq!(
            codes(sources(&[], &["docker.io/app:1", "docker.io/app:1"])),
            vec![
                (
                    "spec.registrySources.blockedRegistries".to_owned(),
                    "RegistryScope"
                ),
                (
                    "spec.registrySources.blockedRegistries".to_owned(),
                    "RegistryScope"
                ),
                (
                    "spec.registrySources.blockedRegistries".to_owned(),
                    "KeyTwice"
                ),
            ]
        );
    }
}
