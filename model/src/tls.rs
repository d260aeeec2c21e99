//! A route's own certificate (guide 2.4 and 6.1, `spec.routes[].secretName`): the
//! `kubernetes.io/tls` Secret in `openshift-image-registry` whose certificate the router
//! serves. Before one is made, the certificate must cover the route's host and be within
//! its validity, and the key must be the certificate's; the key is read here and never
//! shown, returned or logged.

/// The fields of the route form, as its findings name them.
pub const CERT_FIELD: &str = "tlsCert";
pub const KEY_FIELD: &str = "tlsKey";
pub const HOST_FIELD: &str = "hostname";

/// Whether `host` is one of `names` (a SAN's `*.` covers exactly one label, as TLS
/// clients match it).
pub fn covers(names: &[String], host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    names.iter().any(|name| {
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        match name.strip_prefix("*.") {
            Some(domain) => host
                .split_once('.')
                .is_some_and(|(label, rest)| !label.is_empty() && rest == domain),
            None => name == host,
        }
    })
}

#[cfg(feature = "x509")]
pub use self::pair::{Checked, check_pair, facts_of};

#[cfg(feature = "x509")]
mod pair {
    use x509_parser::pem::Pem;

    use super::*;
    use crate::trust::{CertFacts, inspect};
    use crate::validation::{Finding, Message};

    /// A certificate and key that passed, with the leaf's facts and any warnings.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct Checked {
        pub leaf: CertFacts,
        pub warnings: Vec<Finding>,
    }

    fn date(at: i64) -> String {
        chrono::DateTime::from_timestamp(at, 0)
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    }

    /// The facts of a certificate chain's first (leaf) certificate, judged for `host` at
    /// `now`: errors when it does not cover the host or is outside its validity.
    pub fn facts_of(
        cert_pem: &str,
        host: &str,
        now: i64,
    ) -> Result<(CertFacts, Vec<Finding>), Vec<Finding>> {
        let bundle =
            inspect(cert_pem, now, CERT_FIELD).map_err(|m| vec![Finding::error(CERT_FIELD, m)])?;
        let leaf = bundle.certificates[0].clone();
        let mut errors = Vec::new();
        if leaf.not_after < now {
            errors.push(Finding::error(
                CERT_FIELD,
                Message::TlsCertExpired {
                    date: date(leaf.not_after),
                },
            ));
        }
        if leaf.not_before > now {
            errors.push(Finding::error(
                CERT_FIELD,
                Message::TlsCertNotYetValid {
                    date: date(leaf.not_before),
                },
            ));
        }
        if !host.is_empty() && !covers(&leaf.sans, host) {
            errors.push(Finding::error(
                HOST_FIELD,
                Message::TlsHostNotCovered {
                    host: host.to_owned(),
                    names: if leaf.sans.is_empty() {
                        "no DNS names".into()
                    } else {
                        leaf.sans.join(", ")
                    },
                },
            ));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        // A leaf is not a CA, and need not be: only the expiry warning is worth saying.
        let warnings = bundle
            .warnings
            .into_iter()
            .filter(|w| w.message.code() == "CertExpiring")
            .collect();
        Ok((leaf, warnings))
    }

    /// Checks a certificate and its key for the route host `host` at `now`.
    pub fn check_pair(
        cert_pem: &str,
        key_pem: &str,
        host: &str,
        now: i64,
    ) -> Result<Checked, Vec<Finding>> {
        let mut errors = Vec::new();
        if cert_pem.trim().is_empty() {
            errors.push(Finding::error(CERT_FIELD, Message::TlsCertMissing));
        }
        if key_pem.trim().is_empty() {
            errors.push(Finding::error(KEY_FIELD, Message::TlsKeyMissing));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let (leaf, warnings) = facts_of(cert_pem, host, now)?;
        let key_block = Pem::iter_from_buffer(key_pem.as_bytes())
            .filter_map(Result::ok)
            .find(|block| block.label.ends_with("PRIVATE KEY"));
        if key_block.is_none() {
            return Err(vec![Finding::error(KEY_FIELD, Message::TlsKeyNotKey)]);
        }
        let key = rcgen::KeyPair::from_pem(key_pem)
            .map_err(|_| vec![Finding::error(KEY_FIELD, Message::TlsKeyUnreadable)])?;
        let certificate = Pem::iter_from_buffer(cert_pem.as_bytes())
            .filter_map(Result::ok)
            .find(|block| block.label == "CERTIFICATE")
            .ok_or_else(|| vec![Finding::error(CERT_FIELD, Message::PemGarbage)])?;
        let (_, parsed) =
            x509_parser::parse_x509_certificate(&certificate.contents).map_err(|_| {
                vec![Finding::error(
                    CERT_FIELD,
                    Message::PemUnreadable { index: 1 },
                )]
            })?;
        if parsed.public_key().raw != key.public_key_der().as_slice() {
            return Err(vec![Finding::error(KEY_FIELD, Message::TlsKeyMismatch)]);
        }
        Ok(Checked { leaf, warnings })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wildcard_covers_one_label() {
        let names = vec![
            "*.apps.example.com".to_owned(),
            "registry.example.com".to_owned(),
        ];
        assert!(covers(&names, "registry.apps.example.com"));
        assert!(covers(&names, "REGISTRY.example.com."));
        assert!(!covers(&names, "a.b.apps.example.com"));
        assert!(!covers(&names, "apps.example.com"));
        assert!(!covers(&names, "other.example.com"));
    }
}

#[cfg(all(test, feature = "x509"))]
mod pair_tests {
    use super::*;
    use crate::validation::Finding;
    use rcgen::{CertificateParams, KeyPair};

    const DAY: i64 = 86_400;

    fn now() -> i64 {
        chrono::Utc::now().timestamp()
    }

    fn cert(sans: &[&str], from: i64, to: i64) -> (String, String) {
        let key = KeyPair::generate().unwrap();
        let mut params =
            CertificateParams::new(sans.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap();
        let at = |days: i64| time::OffsetDateTime::from_unix_timestamp(now() + days * DAY).unwrap();
        params.not_before = at(from);
        params.not_after = at(to);
        (params.self_signed(&key).unwrap().pem(), key.serialize_pem())
    }

    fn codes(result: Result<Checked, Vec<Finding>>) -> Vec<(String, &'static str)> {
        match result {
            Ok(_) => Vec::new(),
            Err(findings) => findings
                .into_iter()
                .map(|f| (f.field, f.message.code()))
                .collect(),
        }
    }

    #[test]
    fn a_matching_pair_for_the_host_passes() {
        let (cert, key) = cert(&["registry.apps.example.com"], -1, 365);
        let checked = check_pair(&cert, &key, "registry.apps.example.com", now()).unwrap();
        assert_eq!(checked.leaf.sans, ["registry.apps.example.com"]);
        assert!(checked.warnings.is_empty());
    }

    #[test]
    fn a_wrong_host_a_mismatched_key_and_dates_are_refused() {
        let (cert_a, key_a) = cert(&["registry.apps.example.com"], -1, 365);
        let (_, key_b) = cert(&["registry.apps.example.com"], -1, 365);
        assert_eq!(
            codes(check_pair(&cert_a, &key_a, "other.example.com", now())),
            [("hostname".to_owned(), "TlsHostNotCovered")]
        );
        assert_eq!(
            codes(check_pair(
                &cert_a,
                &key_b,
                "registry.apps.example.com",
                now()
            )),
            [("tlsKey".to_owned(), "TlsKeyMismatch")]
        );
        let (expired, key) = cert(&["r.example.com"], -30, -1);
        assert_eq!(
            codes(check_pair(&expired, &key, "r.example.com", now())),
            [("tlsCert".to_owned(), "TlsCertExpired")]
        );
        let (future, key) = cert(&["r.example.com"], 2, 30);
        assert_eq!(
            codes(check_pair(&future, &key, "r.example.com", now())),
            [("tlsCert".to_owned(), "TlsCertNotYetValid")]
        );
        assert_eq!(
            codes(check_pair(
                &cert_a,
                &cert_a,
                "registry.apps.example.com",
                now()
            )),
            [("tlsKey".to_owned(), "TlsKeyNotKey")]
        );
        assert_eq!(
            codes(check_pair("", "", "x", now())),
            [
                ("tlsCert".to_owned(), "TlsCertMissing"),
                ("tlsKey".to_owned(), "TlsKeyMissing")
            ]
        );
    }
}
