//! The command line. It is stable: people script against it, so flags are only added.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use app::session::revocations::SharedList;
use clap::{Args, Parser, Subcommand, ValueEnum};

/// The demo cluster's namespace for the console's own objects.
pub const DEMO_CONSOLE_NAMESPACE: &str = "registry-console";

/// Where a pod finds its namespace.
pub const POD_NAMESPACE_FILE: &str = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

/// A web console for the image registry that OpenShift runs in every cluster.
///
/// Every request to the cluster carries the signed-in user's own token, so the
/// cluster's RBAC decides what each user sees and may change.
#[derive(Debug, Parser)]
#[command(name = "registry-console", version, propagate_version = true)]
pub struct Cli {
    /// How to write logs: `text` for people, `json` for log collectors; `auto` picks
    /// text on a terminal and JSON otherwise.
    #[arg(long, global = true, env = "REGISTRY_CONSOLE_LOG_FORMAT", value_enum, default_value_t = LogFormat::Auto)]
    pub log_format: LogFormat,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the console, against a real cluster or (with --demo) the embedded demo cluster.
    Serve(Box<ServeArgs>),
    /// Run only the embedded demo cluster, for kubectl or other tools, until Ctrl-C.
    DemoCluster(DemoClusterArgs),
    /// Run the simulated image-registry operator against any cluster (CRDs must be installed).
    DemoOperator(DemoOperatorArgs),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Auto,
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Start the embedded demo cluster (a fresh-install bare-metal OpenShift 4.4 look-alike
    /// on 127.0.0.1, free port) and use it; its kubeconfig lands at DATA_DIR/kubeconfig.
    #[arg(long, env = "REGISTRY_CONSOLE_DEMO", conflicts_with_all = ["kubeconfig", "context"])]
    pub demo: bool,

    /// Where the console keeps its session key and, with --demo, the demo cluster's state.
    /// Defaults to $XDG_STATE_HOME/registry-console (~/.local/state/registry-console).
    #[arg(long, env = "REGISTRY_CONSOLE_DATA_DIR")]
    pub data_dir: Option<PathBuf>,

    /// With --demo: where the router in front of the demo registry's routes listens
    /// (HTTPS). `podman login` and `skopeo` name it as the registry. Another free port is
    /// taken, with a warning, when this one is in use.
    #[arg(
        long,
        env = "REGISTRY_CONSOLE_DEMO_REGISTRY_LISTEN",
        default_value = "127.0.0.1:5443"
    )]
    pub demo_registry_listen: SocketAddr,

    /// With --demo: push and pull small images through the registry router every few
    /// seconds (at most 256 MiB in all), so the registry's metrics and logs move.
    #[arg(long, env = "REGISTRY_CONSOLE_DEMO_TRAFFIC", default_value_t = true, action = clap::ArgAction::Set)]
    pub demo_traffic: bool,

    /// Address the console listens on.
    #[arg(
        long,
        env = "REGISTRY_CONSOLE_LISTEN",
        default_value = "127.0.0.1:8080"
    )]
    pub listen: SocketAddr,

    /// Kubeconfig for a real cluster. Without it: $KUBECONFIG, ~/.kube/config, or the
    /// pod's service account when running in a cluster.
    #[arg(long, env = "REGISTRY_CONSOLE_KUBECONFIG")]
    pub kubeconfig: Option<PathBuf>,

    /// Kubeconfig context to use (its cluster; users sign in with their own tokens).
    #[arg(long, env = "REGISTRY_CONSOLE_CONTEXT")]
    pub context: Option<String>,

    /// File holding the secret that encrypts session cookies (at least 32 bytes; a
    /// mounted Secret works). Give every replica the same file so sessions work across
    /// them. Default: DATA_DIR/session.key, created with mode 0600 if missing.
    #[arg(long, env = "REGISTRY_CONSOLE_SESSION_KEY_FILE")]
    pub session_key_file: Option<PathBuf>,

    /// How long a sign-in lasts at most, however busy, e.g. 30m, 8h, 7d (at most 30d).
    #[arg(long, env = "REGISTRY_CONSOLE_SESSION_TTL", default_value = "8h", value_parser = parse_duration)]
    pub session_ttl: Duration,

    /// How long a sign-in lasts without a request (page, action or reload; an open live
    /// page is no request), counted to the minute. For a wall display, set it to the
    /// --session-ttl.
    #[arg(long, env = "REGISTRY_CONSOLE_SESSION_IDLE", default_value = "1h", value_parser = parse_idle)]
    pub session_idle: Duration,

    /// The session key file before a rotation: cookies and pages it sealed are still
    /// accepted (and sealed again with the new key), so rotating signs nobody out. Keep it
    /// for one --session-idle after the rotation; no cookie of the old key opens after.
    #[arg(long, env = "REGISTRY_CONSOLE_SESSION_PREVIOUS_KEY_FILE")]
    pub session_previous_key_file: Option<PathBuf>,

    /// The ConfigMap (NAMESPACE/NAME) where replicas share signed-out sessions, so a
    /// sign-out ends the session on every replica; the console's own identity needs get,
    /// list, watch, create and update on it. Default: with --demo,
    /// registry-console/revoked-sessions; in a pod, revoked-sessions in the pod's namespace;
    /// otherwise none (a sign-out is refused by this process alone).
    #[arg(long, env = "REGISTRY_CONSOLE_REVOCATIONS")]
    pub revocations: Option<SharedList>,

    /// Live pages (server-sent event streams) the console serves at once, over all users.
    #[arg(long, env = "REGISTRY_CONSOLE_MAX_LIVE_STREAMS", default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_live_streams: u32,

    /// Live pages one sign-in may have open at once (a browser's tabs share one sign-in).
    #[arg(long, env = "REGISTRY_CONSOLE_MAX_LIVE_STREAMS_PER_SESSION", default_value_t = 16, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_live_streams_per_session: u32,

    /// Connections open at once; past it, new ones wait in the kernel's backlog.
    #[arg(long, env = "REGISTRY_CONSOLE_MAX_CONNECTIONS", default_value_t = 2048, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,

    /// Requests answered at once (a live stream counts until it starts); past it, a 503
    /// that says to retry.
    #[arg(long, env = "REGISTRY_CONSOLE_MAX_REQUESTS", default_value_t = 256, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_requests: u32,

    /// How long the console works on one request before it gives up with a 503, e.g. 60s.
    #[arg(long, env = "REGISTRY_CONSOLE_REQUEST_TIMEOUT", default_value = "60s", value_parser = parse_duration)]
    pub request_timeout: Duration,

    /// Sign-in attempts one client address may make per minute (in a burst of as many);
    /// each asks the API server to check a token.
    #[arg(long, env = "REGISTRY_CONSOLE_SIGN_IN_ATTEMPTS_PER_MINUTE", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub sign_in_attempts_per_minute: u32,

    /// Take a client's address from the last entry of X-Forwarded-For (for the sign-in
    /// limit and logs): set it behind the OpenShift router or another proxy that sets it,
    /// never when clients reach the console directly (they could then name any address).
    #[arg(long, env = "REGISTRY_CONSOLE_FORWARDED_FOR")]
    pub forwarded_for: bool,

    /// Scrape each registry pod's own metrics endpoint (OpenShift's
    /// `https://POD_IP:5000/extensions/v2/metrics`) with the credentials in this file: a
    /// token allowed `get registry/metrics` (guide 5.5's `prometheus-scraper` role; the
    /// console's service account token works), or `USER:SECRET` for the registry's metrics
    /// secret. The console must run in the cluster's network, as Prometheus does. Users then
    /// see the metrics when they may `get registry/metrics` themselves.
    #[arg(long, env = "REGISTRY_CONSOLE_REGISTRY_METRICS_CREDENTIALS")]
    pub registry_metrics_credentials: Option<PathBuf>,

    /// PEM file of the CA that signed the registry's serving certificate (OpenShift: the
    /// service CA, `service-ca.crt` in a pod), for --registry-metrics-credentials.
    #[arg(
        long,
        env = "REGISTRY_CONSOLE_REGISTRY_METRICS_CA",
        requires = "registry_metrics_credentials"
    )]
    pub registry_metrics_ca: Option<PathBuf>,

    /// Read the metrics page from this Prometheus HTTP API instead of scraping the
    /// registry's pods: on OpenShift the Thanos Querier
    /// (https://thanos-querier.openshift-monitoring.svc:9091, or its route), which takes each
    /// user's own token. Series are picked by `namespace="openshift-image-registry"`.
    #[arg(long, env = "REGISTRY_CONSOLE_PROMETHEUS_URL")]
    pub prometheus_url: Option<String>,

    /// PEM file of the CA that signed the --prometheus-url server's certificate (on
    /// OpenShift: the service CA), trusted besides the system's.
    #[arg(
        long,
        env = "REGISTRY_CONSOLE_PROMETHEUS_CA",
        requires = "prometheus_url"
    )]
    pub prometheus_ca: Option<PathBuf>,

    /// Seconds between that Prometheus's scrapes of the registry (OpenShift's monitoring:
    /// 30); each rate spans at least four scrapes.
    #[arg(long, env = "REGISTRY_CONSOLE_PROMETHEUS_SCRAPE_SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub prometheus_scrape_seconds: u64,

    /// Refuse every change, whatever the user's rights (wall displays, demos).
    #[arg(long, env = "REGISTRY_CONSOLE_READ_ONLY")]
    pub read_only: bool,

    /// With --demo, allow a --listen address other machines can reach. The demo's sign-in
    /// page makes anyone who opens it the cluster's admin with one click.
    #[arg(long, env = "REGISTRY_CONSOLE_DEMO_PUBLIC", requires = "demo")]
    pub demo_public: bool,

    /// Always mark session cookies Secure. Without it they are Secure when the request
    /// arrived over TLS at a proxy that says so (X-Forwarded-Proto: https).
    #[arg(long, env = "REGISTRY_CONSOLE_SECURE_COOKIES")]
    pub secure_cookies: bool,

    /// The address people open the console at, as their browser names it in `Origin`
    /// (scheme, host and port, e.g. https://registry-console.apps.example.com). Changes are
    /// accepted only from pages of this origin. Default: the address each request was
    /// sent to (its Host header), which is right unless a proxy rewrites Host.
    #[arg(long, env = "REGISTRY_CONSOLE_PUBLIC_ORIGIN")]
    pub public_origin: Option<String>,

    /// Directory with the built site (pkg/registry-console.js, _bg.wasm, .css). Default: the
    /// `site` directory beside the binary (as tools/build-site.sh lays it out) or one level up
    /// (cargo-leptos's layout).
    #[arg(long, env = "REGISTRY_CONSOLE_SITE_DIR")]
    pub site_dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DemoClusterArgs {
    /// Where the demo cluster keeps its state, tokens and kubeconfig.
    #[arg(long, env = "REGISTRY_CONSOLE_DATA_DIR")]
    pub data_dir: PathBuf,

    /// Address of the Kubernetes API; use 127.0.0.1:0 for a free port.
    #[arg(
        long,
        env = "REGISTRY_CONSOLE_DEMO_LISTEN",
        default_value = "127.0.0.1:6443"
    )]
    pub listen: SocketAddr,

    /// Where the router in front of the registry's routes listens (HTTPS).
    #[arg(
        long,
        env = "REGISTRY_CONSOLE_DEMO_REGISTRY_LISTEN",
        default_value = "127.0.0.1:5443"
    )]
    pub registry_listen: SocketAddr,

    /// Push and pull small images through the registry router every few seconds (at most
    /// 256 MiB in all), so the registry's metrics and logs move.
    #[arg(long, env = "REGISTRY_CONSOLE_DEMO_TRAFFIC", default_value_t = true, action = clap::ArgAction::Set)]
    pub traffic: bool,

    /// Throw the stored state away and seed a fresh cluster.
    #[arg(long)]
    pub reset: bool,

    /// Cut the write-ahead log before its first unreadable entry (saving the whole log as
    /// wal.jsonl.bad first), then start: the writes after that entry are lost.
    #[arg(long, conflicts_with = "reset")]
    pub repair: bool,
}

#[derive(Debug, Args)]
pub struct DemoOperatorArgs {
    /// Kubeconfig of the cluster to run the simulated operator against.
    #[arg(long, env = "REGISTRY_CONSOLE_KUBECONFIG")]
    pub kubeconfig: PathBuf,

    /// Kubeconfig context to use.
    #[arg(long, env = "REGISTRY_CONSOLE_CONTEXT")]
    pub context: Option<String>,
}

/// Parses `90s`, `30m`, `8h`, `7d`.
/// The longest a sign-in may last.
const MAX_SESSION: Duration = Duration::from_secs(30 * 86_400);

/// An idle timeout: a duration of at least a minute (a session's activity is kept to it).
fn parse_idle(text: &str) -> Result<Duration, String> {
    let idle = parse_duration(text)?;
    if idle < Duration::from_secs(60) {
        return Err(format!(
            "\"{text}\" is shorter than a minute, the precision of a session's last activity"
        ));
    }
    Ok(idle)
}

fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .ok_or_else(|| format!("\"{text}\" has no unit; write e.g. 30m, 8h or 7d"))?;
    let (number, unit) = text.split_at(split);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("\"{text}\" does not start with a number; write e.g. 8h"))?;
    let unit_seconds = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => {
            return Err(format!(
                "unknown unit \"{unit}\" in \"{text}\"; use s, m, h or d"
            ));
        }
    };
    let seconds = number.saturating_mul(unit_seconds);
    if seconds == 0 {
        return Err("a session must last longer than zero".into());
    }
    if seconds > MAX_SESSION.as_secs() {
        return Err(format!(
            "\"{text}\" is longer than a session may last (at most 30d): a cookie copied \
             off a machine must stop working"
        ));
    }
    Ok(Duration::from_secs(seconds))
}

impl ServeArgs {
    /// Where replicas share signed-out sessions: the flag, or the default for where the
    /// console runs (`pod_namespace`: the namespace file of its pod, if any).
    pub fn shared_revocations(&self, pod_namespace: Option<&str>) -> Option<SharedList> {
        let in_namespace = |namespace: &str| SharedList {
            namespace: namespace.to_owned(),
            name: "revoked-sessions".to_owned(),
        };
        if let Some(list) = &self.revocations {
            return Some(list.clone());
        }
        if self.demo {
            return Some(in_namespace(DEMO_CONSOLE_NAMESPACE));
        }
        pod_namespace
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(in_namespace)
    }

    /// The demo signs anyone in as admin with one click: refuses to serve it where other
    /// machines can reach it, unless --demo-public says that is meant.
    pub fn check_demo_exposure(&self) -> Result<(), String> {
        if self.demo && !self.demo_public && !self.listen.ip().is_loopback() {
            return Err(format!(
                "--demo makes anyone who opens the console the demo cluster's admin with one \
                 click, and --listen {} is reachable from other machines: listen on \
                 127.0.0.1 (the default), or add --demo-public if that is what you want",
                self.listen
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("registry-console").chain(args.iter().copied()))
    }

    #[test]
    fn signed_out_sessions_are_shared_where_the_console_runs_unless_the_flag_says_where() {
        let args = |extra: &[&str]| {
            let mut all = vec!["serve"];
            all.extend_from_slice(extra);
            let Command::Serve(args) = parse(&all).unwrap().command else {
                panic!("not serve")
            };
            args
        };
        let list = |args: &ServeArgs, pod| args.shared_revocations(pod).map(|l| l.to_string());
        assert_eq!(list(&args(&[]), None), None);
        assert_eq!(
            list(&args(&[]), Some("consoles\n")).as_deref(),
            Some("consoles/revoked-sessions")
        );
        assert_eq!(
            list(&args(&["--demo"]), None).as_deref(),
            Some("registry-console/revoked-sessions")
        );
        assert_eq!(
            list(&args(&["--revocations", "ops/signed-out"]), Some("x")).as_deref(),
            Some("ops/signed-out")
        );
        let error = parse(&["serve", "--revocations", "nope"])
            .unwrap_err()
            .to_string();
        assert!(error.contains("NAMESPACE/NAME"), "{error}");
    }

    #[test]
    fn idle_timeouts_are_at_least_a_minute() {
        assert!(parse(&["serve", "--session-idle", "30s"]).is_err());
        let Command::Serve(args) = parse(&["serve", "--session-idle", "15m"]).unwrap().command
        else {
            panic!("not serve")
        };
        assert_eq!(args.session_idle, Duration::from_secs(900));
        let Command::Serve(default) = parse(&["serve"]).unwrap().command else {
            panic!("not serve")
        };
        assert_eq!(default.session_idle, Duration::from_secs(3600));
    }

    #[test]
    fn the_cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn serve_demo_takes_data_dir_and_listen() {
        let cli = parse(&[
            "serve",
            "--demo",
            "--data-dir",
            "/tmp/d",
            "--listen",
            "127.0.0.1:9000",
        ])
        .unwrap();
        let Command::Serve(args) = cli.command else {
            panic!("not serve")
        };
        assert!(args.demo);
        assert_eq!(args.data_dir, Some(PathBuf::from("/tmp/d")));
        assert_eq!(args.listen.port(), 9000);
        assert_eq!(args.session_ttl, Duration::from_secs(8 * 3600));
    }

    #[test]
    fn the_demo_is_served_to_other_machines_only_when_asked() {
        let serve = |args: &[&str]| match parse(args).unwrap().command {
            Command::Serve(args) => args,
            _ => panic!("not serve"),
        };
        let open = serve(&["serve", "--demo", "--listen", "0.0.0.0:9000"]);
        let refused = open.check_demo_exposure().unwrap_err();
        assert!(
            refused.contains("--demo-public") && refused.contains("0.0.0.0:9000"),
            "{refused}"
        );
        let meant = serve(&[
            "serve",
            "--demo",
            "--demo-public",
            "--listen",
            "0.0.0.0:9000",
        ]);
        assert!(meant.check_demo_exposure().is_ok());
        assert!(serve(&["serve", "--demo"]).check_demo_exposure().is_ok());
        let real = serve(&["serve", "--listen", "0.0.0.0:9000"]);
        assert!(
            real.check_demo_exposure().is_ok(),
            "a real cluster's console may listen anywhere"
        );
        assert!(
            parse(&["serve", "--demo-public"]).is_err(),
            "--demo-public needs --demo"
        );
    }

    #[test]
    fn a_session_lasts_between_a_second_and_thirty_days() {
        assert_eq!(parse_duration("8h"), Ok(Duration::from_secs(8 * 3600)));
        assert_eq!(parse_duration("30d"), Ok(MAX_SESSION));
        for (text, why) in [
            ("31d", "at most 30d"),
            ("99999999999999999999d", "does not start with a number"),
            ("9999999999999999d", "at most 30d"),
            ("0m", "longer than zero"),
            ("8", "no unit"),
            ("8w", "unknown unit"),
        ] {
            let error = parse_duration(text).unwrap_err();
            assert!(error.contains(why), "{text}: {error}");
        }
    }

    #[test]
    fn demo_and_kubeconfig_exclude_each_other() {
        let error = parse(&["serve", "--demo", "--kubeconfig", "k"]).unwrap_err();
        assert!(error.to_string().contains("cannot be used with"), "{error}");
    }

    #[test]
    fn demo_cluster_requires_a_data_dir() {
        let error = parse(&["demo-cluster", "--listen", "127.0.0.1:0"]).unwrap_err();
        assert!(error.to_string().contains("--data-dir"), "{error}");
    }

    #[test]
    fn demo_cluster_repairs_or_resets_never_both() {
        let cli = parse(&["demo-cluster", "--data-dir", "d", "--repair"]).unwrap();
        let Command::DemoCluster(args) = cli.command else {
            panic!("not demo-cluster")
        };
        assert!(args.repair && !args.reset);
        let error = parse(&["demo-cluster", "--data-dir", "d", "--repair", "--reset"]).unwrap_err();
        assert!(error.to_string().contains("cannot be used with"), "{error}");
    }

    #[test]
    fn demo_operator_takes_kubeconfig_and_context() {
        let cli = parse(&["demo-operator", "--kubeconfig", "k", "--context", "admin"]).unwrap();
        let Command::DemoOperator(args) = cli.command else {
            panic!("not demo-operator")
        };
        assert_eq!(args.context.as_deref(), Some("admin"));
    }

    #[test]
    fn bad_listen_addresses_are_refused_with_the_flag_named() {
        let error = parse(&["serve", "--listen", "localhost"]).unwrap_err();
        assert!(error.to_string().contains("--listen"), "{error}");
    }

    #[test]
    fn session_ttls_parse_with_units() {
        assert_eq!(parse_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("30m"), Ok(Duration::from_secs(1800)));
        assert_eq!(parse_duration("7d"), Ok(Duration::from_secs(7 * 86_400)));
        assert!(parse_duration("8").unwrap_err().contains("no unit"));
        assert!(parse_duration("8w").unwrap_err().contains("unknown unit"));
        assert!(parse_duration("0h").is_err());
    }
}
