//! A crawler with sentinel secret values: typed into the configuration form (S3 keys) and
//! stored by an admin in Secrets the console reads around, then looked for, plain and
//! base64, in every page, server function answer (error paths too), live event, response
//! header and log line (the audit trail among them) that admin and viewer can reach, and
//! in the Events the console records of its changes.

use app::changes::record::{Recorder, write_events};
use app::testing::CapturedLogs;
use base64::Engine;
use k8s_openapi::api::core::v1::{Event, Secret};
use registry_model::edit::config::ConfigEdits;
use registry_model::names::REGISTRY_NAMESPACE;
use registry_model::registry_config::{ManagementState, S3Storage};
use registry_model::validation::storage::StorageChoice;
use tracing_subscriber::layer::SubscriberExt;

use super::*;

const ACCESS_KEY: &str = "AKIASENTINEL7Q2WX";
const SECRET_KEY: &str = "sentinel-secret-Zq81vX0pL";
const STORED: &str = "sentinel-stored-Hh31Kd90";

/// Every form a sentinel could take on the wire.
fn forms(value: &str) -> Vec<String> {
    let engines = [
        base64::engine::general_purpose::STANDARD.encode(value),
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(value),
    ];
    std::iter::once(value.to_owned()).chain(engines).collect()
}

/// What the crawler saw, labelled by where.
#[derive(Default)]
struct Seen(Vec<(String, String)>);

impl Seen {
    fn add(&mut self, place: impl Into<String>, answer: &Answer) {
        let headers: String = answer
            .headers
            .iter()
            .map(|(name, value)| format!("{name}: {}\n", value.to_str().unwrap_or("")))
            .collect();
        self.0
            .push((place.into(), format!("{headers}\n{}", answer.body)));
    }

    /// How many places show `text` (the crawl's control: what is not secret shows).
    fn showing(&self, text: &str) -> usize {
        self.0
            .iter()
            .filter(|(_, seen)| seen.contains(text))
            .count()
    }

    /// Places where any form of any sentinel shows.
    fn leaks(&self) -> Vec<String> {
        let sentinels: Vec<String> = [ACCESS_KEY, SECRET_KEY, STORED]
            .iter()
            .flat_map(|s| forms(s))
            .collect();
        self.0
            .iter()
            .flat_map(|(place, text)| {
                sentinels
                    .iter()
                    .filter(|s| text.contains(s.as_str()))
                    .map(move |s| format!("{place}: {s}"))
            })
            .collect()
    }
}

/// The first events of a live topic, as `browser` receives them.
async fn live_events(h: &Harness, browser: &Browser, topic: &str) -> Answer {
    let request = Request::get(format!("/api/live?topic={topic}"))
        .header(header::COOKIE, browser.cookie_header())
        .body(Body::empty())
        .unwrap();
    let response = h.router.clone().oneshot(request).await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    let mut body = response.into_body().into_data_stream();
    let mut text = String::new();
    let _ = tokio::time::timeout(Duration::from_secs(3), async {
        while let Some(Ok(chunk)) = body.next().await {
            text.push_str(&String::from_utf8_lossy(&chunk));
            if text.matches("\n\n").count() >= 2 {
                break;
            }
        }
    })
    .await;
    Answer {
        status,
        headers,
        body: text,
    }
}

const PAGES: [&str; 11] = [
    "/",
    "/sign-in",
    "/config",
    "/pruner",
    "/connect",
    "/trust",
    "/access",
    "/routes",
    "/registry-metrics",
    "/registry-logs",
    "/no-such-page",
];

/// The server functions that read, called with no arguments (those that need some answer
/// with their error, which is crawled too).
const READS: [&str; 13] = [
    "access",
    "catalogue",
    "check_access",
    "image_pruner",
    "overview",
    "pruner_run_log",
    "pruner_status",
    "registry_config",
    "registry_logs",
    "registry_metrics",
    "routes",
    "sign_in_options",
    "trust",
];

#[tokio::test]
async fn no_sentinel_secret_shows_in_any_page_answer_event_or_log_line() {
    // Every log line at debug level, and the Events the console records of its changes, as
    // the server makes them (`logging::init`).
    let logs = CapturedLogs::default();
    let (recorder, changes) = Recorder::new();
    let subscriber = tracing_subscriber::registry()
        .with(logs.layer(tracing::Level::DEBUG))
        .with(recorder.layer());
    // This test's runtime has one thread: every task of the console and the demo cluster
    // logs through this subscriber.
    let _logs = tracing::subscriber::set_default(subscriber);
    let h = harness(false).await;
    tokio::spawn(write_events(
        h.demo().client(DemoUser::Admin).await,
        changes,
    ));
    let mut seen = Seen::default();

    // A Secret the console never shows, beside those it reads.
    let stored: Secret = serde_json::from_value(json!({
        "metadata": { "name": "sentinel-stored", "namespace": REGISTRY_NAMESPACE },
        "stringData": { "password": STORED }
    }))
    .unwrap();
    Api::<Secret>::namespaced(h.demo().client(DemoUser::Admin).await, REGISTRY_NAMESPACE)
        .create(&Default::default(), &stored)
        .await
        .unwrap();

    let mut admin = h.sign_in_as(DemoUser::Admin).await;
    let config = admin.call("/api/registry_config", &json!({})).await;
    let page: app::config::view::ConfigData = serde_json::from_str(&config.body).unwrap();
    let request = |bucket: &str, shown: app::config::view::ShownConfig| {
        json!({ "request": app::config::view::ConfigRequest {
            shown,
            edits: ConfigEdits {
                management_state: Some(ManagementState::Managed),
                storage: Some(StorageChoice::S3(S3Storage {
                    bucket: Some(bucket.into()),
                    region: Some("us-east-1".into()),
                    ..S3Storage::default()
                })),
                ..ConfigEdits::default()
            },
            credentials: vec![
                ("REGISTRY_STORAGE_S3_ACCESSKEY".into(), ACCESS_KEY.into(), None),
                ("REGISTRY_STORAGE_S3_SECRETKEY".into(), SECRET_KEY.into(), None),
            ],
        }})
    };
    // Refused input, a review, the write, and a stale write (a conflict), each with the keys.
    for (name, body) in [
        ("invalid", request("Not A Bucket!", page.shown.clone())),
        ("preview", request("registry-images", page.shown.clone())),
    ] {
        let answer = admin.call("/api/preview_config", &body).await;
        seen.add(format!("preview_config ({name})"), &answer);
    }
    let applied = admin
        .call(
            "/api/apply_config",
            &request("registry-images", page.shown.clone()),
        )
        .await;
    assert_eq!(applied.status, StatusCode::OK, "{}", applied.body);
    seen.add("apply_config", &applied);
    let stale = admin
        .call(
            "/api/apply_config",
            &request("other-bucket", page.shown.clone()),
        )
        .await;
    // Refused as changed meanwhile (the keys the page showed are not the stored ones).
    assert!(!stale.body.contains("Applied"), "{}", stale.body);
    seen.add("apply_config (stale)", &stale);
    // The keys are stored, as the admin asked.
    let written =
        Api::<Secret>::namespaced(h.demo().client(DemoUser::Admin).await, REGISTRY_NAMESPACE)
            .get(registry_model::names::CREDENTIALS_SECRET)
            .await
            .unwrap();
    assert_eq!(
        written.data.unwrap()["REGISTRY_STORAGE_S3_SECRETKEY"].0,
        SECRET_KEY.as_bytes()
    );

    let mut viewer = h.sign_in_as(DemoUser::Viewer).await;
    for (who, browser) in [("admin", &mut admin), ("viewer", &mut viewer)] {
        for page in PAGES {
            let answer = browser.open(page).await;
            seen.add(format!("{who} {page}"), &answer);
        }
        for read in READS {
            let answer = browser.call(&format!("/api/{read}"), &json!({})).await;
            seen.add(format!("{who} /api/{read}"), &answer);
        }
        for topic in ["overview", "registry-metrics"] {
            let answer = live_events(&h, browser, topic).await;
            assert_eq!(answer.status, StatusCode::OK, "{who} {topic}");
            seen.add(format!("{who} live {topic}"), &answer);
        }
    }
    // And no one signed in.
    let mut stranger = h.browser();
    for page in PAGES {
        let answer = stranger.open(page).await;
        seen.add(format!("signed out {page}"), &answer);
    }

    // The Events recorded of the changes (the Secret's and the config's), once written.
    let events = Api::<Event>::all(h.demo().client(DemoUser::Admin).await);
    let mut recorded = String::new();
    for _ in 0..100 {
        let list = events.list(&Default::default()).await.unwrap();
        recorded = serde_json::to_string(&list).unwrap();
        if recorded.matches("\"registry-console/user\"").count() >= 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        recorded.contains("spec.storage.s3.bucket"),
        "the changes were recorded: {recorded}"
    );
    seen.0.push(("events".into(), recorded));

    let logged = logs.text();
    assert!(
        logged.contains("apply_config") || logged.contains("audit"),
        "the crawl's requests were logged: {} bytes",
        logged.len()
    );
    seen.0.push(("log".into(), logged));
    assert!(seen.0.len() > 60, "crawled {} places", seen.0.len());
    // The crawl sees what the sentinels sit beside: the bucket and the keys' names.
    assert!(seen.showing("registry-images") >= 4);
    assert!(seen.showing("REGISTRY_STORAGE_S3_SECRETKEY") >= 4);
    let leaks = seen.leaks();
    assert!(leaks.is_empty(), "sentinel secrets leaked: {leaks:#?}");
}
