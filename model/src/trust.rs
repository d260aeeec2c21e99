//! Additional trusted CAs (`images.config.openshift.io/cluster` `spec.additionalTrustedCA`,
//! guide 2.5): the ConfigMap in `openshift-config` holds one PEM bundle per registry, under
//! the key `host..port` (a ConfigMap key may not hold `:`). What a pasted bundle is, and
//! what is wrong with it, is judged here, for the server and (with `x509`) its review.

use crate::validation::names::is_dns1123_subdomain;
use crate::validation::{Finding, Message};

/// The ConfigMap key of a registry typed as `host[:port]`, or why it is not one.
pub fn config_map_key(registry: &str) -> Result<String, Message> {
    let text = registry.trim();
    let problem = || Message::RegistryHost {
        text: text.to_owned(),
    };
    let (host, port) = match text.rsplit_once(':') {
        // An IPv6 address has colons of its own; it is written in brackets when a port
        // follows, and the brackets stay in the key.
        Some((host, port)) if !host.contains(':') || host.ends_with(']') => (host, Some(port)),
        _ => (text, None),
    };
    let host_ok = is_dns1123_subdomain(host)
        || host.parse::<std::net::Ipv4Addr>().is_ok()
        || host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .is_some_and(|h| h.parse::<std::net::Ipv6Addr>().is_ok());
    let port_ok = port.is_none_or(|p| {
        !p.is_empty()
            && p.bytes().all(|b| b.is_ascii_digit())
            && p.parse::<u16>().is_ok_and(|p| p > 0)
    });
    if !host_ok || !port_ok {
        return Err(problem());
    }
    Ok(match port {
        Some(port) => format!("{host}..{port}"),
        None => host.to_owned(),
    })
}

/// The registry a ConfigMap key stands for (`host..port` → `host:port`).
pub fn registry_of_key(key: &str) -> String {
    key.replacen("..", ":", 1)
}

/// The CA form's fields, as its findings name them.
pub const REGISTRY_FIELD: &str = "registry";
pub const CA_FIELD: &str = "ca";

/// Whether pasted text holds a private key. The browser refuses such text before sending
/// it anywhere, and the server again before it reads anything else of it.
pub fn holds_private_key(text: &str) -> bool {
    text.contains("PRIVATE KEY-----")
}

/// What the CA form holds, judged without reading X.509 (the browser's rules as the user
/// types; the server makes them again, then [`inspect`]s the bundle): a registry that is
/// a host[:port] and not trusted already among `keys` when `registry` is given (adding),
/// and a bundle that is not empty and holds no private key.
pub fn check_entry(registry: Option<&str>, pem: &str, keys: &[String]) -> Vec<Finding> {
    let mut findings = Vec::new();
    if let Some(registry) = registry {
        match config_map_key(registry) {
            Err(message) => findings.push(Finding::error(REGISTRY_FIELD, message)),
            Ok(key) if keys.contains(&key) => findings.push(Finding::error(
                REGISTRY_FIELD,
                Message::CaRegistryTaken {
                    registry: registry_of_key(&key),
                },
            )),
            Ok(_) => {}
        }
    }
    if holds_private_key(pem) {
        findings.push(Finding::error(CA_FIELD, Message::PemPrivateKey));
    } else if pem.trim().is_empty() {
        findings.push(Finding::error(CA_FIELD, Message::PemEmpty));
    }
    findings
}

/// A certificate's facts, as the CA page shows them (nothing in it is secret).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CertFacts {
    pub subject: String,
    pub issuer: String,
    /// DNS names and IP addresses of the subject alternative names.
    pub sans: Vec<String>,
    /// Seconds since the epoch.
    pub not_before: i64,
    pub not_after: i64,
    pub is_ca: bool,
    /// SHA-256 of the DER, upper-case hex pairs joined by `:` (as `openssl x509
    /// -fingerprint -sha256` prints it).
    pub sha256: String,
}

#[cfg(feature = "x509")]
pub use self::pem::{Bundle, certificates_der, inspect};

#[cfg(feature = "x509")]
mod pem {
    use sha2::{Digest, Sha256};
    use x509_parser::extensions::GeneralName;
    use x509_parser::pem::Pem;

    use super::CertFacts;
    use crate::validation::{Finding, Message};

    /// A bundle that reads as certificates, and the warnings it deserves.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct Bundle {
        pub certificates: Vec<CertFacts>,
        /// Expired, expiring within 30 days, not yet valid, not a CA: the field's warnings.
        pub warnings: Vec<Finding>,
    }

    /// A certificate that expires within this many days is warned about.
    const EXPIRING_DAYS: i64 = 30;

    /// What `text` (pasted or uploaded PEM) holds, judged at `now` (seconds since the
    /// epoch: the caller's clock, since the browser has none of its own here). Refused,
    /// with one message, when it holds no certificate, a private key (which is never
    /// echoed back), a block that is not a certificate, or one that does not parse.
    /// `field` is where its findings land.
    pub fn inspect(text: &str, now: i64, field: &str) -> Result<Bundle, Message> {
        // A key pasted by mistake is refused before anything else reads it.
        if super::holds_private_key(text) {
            return Err(Message::PemPrivateKey);
        }
        if text.trim().is_empty() {
            return Err(Message::PemEmpty);
        }
        let mut certificates = Vec::new();
        let mut warnings = Vec::new();
        for (index, block) in Pem::iter_from_buffer(text.as_bytes()).enumerate() {
            let block = block.map_err(|_| Message::PemGarbage)?;
            if block.label != "CERTIFICATE" {
                return Err(Message::PemNotCertificate { label: block.label });
            }
            let (_, cert) = x509_parser::parse_x509_certificate(&block.contents)
                .map_err(|_| Message::PemUnreadable { index: index + 1 })?;
            let subject = cert.subject().to_string();
            let sans = cert
                .subject_alternative_name()
                .ok()
                .flatten()
                .map(|ext| {
                    ext.value
                        .general_names
                        .iter()
                        .filter_map(|name| match name {
                            GeneralName::DNSName(dns) => Some((*dns).to_owned()),
                            GeneralName::IPAddress(ip) => ip_text(ip),
                            _ => None,
                        })
                        .collect()
                })
                .unwrap_or_default();
            let facts = CertFacts {
                issuer: cert.issuer().to_string(),
                sans,
                not_before: cert.validity().not_before.timestamp(),
                not_after: cert.validity().not_after.timestamp(),
                is_ca: cert.is_ca(),
                sha256: Sha256::digest(&block.contents)
                    .iter()
                    .map(|b| format!("{b:02X}"))
                    .collect::<Vec<_>>()
                    .join(":"),
                subject: subject.clone(),
            };
            let date = |at: i64| {
                chrono::DateTime::from_timestamp(at, 0)
                    .map(|d| d.format("%Y-%m-%d").to_string())
                    .unwrap_or_default()
            };
            let warn = |message| Finding::warning(field, message);
            if facts.not_after < now {
                warnings.push(warn(Message::CertExpired {
                    subject: subject.clone(),
                    date: date(facts.not_after),
                }));
            } else if facts.not_after - now < EXPIRING_DAYS * 86_400 {
                warnings.push(warn(Message::CertExpiring {
                    subject: subject.clone(),
                    days: u32::try_from((facts.not_after - now) / 86_400).unwrap_or(0),
                }));
            }
            if facts.not_before > now {
                warnings.push(warn(Message::CertNotYetValid {
                    subject: subject.clone(),
                    date: date(facts.not_before),
                }));
            }
            if !facts.is_ca {
                warnings.push(warn(Message::CertNotCa { subject }));
            }
            certificates.push(facts);
        }
        if certificates.is_empty() {
            return Err(Message::PemGarbage);
        }
        Ok(Bundle {
            certificates,
            warnings,
        })
    }

    /// The DER of each certificate in a PEM bundle the console itself is given (a CA file
    /// on its command line), or why it holds none it could trust.
    pub fn certificates_der(text: &str) -> Result<Vec<Vec<u8>>, Message> {
        inspect(text, 0, "")?;
        Ok(Pem::iter_from_buffer(text.as_bytes())
            .filter_map(Result::ok)
            .map(|block| block.contents)
            .collect())
    }

    fn ip_text(bytes: &[u8]) -> Option<String> {
        match bytes.len() {
            4 => Some(std::net::Ipv4Addr::from(<[u8; 4]>::try_from(bytes).ok()?).to_string()),
            16 => Some(std::net::Ipv6Addr::from(<[u8; 16]>::try_from(bytes).ok()?).to_string()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registries_become_keys_and_back() {
        assert_eq!(
            config_map_key("registry.example.com").unwrap(),
            "registry.example.com"
        );
        assert_eq!(
            config_map_key(" registry.example.com:5000 ").unwrap(),
            "registry.example.com..5000"
        );
        assert_eq!(config_map_key("10.0.0.1:443").unwrap(), "10.0.0.1..443");
        assert_eq!(config_map_key("[fd00::1]:5000").unwrap(), "[fd00::1]..5000");
        assert_eq!(
            registry_of_key("registry.example.com..5000"),
            "registry.example.com:5000"
        );
        for bad in [
            "",
            "Registry.Example.com",
            "host:",
            "host:port",
            "host:0",
            "host:70000",
            "https://host",
            "a b",
        ] {
            assert_eq!(
                config_map_key(bad),
                Err(Message::RegistryHost {
                    text: bad.trim().to_owned()
                }),
                "{bad}"
            );
        }
    }
}

#[cfg(test)]
mod entry_tests {
    use super::*;

    #[test]
    fn the_browser_side_rules_name_their_field() {
        let keys = vec!["registry.example.com..5000".to_owned()];
        let fields = |registry: Option<&str>, pem: &str| {
            check_entry(registry, pem, &keys)
                .into_iter()
                .map(|f| (f.field, f.message.code()))
                .collect::<Vec<_>>()
        };
        let cert = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        assert_eq!(fields(Some("mirror.example.com"), cert), vec![]);
        assert_eq!(
            fields(Some("registry.example.com:5000"), cert),
            vec![("registry".to_owned(), "CaRegistryTaken")]
        );
        assert_eq!(
            fields(Some("https://x"), " "),
            vec![
                ("registry".to_owned(), "RegistryHost"),
                ("ca".to_owned(), "PemEmpty")
            ]
        );
        // Replacing: no registry to judge; a key is refused.
        assert_eq!(
            fields(None, "-----BEGIN EC PRIVATE KEY-----\nAAAA"),
            vec![("ca".to_owned(), "PemPrivateKey")]
        );
    }
}

#[cfg(all(test, feature = "x509"))]
mod pem_tests {
    use super::*;
    use crate::validation::Severity;
    use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};

    const DAY: i64 = 86_400;

    fn now() -> i64 {
        chrono::Utc::now().timestamp()
    }

    /// A certificate made at test time: a CA or not, valid from `from` to `to` (days from
    /// now), with `sans`.
    fn cert(ca: bool, from: i64, to: i64, sans: &[&str]) -> (String, KeyPair) {
        let key = KeyPair::generate().unwrap();
        let mut params =
            CertificateParams::new(sans.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap();
        params.is_ca = if ca {
            IsCa::Ca(BasicConstraints::Unconstrained)
        } else {
            IsCa::NoCa
        };
        let at = |days: i64| time::OffsetDateTime::from_unix_timestamp(now() + days * DAY).unwrap();
        params.not_before = at(from);
        params.not_after = at(to);
        let cert = params.self_signed(&key).unwrap();
        (cert.pem(), key)
    }

    #[test]
    fn a_ca_reads_with_its_facts_and_no_warning() {
        let (pem, _) = cert(true, -1, 365, &["registry.example.com"]);
        let bundle = inspect(&pem, now(), "ca").unwrap();
        assert!(bundle.warnings.is_empty(), "{:?}", bundle.warnings);
        let facts = &bundle.certificates[0];
        assert!(facts.is_ca);
        assert_eq!(facts.sans, ["registry.example.com"]);
        assert_eq!(facts.sha256.split(':').count(), 32);
        assert!(facts.not_after > now());
    }

    #[test]
    fn a_chain_of_two_is_two_certificates() {
        let (a, _) = cert(true, -1, 365, &["a.example.com"]);
        let (b, _) = cert(true, -1, 365, &["b.example.com"]);
        let bundle = inspect(&format!("{a}\n{b}"), now(), "ca").unwrap();
        assert_eq!(bundle.certificates.len(), 2);
    }

    #[test]
    fn expired_expiring_future_and_leaf_certificates_are_warned_about() {
        let codes = |pem: &str| {
            inspect(pem, now(), "ca")
                .unwrap()
                .warnings
                .into_iter()
                .map(|f| {
                    assert_eq!(f.severity, Severity::Warning);
                    f.message.code()
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(
            codes(&cert(true, -30, -1, &["x.example.com"]).0),
            ["CertExpired"]
        );
        assert_eq!(
            codes(&cert(true, -1, 10, &["x.example.com"]).0),
            ["CertExpiring"]
        );
        assert_eq!(
            codes(&cert(true, 2, 365, &["x.example.com"]).0),
            ["CertNotYetValid"]
        );
        assert_eq!(
            codes(&cert(false, -1, 365, &["x.example.com"]).0),
            ["CertNotCa"]
        );
    }

    #[test]
    fn keys_garbage_and_nothing_are_refused_and_a_key_is_never_echoed() {
        let (pem, key) = cert(true, -1, 365, &["x.example.com"]);
        let key_pem = key.serialize_pem();
        let refused = inspect(&format!("{pem}\n{key_pem}"), now(), "ca").unwrap_err();
        assert_eq!(refused, Message::PemPrivateKey);
        assert!(!refused.to_string().contains("BEGIN"), "{refused}");
        assert_eq!(inspect("  \n", now(), "ca").unwrap_err(), Message::PemEmpty);
        assert_eq!(
            inspect("hello", now(), "ca").unwrap_err(),
            Message::PemGarbage
        );
        let broken = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        assert_eq!(
            inspect(broken, now(), "ca").unwrap_err(),
            Message::PemUnreadable { index: 1 }
        );
        let request =
            "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n";
        assert_eq!(
            inspect(request, now(), "ca").unwrap_err(),
            Message::PemNotCertificate {
                label: "CERTIFICATE REQUEST".into()
            }
        );
    }
}
