//! The embedded demo cluster, for `serve --demo` and `demo-cluster`.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};

use anyhow::Context;
use app::session::Token;
use demo_cluster::{DemoCluster, DemoUser, Options};

use app::console::DemoAccount;

/// Starts the demo cluster in `data_dir`, with its simulated operator.
pub async fn start(
    data_dir: &Path,
    listen: SocketAddr,
    registry_listen: Option<SocketAddr>,
    traffic: bool,
    reset: bool,
) -> anyhow::Result<DemoCluster> {
    DemoCluster::start(Options {
        data_dir: data_dir.to_path_buf(),
        listen,
        reset,
        run_operator: true,
        registry_listen,
        traffic: traffic.then(demo_cluster::registry::traffic::Limits::default),
    })
    .await
    .context("the demo cluster did not start")
}

/// A free port on loopback, chosen by the system.
pub fn any_loopback_port() -> SocketAddr {
    SocketAddr::from((Ipv4Addr::LOCALHOST, 0))
}

/// The demo users, as the sign-in page offers them.
pub fn accounts(cluster: &DemoCluster) -> Vec<DemoAccount> {
    DemoUser::ALL
        .iter()
        .map(|&user| DemoAccount {
            name: user.name().to_owned(),
            token: Token::new(cluster.token(user)),
        })
        .collect()
}

/// What people need to use the demo cluster from a terminal.
pub fn describe(cluster: &DemoCluster) -> String {
    let mut text = format!(
        "Demo cluster:  {}\nKubeconfig:    {}\n               (kubectl --kubeconfig {} get configs.imageregistry.operator.openshift.io cluster)\n",
        cluster.url(),
        cluster.kubeconfig_path().display(),
        cluster.kubeconfig_path().display(),
    );
    for user in DemoUser::ALL {
        text.push_str(&format!(
            "Token {:<7} {}\n",
            format!("{}:", user.name()),
            cluster.token(user)
        ));
    }
    text.push_str(&format!(
        "Registry:      {} (its routes; once the registry is Managed: podman login --tls-verify=false -u admin -p TOKEN {})\n",
        cluster.registry_url(),
        cluster.registry_addr(),
    ));
    text
}

/// `$XDG_STATE_HOME/registry-console`, else `~/.local/state/registry-console`.
pub fn default_data_dir() -> anyhow::Result<PathBuf> {
    if let Some(state) = std::env::var_os("XDG_STATE_HOME").filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(state).join("registry-console"));
    }
    let home = std::env::var_os("HOME")
        .filter(|v| !v.is_empty())
        .context("neither $XDG_STATE_HOME nor $HOME is set; pass --data-dir")?;
    Ok(PathBuf::from(home).join(".local/state/registry-console"))
}
