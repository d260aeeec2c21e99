//! Names and addresses: DNS names, bucket and container names, regions, URLs.

use super::Message;

/// A DNS-1123 label: 1–63 lowercase letters, digits or '-', alphanumeric at both ends.
pub fn is_dns1123_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// An image name as a registry path takes it: `/`-separated components of lowercase
/// letters and digits joined by single `.`, `_` or `-` (the distribution spec's repository
/// grammar, runs of separators aside), then an optional `:tag` of up to 128 letters,
/// digits, `_`, `.` or `-`, not starting with `.` or `-`.
pub fn is_image_name(s: &str) -> bool {
    let (path, tag) = match s.rsplit_once(':') {
        Some((path, tag)) if !tag.contains('/') => (path, Some(tag)),
        _ => (s, None),
    };
    let component = |c: &str| {
        !c.is_empty()
            && c.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
            && c.as_bytes()[0].is_ascii_alphanumeric()
            && c.as_bytes()[c.len() - 1].is_ascii_alphanumeric()
            && !c.contains("..")
            && !c.contains("--")
    };
    let tag_ok = tag.is_none_or(|t| {
        !t.is_empty()
            && t.len() <= 128
            && t.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b))
            && !t.starts_with(['.', '-'])
    });
    path.len() <= 255 && path.split('/').all(component) && tag_ok
}

/// A DNS-1123 subdomain: dot-separated labels, at most 253 characters.
pub fn is_dns1123_subdomain(s: &str) -> bool {
    s.len() <= 253 && s.split('.').all(is_dns1123_label)
}

/// Why `name` is not a valid S3 bucket name (AWS's rules for new buckets), or `None`.
pub fn s3_bucket_problem(name: &str) -> Option<Message> {
    if name.len() < 3 || name.len() > 63 {
        return Some(Message::S3BucketLength {
            name: name.into(),
            len: name.len(),
        });
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
    {
        return Some(Message::S3BucketCharacters { name: name.into() });
    }
    let ends_ok = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    if !ends_ok(name.bytes().next()) || !ends_ok(name.bytes().last()) {
        return Some(Message::S3BucketEnds { name: name.into() });
    }
    if name.contains("..") || name.contains(".-") || name.contains("-.") {
        return Some(Message::S3BucketPeriods { name: name.into() });
    }
    if name.split('.').count() == 4 && name.split('.').all(|p| p.parse::<u8>().is_ok()) {
        return Some(Message::S3BucketIpAddress { name: name.into() });
    }
    if name.starts_with("xn--") || name.ends_with("-s3alias") {
        return Some(Message::S3BucketReserved { name: name.into() });
    }
    None
}

/// Why `name` is not a valid Google Cloud Storage bucket name, or `None`.
pub fn gcs_bucket_problem(name: &str) -> Option<Message> {
    let max = if name.contains('.') { 222 } else { 63 };
    if name.len() < 3 || name.len() > max {
        return Some(Message::GcsBucketLength {
            name: name.into(),
            len: name.len(),
        });
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'_'))
    {
        return Some(Message::GcsBucketCharacters { name: name.into() });
    }
    let ends_ok = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    if !ends_ok(name.bytes().next()) || !ends_ok(name.bytes().last()) {
        return Some(Message::GcsBucketEnds { name: name.into() });
    }
    if name.starts_with("goog") || name.contains("google") {
        return Some(Message::GcsBucketGoogle { name: name.into() });
    }
    None
}

/// Why `name` is not a valid Azure blob container name (3–63, lowercase letters, digits and
/// single hyphens, starting with a letter or digit — the CRD's pattern), or `None`.
pub fn azure_container_problem(name: &str) -> Option<Message> {
    let ok = (3..=63).contains(&name.len())
        && name.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        });
    (!ok).then(|| Message::AzureContainerName { name: name.into() })
}

/// Why `name` is not a valid Azure storage account name (3–24 lowercase letters and digits), or `None`.
pub fn azure_account_problem(name: &str) -> Option<Message> {
    let ok = (3..=24).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    (!ok).then(|| Message::AzureAccountName { name: name.into() })
}

/// Why `region` does not look like an AWS region (`us-east-1`, `eu-central-2`,
/// `us-gov-west-1`), or `None`. S3-compatible stores with a `regionEndpoint` take any region.
pub fn aws_region_problem(region: &str) -> Option<Message> {
    let parts: Vec<&str> = region.split('-').collect();
    let ok = parts.len() >= 3
        && parts[0].len() == 2
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
        && parts
            .last()
            .is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()));
    (!ok).then(|| Message::AwsRegion {
        region: region.into(),
    })
}

/// A URL as messages may show it: a password in it (`http://user:pass@proxy:3128`, as
/// proxies take them) replaced by `***`.
pub fn redact_userinfo(url: &str) -> String {
    let (scheme, rest) = match url.split_once("://") {
        Some((scheme, rest)) => (format!("{scheme}://"), rest),
        None => (String::new(), url),
    };
    // A password may hold '/' or '@' unescaped: everything before the last '@' is hidden
    // but the user name.
    match rest.rsplit_once('@') {
        // A user name alone is no secret.
        Some((userinfo, _)) if !userinfo.contains(':') => url.to_owned(),
        Some((userinfo, host)) => {
            let user = userinfo.split([':', '/']).next().unwrap_or_default();
            format!("{scheme}{user}:***@{host}")
        }
        None => url.to_owned(),
    }
}

/// Whether `url` carries the `***` [`redact_userinfo`] puts in place of a password.
pub fn is_redacted(url: &str) -> bool {
    url.contains(":***@")
}

/// Why a URL is not `http(s)://host[:port][/path]` (a `user:password@` part is allowed,
/// and never repeated in the message), or `None`.
pub fn http_url_problem(url: &str) -> Option<Message> {
    if url.trim().is_empty() {
        return Some(Message::UrlEmpty);
    }
    let shown = redact_userinfo(url);
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    let Some(rest) = rest else {
        return Some(Message::UrlScheme { url: shown });
    };
    let authority = rest.split('/').next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = host_port.rsplit_once(':').map_or(host_port, |(h, port)| {
        if port.parse::<u16>().is_ok() {
            h
        } else {
            host_port
        }
    });
    if host.is_empty()
        || host.contains(' ')
        || !host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'[' | b']' | b':'))
    {
        return Some(Message::UrlHost { url: shown });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_names_follow_the_registry_grammar() {
        for good in [
            "myapp",
            "myapp:1.0",
            "team/my-app",
            "my_app.v2:latest",
            "a/b/c:v1-rc.1",
        ] {
            assert!(is_image_name(good), "{good}");
        }
        for bad in [
            "",
            "MyApp",
            "my app",
            "-app",
            "app-",
            "a//b",
            "app:",
            "app:.x",
            "a..b",
            "app:with/slash",
        ] {
            assert!(!is_image_name(bad), "{bad}");
        }
    }

    #[test]
    fn urls_with_a_password_are_valid_and_the_password_is_never_repeated() {
        assert_eq!(
            http_url_problem("http://user:s3cret@proxy.example.com:3128"),
            None
        );
        assert_eq!(
            redact_userinfo("http://user:s3cret@proxy.example.com:3128/x"),
            "http://user:***@proxy.example.com:3128/x"
        );
        assert_eq!(redact_userinfo("https://proxy:3128"), "https://proxy:3128");
        assert_eq!(
            redact_userinfo("http://user@proxy:3128"),
            "http://user@proxy:3128"
        );
        let bad = http_url_problem("http://user:s3cret@bad host:3128").unwrap();
        assert!(!bad.to_string().contains("s3cret"), "{bad}");
        for tricky in [
            "user:pa/ss@proxy:3128",
            "http://us_er:pa/ss@proxy",
            "http://user:p@ss@bad host",
        ] {
            let message = http_url_problem(tricky)
                .map(|m| m.to_string())
                .unwrap_or_default();
            assert!(
                !message.to_string().contains("pa/ss") && !message.to_string().contains("p@ss"),
                "{message}"
            );
        }
        let no_scheme = http_url_problem("user:s3cret@proxy:3128").unwrap();
        assert!(
            no_scheme.to_string().contains("needs a scheme"),
            "{no_scheme}"
        );
        assert!(!no_scheme.to_string().contains("s3cret"), "{no_scheme}");
    }

    #[test]
    fn s3_bucket_names() {
        for ok in ["registry", "my.registry-1", "abc"] {
            assert_eq!(s3_bucket_problem(ok), None, "{ok}");
        }
        for (bad, why) in [
            ("ab", "3 to 63"),
            ("My-Bucket", "lowercase"),
            ("-bucket", "starts and ends"),
            ("a..b", "adjacent"),
            ("192.168.1.1", "IP address"),
            ("xn--bucket", "xn--"),
            (&"a".repeat(64), "3 to 63"),
        ] {
            let p = s3_bucket_problem(bad).unwrap_or_else(|| panic!("{bad} should be refused"));
            assert!(p.to_string().contains(why), "{bad}: {p}");
        }
    }

    #[test]
    fn gcs_bucket_names() {
        assert_eq!(gcs_bucket_problem("my_bucket-1"), None);
        assert!(
            gcs_bucket_problem("google-images")
                .unwrap()
                .to_string()
                .contains("google")
        );
        assert!(
            gcs_bucket_problem("UPPER")
                .unwrap()
                .to_string()
                .contains("lowercase")
        );
        assert!(
            gcs_bucket_problem("_x_")
                .unwrap()
                .to_string()
                .contains("starts and ends")
        );
    }

    #[test]
    fn azure_names() {
        assert_eq!(azure_container_problem("registry-images"), None);
        for bad in ["ab", "a--b", "-ab", "Abc", "ab-"] {
            assert!(azure_container_problem(bad).is_some(), "{bad}");
        }
        assert_eq!(azure_account_problem("imageregistry1"), None);
        assert!(azure_account_problem("image-registry").is_some());
        assert!(azure_account_problem("a".repeat(25).as_str()).is_some());
    }

    #[test]
    fn regions_and_urls() {
        for ok in [
            "us-east-1",
            "eu-central-2",
            "us-gov-west-1",
            "ap-southeast-10",
        ] {
            assert_eq!(aws_region_problem(ok), None, "{ok}");
        }
        for bad in ["useast1", "US-EAST-1", "us-east", "east-1"] {
            assert!(aws_region_problem(bad).is_some(), "{bad}");
        }
        for ok in [
            "https://s3.example.com",
            "http://minio.local:9000",
            "https://cdn.example.com/path",
        ] {
            assert_eq!(http_url_problem(ok), None, "{ok}");
        }
        for bad in ["s3.example.com", "ftp://x", "https://", "https://bad host"] {
            assert!(http_url_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn dns_names() {
        assert!(is_dns1123_subdomain("registry.apps.example.com"));
        assert!(!is_dns1123_subdomain("Registry.example.com"));
        assert!(!is_dns1123_label("a_b"));
    }
}
