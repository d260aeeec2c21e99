//! What a finding says, as a code with arguments: the page renders it in the reader's
//! language, the server's logs in English ([`Display`](std::fmt::Display)). One line each
//! below: the code, its arguments, and the English text; a new message cannot be added
//! without its English, and a language added later gets a `match` of its own that the
//! compiler holds complete.
//!
//! On the wire a message is `{"code": "S3BucketLength", "args": {"name": "ab", "len": 2}}`.

use serde::de::{DeserializeOwned, Error as _};
use serde::ser::{Error as _, SerializeMap};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::duration::DurationError;

macro_rules! messages {
    ($(
        $(#[$doc:meta])*
        $code:ident $({ $($arg:ident : $ty:ty),* $(,)? })? => $english:expr
    ),* $(,)?) => {
        /// What a finding says; see the module.
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub enum Message {
            $( $(#[$doc])* $code $({ $($arg: $ty),* })?, )*
        }

        // By hand rather than serde's adjacently tagged derive, which generated a visitor
        // per message: 240 KB of the browser's WASM. Here each message costs a string
        // comparison, and each argument type one decoder.
        impl Serialize for Message {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(None)?;
                map.serialize_entry("code", self.code())?;
                match self {
                    $( Message::$code $({ $($arg),* })? => {
                        $(
                            let mut args = Map::new();
                            $( args.insert(stringify!($arg).into(), to_arg::<S, _>($arg)?); )*
                            map.serialize_entry("args", &args)?;
                        )?
                    } )*
                }
                map.end()
            }
        }

        impl<'de> Deserialize<'de> for Message {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let Wire { code, args } = Wire::deserialize(deserializer)?;
                #[allow(unused_mut, unused_variables)]
                let mut args = args;
                match code.as_str() {
                    $( stringify!($code) => Ok(Message::$code $({
                        $( $arg: from_arg::<D::Error, _>(&mut args, stringify!($arg))? ),*
                    })?), )*
                    other => Err(D::Error::custom(format!("no message has the code \"{other}\""))),
                }
            }
        }

        impl Message {
            /// The message in English.
            pub fn english(&self) -> String {
                #[allow(unused_variables)]
                match self {
                    $( Message::$code $({ $($arg),* })? => $english, )*
                }
            }

            /// The arguments by name, as a catalogue's `{name}` placeholders take them.
            pub fn args(&self) -> Vec<(&'static str, MessageArg<'_>)> {
                #[allow(unused_variables)]
                match self {
                    $( Message::$code $({ $($arg),* })? => vec![$($( (stringify!($arg), Arg::arg($arg)) ),*)?], )*
                }
            }

            /// Every code with its argument names, for the catalogues' tests.
            pub const CODES: &'static [(&'static str, &'static [&'static str])] = &[
                $( (stringify!($code), &[$($(stringify!($arg)),*)?]), )*
            ];

            /// The code, as the wire and the catalogues name it.
            pub fn code(&self) -> &'static str {
                match self {
                    $( Message::$code { .. } => stringify!($code), )*
                }
            }
        }
    };
}

messages! {
    // ---- the API and the console's own checks of typed text ----
    /// The cluster's own words, kept as it says them.
    Api { text: String } => text.clone(),
    /// The cluster refused without naming a field.
    ApiRefused { text: String } => format!("the cluster refused the change: {text}"),
    /// The cluster stopped answering before this part of a change was sent or answered.
    ApiUnreachable { text: String } => format!("the cluster stopped answering, so this was not written ({text})"),
    NotWholeNumber { text: String } => format!("\"{text}\" is not a whole number"),
    /// A number the change needs, left empty.
    WholeNumberEmpty => "enter a whole number".into(),
    /// A line of a multi-line field, and what is wrong with it.
    OnLine { line: usize, problem: Box<Message> } => format!("line {line}: {problem}"),

    // ---- names and addresses ----
    S3BucketLength { name: String, len: usize } => format!("an S3 bucket name has 3 to 63 characters; \"{name}\" has {len}"),
    S3BucketCharacters { name: String } => format!("\"{name}\": S3 bucket names use only lowercase letters, digits, '.' and '-'"),
    S3BucketEnds { name: String } => format!("\"{name}\": an S3 bucket name starts and ends with a letter or digit"),
    S3BucketPeriods { name: String } => format!("\"{name}\": an S3 bucket name has no two adjacent periods and no period next to a hyphen"),
    S3BucketIpAddress { name: String } => format!("\"{name}\": an S3 bucket name may not look like an IP address"),
    S3BucketReserved { name: String } => format!("\"{name}\": S3 reserves the prefix xn-- and the suffix -s3alias"),
    GcsBucketLength { name: String, len: usize } => format!("a GCS bucket name has 3 to 63 characters (222 with dots); \"{name}\" has {len}"),
    GcsBucketCharacters { name: String } => format!("\"{name}\": GCS bucket names use only lowercase letters, digits, '-', '_' and '.'"),
    GcsBucketEnds { name: String } => format!("\"{name}\": a GCS bucket name starts and ends with a letter or digit"),
    GcsBucketGoogle { name: String } => format!("\"{name}\": GCS bucket names may not start with \"goog\" or contain \"google\""),
    AzureContainerName { name: String } => format!("\"{name}\": an Azure container name has 3 to 63 lowercase letters, digits and single hyphens, and starts and ends with a letter or digit"),
    AzureAccountName { name: String } => format!("\"{name}\": an Azure storage account name has 3 to 24 lowercase letters and digits"),
    AwsRegion { region: String } => format!("\"{region}\" is not an AWS region such as us-east-1; for S3-compatible storage set regionEndpoint too"),
    /// `url` has its password masked.
    UrlScheme { url: String } => format!("\"{url}\" needs a scheme: https://host (or http:// for a store without TLS)"),
    UrlHost { url: String } => format!("\"{url}\" has no valid host name"),
    /// An address the change needs, left empty.
    UrlEmpty => "enter an address such as https://host".into(),
    ConfigMapName { name: String } => format!("\"{name}\" is not a valid ConfigMap name"),
    DnsName { host: String } => format!("\"{host}\" is not a lowercase DNS name"),

    // ---- durations and quantities ----
    DurationEmpty => "a duration may not be empty".into(),
    DurationInvalid { text: String } => format!("\"{text}\" is not a Go duration: use a number followed by h, m, s, ms, us or ns, as in 90m or 1h30m (days and weeks are not understood by the operator)"),
    NotQuantity { text: String } => format!("\"{text}\" is not a quantity: write a number with an optional unit, such as 100Gi, 512Mi, 500m or 2"),
    NegativeQuantity { text: String } => format!("\"{text}\" is negative"),

    // ---- labels, node selectors, tolerations, resources ----
    LabelPrefix { key: String } => format!("\"{key}\": the prefix before '/' must be a DNS subdomain such as node-role.kubernetes.io"),
    /// A label key's name part, and what is wrong with it.
    LabelKey { key: String, problem: Box<Message> } => format!("\"{key}\": {problem}"),
    LabelValue { value: String, problem: Box<Message> } => format!("value \"{value}\": {problem}"),
    LabelNameEmpty => "the name is empty".into(),
    LabelNameLength => "at most 63 characters".into(),
    LabelNameEnds => "must start and end with a letter or digit".into(),
    LabelNameCharacters => "only letters, digits, '-', '_' and '.' are allowed".into(),
    NotKeyValue { line: String } => format!("\"{line}\" is not key=value (for example node-role.kubernetes.io/infra=)"),
    KeyTwice { key: String } => format!("\"{key}\" is given twice"),
    TolerationSeconds { time: String } => format!("\"{time}\" is not a number of seconds (for example 300s)"),
    TolerationTimeForAll => "a time applies only to a NoExecute toleration".into(),
    TaintEffect { effect: String } => format!("\"{effect}\" is not a taint effect: use NoSchedule, PreferNoSchedule or NoExecute"),
    TolerationTimeNotNoExecute => "a time (\"for 300s\") applies only to a NoExecute toleration".into(),
    RequestAboveLimit { resource: String, request: String, limit: String } => format!("the {resource} request {request} is above its limit {limit}: raise the limit or lower the request"),

    // ---- operator settings ----
    ForceState => "Force is not acted on by the image registry operator: choose Managed, Unmanaged or Removed".into(),
    NegativeReplicas { replicas: i32 } => format!("replicas cannot be negative ({replicas})"),
    ZeroReplicas => "0 replicas: the operator runs no registry pod, so nothing can push or pull until this is 1 or more".into(),
    RouteNameReserved => "default-route is reserved for the route defaultRoute creates: choose another name".into(),
    RouteName { name: String } => format!("\"{name}\" is not a valid route name (lowercase letters, digits, '-' and '.')"),
    RouteNameTwice { name: String } => format!("route name \"{name}\" is used twice"),
    NegativeLimit { name: String } => format!("{name} cannot be negative; the operator refuses to deploy with it"),
    WaitIgnored => "ignored while maxRunning and maxInQueue are both 0".into(),
    /// The proxy URL's password is masked on the page.
    ProxyPasswordMasked => "the proxy's password is not shown here: type the whole URL again, with its password".into(),

    // ---- storage ----
    EmptyDirLosesImages => "emptyDir is for non-production clusters only: every image is lost when the registry pod restarts".into(),
    EmptyDirReplicas { replicas: i32 } => format!("emptyDir storage cannot be shared between pods: set replicas to 1 (now {replicas})"),
    GcsBucketGenerated => "with no bucket the operator generates one, which only works on GCP clusters".into(),
    S3BucketGenerated => "with no bucket the operator generates one, which only works on AWS clusters".into(),
    AzureRequired { field: String } => format!("{field} is required when you supply the account key"),
    OperatorClaimReadWriteMany => "the operator will create image-registry-storage as ReadWriteMany 100Gi; your default storage class must support ReadWriteMany".into(),
    ClaimName { name: String } => format!("\"{name}\" is not a valid claim name (lowercase letters, digits, '-' and '.')"),
    ClaimMissing { claim: String } => format!("claim \"{claim}\" does not exist in openshift-image-registry: create it first, or leave the claim empty to let the operator create one"),
    ClaimAccessMode { claim: String } => format!("claim \"{claim}\" must be ReadWriteMany (or ReadWriteOnce for a single replica)"),
    ClaimReadWriteOnceReplicas { claim: String } => format!("claim \"{claim}\" is ReadWriteOnce: only one replica can mount it; set replicas to 1 or use a ReadWriteMany claim"),
    ClaimReadWriteOnceRolling { claim: String } => format!("claim \"{claim}\" is ReadWriteOnce: a rolling update would start the new pod while the old one holds the volume; use Recreate"),
    ClaimSmall { claim: String } => format!("claim \"{claim}\" is smaller than the 100Gi the guide requires for the registry"),
    ChooseClaim => "choose the claim to use, or let the operator create image-registry-storage".into(),
    EndpointNeedsRegion => "an S3-compatible endpoint needs a region too (often us-east-1)".into(),
    RegionFromCluster => "with no region the operator uses the cluster's AWS region, which a non-AWS cluster does not have".into(),
    ChunkSize { size: i32 } => format!("the chunk size is 5 to 5120 MiB, not {size}"),
    KmsKeyWithoutEncrypt => "a KMS key is used only when encrypt is on".into(),
    CloudFrontKeypair => "CloudFront needs the key pair ID".into(),
    CloudFrontPrivateKey => "name the secret in openshift-image-registry and the key that holds the CloudFront private key".into(),
    SwiftAuthPath { url: String } => format!("\"{url}\": the path must start with /v1, /v2 or /v3, or be empty"),
    SwiftAuthUrl => "with your own Swift credentials the operator needs the Keystone authURL".into(),
    SwiftAuthVersion { version: String } => format!("\"{version}\" is not a number: use 3 (or 2)"),
    /// `keys` joined with ", " (no English in an argument: every language shows it).
    CredentialsIncomplete { keys: String } => format!("the secret image-registry-private-configuration-user needs {keys}: it replaces the cluster's credentials as a whole, so enter the missing ones"),
    CredentialsNoFallback { provider: String, keys: String } => format!("this cluster has no installer-cloud-credentials for {provider} to fall back on: enter {keys} for the secret image-registry-private-configuration-user"),
    KeyFileJson { error: String } => format!("the key file is not valid JSON ({error}): download the JSON key of the service account"),
    KeyFileType => "the key file is not a service account key (its \"type\" is not \"service_account\")".into(),
    KeyFileField { field: String } => format!("the key file has no \"{field}\""),
    KeyNotRead { key: String, provider: String } => format!("{key} is not a key the operator reads for {provider}"),
    KeyNotReadAtAll { key: String } => format!("{key} is not a key the operator reads"),
    CredentialsUnreadable => "you may not read the secret image-registry-private-configuration-user, so the console cannot write its keys from what you saw: ask for get on secrets in openshift-image-registry, or use oc".into(),
    CredentialsChanged => "the secret image-registry-private-configuration-user changed since this page loaded: review the change again and apply".into(),
    NoStorage => "the registry is Managed but has no storage, so the operator reports StorageNotConfigured and runs no registry".into(),
    SeveralStorageTypes { count: usize } => format!("{count} storage types are set; the operator needs exactly one and applies none"),

    // ---- claims the console creates ----
    NameTheClaim => "name the claim to create".into(),
    ClaimExists { name: String } => format!("a claim \"{name}\" exists already: choose it as an existing claim, or pick another name"),
    SizeZero => "the size must be above zero".into(),
    SizeBelowGuide => "the guide requires at least 100Gi for the registry's storage".into(),
    /// `classes` joined with ", ".
    NoSuchStorageClass { class: String, classes: String } => format!("storage class \"{class}\" does not exist; choose one of: {classes}"),
    ClaimNotStorage { name: String } => format!("a claim to create must be the storage's claim (spec.storage.pvc.claim: {name})"),

    // ---- the image pruner ----
    NegativeKeepTagRevisions => "keepTagRevisions cannot be negative".into(),
    NegativeHistoryLimit { name: String } => format!("{name} cannot be negative"),
    CronTimeZone { schedule: String } => format!("\"{schedule}\": a time zone in the schedule is refused; the schedule is read in the cluster's time zone (UTC)"),
    CronEvery { schedule: String, problem: Box<Message> } => format!("\"{schedule}\": {problem}"),
    CronMacro { schedule: String } => format!("\"{schedule}\" is not a schedule macro: use @hourly, @daily, @weekly, @monthly, @yearly or @every 2h"),
    CronFieldCount { schedule: String, count: usize } => format!("\"{schedule}\" has {count} fields; a schedule has five: minute hour day-of-month month day-of-week, as in \"0 0 * * *\""),
    /// `name` is the field's name ("day of month").
    CronField { name: String, field: String, problem: Box<Message> } => format!("{name} \"{field}\": {problem}"),
    CronStep { step: String } => format!("step \"{step}\" must be a positive number"),
    CronRange { min: u32, max: u32 } => format!("values run from {min} to {max}"),
    CronValue { range: String } => format!("\"{range}\" is not a number, range or *"),

    // ---- trusted CAs ----
    RegistryHost { text: String } => format!("\"{text}\" is not a registry host: a DNS name or IP address, then :port if it is not 443, as in registry.example.com:5000"),
    PemEmpty => "no certificate: paste one or more PEM blocks (-----BEGIN CERTIFICATE-----)".into(),
    PemPrivateKey => "this is a private key, not a certificate: it was neither sent nor stored; paste the CA's certificate only, and keep the key secret".into(),
    PemNotCertificate { label: String } => format!("a PEM block of type {label} is not a certificate"),
    PemUnreadable { index: usize } => format!("certificate {index} does not read as X.509"),
    PemGarbage => "this is not PEM: a certificate starts with -----BEGIN CERTIFICATE-----".into(),
    CertExpired { subject: String, date: String } => format!("{subject} expired on {date}: clients will not trust it"),
    CertExpiring { subject: String, days: u32 } => format!("{subject} expires in {days} days"),
    CertNotYetValid { subject: String, date: String } => format!("{subject} is not valid before {date}"),
    CertNotCa { subject: String } => format!("{subject} is not a CA certificate (no CA flag): it can trust only itself"),
    CaRegistryTaken { registry: String } => format!("a CA for {registry} is trusted already: replace that entry instead"),
    CaRegistryGone { registry: String } => format!("{registry} is no longer in the ConfigMap: someone removed it meanwhile"),

    // ---- routes with their own certificate ----
    TlsCertMissing => "paste or upload the route's certificate (PEM)".into(),
    TlsKeyMissing => "paste or upload the certificate's private key (PEM)".into(),
    TlsKeyNotKey => "this is not a private key: it starts with -----BEGIN PRIVATE KEY----- (or EC/RSA PRIVATE KEY)".into(),
    TlsKeyUnreadable => "the private key could not be read: convert it to PKCS#8 with openssl pkcs8 -topk8 -nocrypt -in tls.key".into(),
    TlsKeyMismatch => "the private key does not belong to this certificate: the router could not serve it".into(),
    TlsHostNotCovered { host: String, names: String } => format!("the certificate does not cover {host}: it names {names}"),
    TlsCertExpired { date: String } => format!("the certificate expired on {date}"),
    TlsCertNotYetValid { date: String } => format!("the certificate is not valid before {date}"),
    TlsSecretMissing { name: String } => format!("secret {name} does not exist in openshift-image-registry"),
    TlsSecretNotTls { name: String } => format!("secret {name} is not of type kubernetes.io/tls"),
    TlsSecretExists { name: String } => format!("a secret {name} exists already: choose it, or pick another name"),
    SecretName { name: String } => format!("\"{name}\" is not a valid secret name (lowercase letters, digits, '-' and '.')"),

    // ---- registry sources ----
    RegistryScope { text: String } => format!("\"{text}\" is not a registry scope: hostname[:port][/path] or *.domain, without a tag or digest"),
    AllowedAndBlocked => "only one of allowedRegistries and blockedRegistries may be set".into(),
    AllowListBlocksCluster { registries: String } => format!("an allow list blocks everything else, including {registries}, where the cluster's own images come from: add them, or updates and operators will fail to pull"),

    // ---- access ----
    GrantRole { role: String } => format!("\"{role}\" is not one of the registry's roles: registry-viewer, registry-editor or system:image-builder"),
    ProjectName { name: String } => format!("\"{name}\" is not a project name (lowercase letters, digits and '-', at most 63)"),
    SubjectEmpty => "name the user, group or service account".into(),
    SubjectName { name: String } => format!("\"{name}\" is not a user or group name: no spaces or '/'"),
    ServiceAccountName { name: String } => format!("\"{name}\" is not a service account name (lowercase letters, digits, '-' and '.')"),
    GrantExists { subject: String, role: String } => format!("{subject} has {role} in this project already"),
}

/// One argument of a message: text, or a message nested in it (rendered in the same
/// language).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MessageArg<'a> {
    Text(String),
    Message(&'a Message),
}

/// How each argument type becomes a [`MessageArg`].
trait Arg {
    fn arg(&self) -> MessageArg<'_>;
}

impl Arg for String {
    fn arg(&self) -> MessageArg<'_> {
        MessageArg::Text(self.clone())
    }
}

impl Arg for Box<Message> {
    fn arg(&self) -> MessageArg<'_> {
        MessageArg::Message(self)
    }
}

macro_rules! number_args {
    ($($ty:ty),*) => {
        $(impl Arg for $ty {
            fn arg(&self) -> MessageArg<'_> {
                MessageArg::Text(self.to_string())
            }
        })*
    };
}
number_args!(usize, i32, u32);

impl std::fmt::Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.english())
    }
}

/// A message as it travels.
#[derive(Deserialize)]
struct Wire {
    code: String,
    #[serde(default)]
    args: Map<String, Value>,
}

fn to_arg<S: Serializer, T: Serialize>(value: &T) -> Result<Value, S::Error> {
    serde_json::to_value(value).map_err(S::Error::custom)
}

fn from_arg<E: serde::de::Error, T: DeserializeOwned>(
    args: &mut Map<String, Value>,
    name: &str,
) -> Result<T, E> {
    let value = args.remove(name).unwrap_or(Value::Null);
    serde_json::from_value(value).map_err(|error| E::custom(format!("argument {name}: {error}")))
}

impl From<DurationError> for Message {
    fn from(error: DurationError) -> Self {
        match error {
            DurationError::Empty => Message::DurationEmpty,
            DurationError::Invalid(text) => Message::DurationInvalid { text },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_travels_as_its_code_and_arguments_and_reads_the_same_after() {
        let message = Message::S3BucketLength {
            name: "ab".into(),
            len: 2,
        };
        let wire = serde_json::to_value(&message).unwrap();
        assert_eq!(
            wire,
            serde_json::json!({"code": "S3BucketLength", "args": {"name": "ab", "len": 2}})
        );
        let back: Message = serde_json::from_value(wire).unwrap();
        assert_eq!(back, message);
        assert_eq!(
            back.to_string(),
            "an S3 bucket name has 3 to 63 characters; \"ab\" has 2"
        );
        assert_eq!(back.code(), "S3BucketLength");
        let unit = serde_json::to_value(Message::NoStorage).unwrap();
        assert_eq!(unit, serde_json::json!({"code": "NoStorage"}));
        assert_eq!(
            serde_json::from_value::<Message>(unit).unwrap(),
            Message::NoStorage
        );
        let nested = Message::OnLine {
            line: 2,
            problem: Box::new(Message::LabelNameEmpty),
        };
        let wire = serde_json::to_value(&nested).unwrap();
        assert_eq!(
            wire,
            serde_json::json!({"code": "OnLine", "args": {"line": 2, "problem": {"code": "LabelNameEmpty"}}})
        );
        assert_eq!(serde_json::from_value::<Message>(wire).unwrap(), nested);
    }

    #[test]
    fn a_message_that_cannot_be_read_says_why() {
        let unknown = serde_json::from_value::<Message>(serde_json::json!({"code": "Nope"}));
        assert!(
            unknown
                .unwrap_err()
                .to_string()
                .contains("no message has the code \"Nope\"")
        );
        let missing = serde_json::from_value::<Message>(
            serde_json::json!({"code": "S3BucketLength", "args": {"name": "ab"}}),
        );
        assert!(
            missing.unwrap_err().to_string().contains("argument len"),
            "names the argument"
        );
    }

    #[test]
    fn nested_messages_read_as_one_sentence() {
        let message = Message::OnLine {
            line: 3,
            problem: Box::new(Message::LabelKey {
                key: "Bad_Prefix/x".into(),
                problem: Box::new(Message::LabelNameEnds),
            }),
        };
        assert_eq!(
            message.to_string(),
            "line 3: \"Bad_Prefix/x\": must start and end with a letter or digit"
        );
        assert_eq!(
            Message::from(DurationError::Invalid("2w".into())).code(),
            "DurationInvalid"
        );
    }
}
