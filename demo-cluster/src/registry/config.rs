//! The configuration file of one registry process, from what the operator put in the
//! registry pod: the storage driver, read-only mode and log level of its environment, and
//! where its storage lives on this machine.

use std::net::SocketAddr;
use std::path::PathBuf;

use k8s_openapi::api::core::v1::EnvVar;
use serde_json::json;

/// What a registry pod asks of its process.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// The driver the operator configured (`filesystem`, `s3`, ...). The demo stores every
    /// driver's data on the local filesystem, and says so in the pod's log.
    pub driver: String,
    /// `spec.readOnly`: the registry's maintenance read-only mode.
    pub read_only: bool,
    /// `info`, `warn` or `debug`.
    pub log_level: String,
}

impl Settings {
    /// From a registry container's environment.
    pub fn from_env(env: &[EnvVar]) -> Settings {
        let value = |name: &str| {
            env.iter()
                .find(|e| e.name == name)
                .and_then(|e| e.value.clone())
        };
        Settings {
            driver: value("REGISTRY_STORAGE").unwrap_or_else(|| "filesystem".into()),
            read_only: value("REGISTRY_STORAGE_MAINTENANCE_READONLY")
                .is_some_and(|v| v.contains("true")),
            log_level: value("REGISTRY_LOG_LEVEL").unwrap_or_else(|| "info".into()),
        }
    }
}

/// Where a process listens and keeps its data.
pub struct Placement {
    pub http: SocketAddr,
    pub debug: SocketAddr,
    pub storage: PathBuf,
    /// Shared by every replica, so an upload started on one may finish on another.
    pub http_secret: String,
}

/// The YAML the registry reads (`docker-registry serve FILE`).
pub fn render(settings: &Settings, placement: &Placement) -> String {
    let config = json!({
        "version": 0.1,
        "log": { "level": settings.log_level, "formatter": "text" },
        "storage": {
            "filesystem": { "rootdirectory": placement.storage },
            "delete": { "enabled": true },
            "cache": { "blobdescriptor": "inmemory" },
            "maintenance": {
                "uploadpurging": { "enabled": false },
                "readonly": { "enabled": settings.read_only }
            }
        },
        "http": {
            "addr": placement.http.to_string(),
            "secret": placement.http_secret,
            // The demo router forwards to the process: Location headers must not name the
            // process's own address.
            "relativeurls": true,
            "debug": {
                "addr": placement.debug.to_string(),
                "prometheus": { "enabled": true, "path": "/metrics" }
            }
        }
    });
    serde_yaml::to_string(&config).expect("a registry configuration serializes")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<EnvVar> {
        pairs
            .iter()
            .map(|(n, v)| EnvVar {
                name: (*n).into(),
                value: Some((*v).into()),
                ..Default::default()
            })
            .collect()
    }

    #[test]
    fn read_only_and_the_log_level_come_from_the_operators_environment() {
        let s = Settings::from_env(&env(&[
            ("REGISTRY_STORAGE", "s3"),
            ("REGISTRY_STORAGE_MAINTENANCE_READONLY", "{enabled: true}"),
            ("REGISTRY_LOG_LEVEL", "debug"),
        ]));
        assert_eq!(
            s,
            Settings {
                driver: "s3".into(),
                read_only: true,
                log_level: "debug".into()
            }
        );
        let yaml = render(
            &s,
            &Placement {
                http: "127.0.0.1:1".parse().unwrap(),
                debug: "127.0.0.1:2".parse().unwrap(),
                storage: "/data/registry".into(),
                http_secret: "s".into(),
            },
        );
        let v: serde_json::Value = serde_yaml::from_str(&yaml).unwrap();
        assert_eq!(v["storage"]["maintenance"]["readonly"]["enabled"], true);
        assert_eq!(v["http"]["debug"]["prometheus"]["enabled"], true);
        assert_eq!(
            v["storage"]["filesystem"]["rootdirectory"],
            "/data/registry"
        );
        let plain = Settings::from_env(&[]);
        assert!(!plain.read_only);
        assert_eq!(plain.driver, "filesystem");
    }
}
