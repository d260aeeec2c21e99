//! The demo's traffic: a real OCI client (`oci-client`) pushes small images to the registry
//! through its router and pulls them back, so the registry's metrics and logs move. Bounded
//! in rate (one operation per `Limits::every`) and in bytes moved (`Limits::max_bytes`,
//! then it stops and says so); turned off by the console's `--demo-traffic=false`.

use std::time::Duration;

use oci_client::client::{Certificate, CertificateEncoding, ClientConfig, Config, ImageLayer};
use oci_client::manifest::{IMAGE_CONFIG_MEDIA_TYPE, IMAGE_LAYER_MEDIA_TYPE};
use oci_client::secrets::RegistryAuth;
use oci_client::{Client, Reference};

/// How much traffic the generator makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// One push, pull or tag listing per period.
    pub every: Duration,
    /// The bytes pushed and pulled in all, after which it stops.
    pub max_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            every: Duration::from_secs(3),
            max_bytes: 256 * 1024 * 1024,
        }
    }
}

/// The project the generator pushes to, and its repositories.
const PROJECT: &str = "demo-traffic";
const REPOSITORIES: [&str; 3] = ["web", "worker", "tools"];

/// A client of the registry at `host:port` that trusts the demo CA.
pub fn client(ca_pem: &str) -> Client {
    // reqwest's rustls needs a process-wide provider; kube already uses ring.
    let _ = tokio_rustls::rustls::crypto::ring::default_provider().install_default();
    Client::new(ClientConfig {
        extra_root_certificates: vec![Certificate {
            encoding: CertificateEncoding::Pem,
            data: ca_pem.as_bytes().to_vec(),
        }],
        connect_timeout: Some(Duration::from_secs(5)),
        read_timeout: Some(Duration::from_secs(30)),
        ..Default::default()
    })
}

/// An image of one layer of `size` random bytes.
pub fn image(size: usize) -> (Vec<ImageLayer>, Config) {
    let data: Vec<u8> = (0..size).map(|_| rand::random::<u8>()).collect();
    let layer = ImageLayer::new(data, IMAGE_LAYER_MEDIA_TYPE.to_string(), None);
    let config = Config::new(
        br#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"#
            .to_vec(),
        IMAGE_CONFIG_MEDIA_TYPE.to_string(),
        None,
    );
    (vec![layer], config)
}

/// Pushes and pulls until the byte budget is spent; a registry that is not there yet
/// (not Managed, no route, pods starting) is waited for.
pub async fn run(registry: String, ca_pem: String, token: String, limits: Limits) {
    let client = client(&ca_pem);
    let auth = RegistryAuth::Basic("demo-traffic".into(), token);
    let mut moved: u64 = 0;
    let mut pushed: Vec<Reference> = Vec::new();
    let mut tick: u64 = 0;
    let mut waiting = false;
    while moved < limits.max_bytes {
        tokio::time::sleep(limits.every).await;
        tick += 1;
        let repository = REPOSITORIES[(tick % 3) as usize];
        // One push in four operations, the rest pulls and listings, as registries see.
        let outcome = if pushed.is_empty() || tick.is_multiple_of(4) {
            let reference: Reference =
                match format!("{registry}/{PROJECT}/{repository}:{tick}").parse() {
                    Ok(r) => r,
                    Err(_) => return,
                };
            let size = 8 * 1024 + (rand::random::<u32>() % (56 * 1024)) as usize;
            let (layers, config) = image(size);
            let result = client.push(&reference, &layers, config, &auth, None).await;
            if result.is_ok() {
                pushed.push(reference);
                moved += size as u64;
            }
            result.map(drop)
        } else if tick.is_multiple_of(7) {
            let reference = &pushed[(tick as usize) % pushed.len()];
            client
                .list_tags(reference, &auth, None, None)
                .await
                .map(drop)
        } else {
            let reference = &pushed[(tick as usize) % pushed.len()];
            client
                .pull(reference, &auth, vec![IMAGE_LAYER_MEDIA_TYPE])
                .await
                .map(|image| {
                    moved += image
                        .layers
                        .iter()
                        .map(|l| l.data.len() as u64)
                        .sum::<u64>()
                })
        };
        match outcome {
            Ok(()) if waiting => {
                waiting = false;
                tracing::info!(%registry, "demo traffic: the registry answers; pushing and pulling");
            }
            Ok(()) => {}
            Err(e) if !waiting => {
                waiting = true;
                tracing::info!(%registry, error = %e, "demo traffic: waiting for the registry (Managed, with a route and a ready pod)");
            }
            Err(_) => {}
        }
    }
    tracing::info!(
        bytes = moved,
        "demo traffic: stopped after moving its limit of {} MiB",
        limits.max_bytes / 1024 / 1024
    );
}
