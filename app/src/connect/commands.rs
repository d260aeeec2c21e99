//! The commands the connect page shows: pure functions of the registry's hosts and what
//! the user typed, so they are tested without a browser. The token is never in them:
//! `$(oc whoami -t)` prints it on the user's own terminal.

use registry_model::validation::names::{is_dns1123_label, is_image_name};

/// What stands in for a project or image not typed yet (or not valid).
pub const PROJECT_PLACEHOLDER: &str = "<project>";
pub const IMAGE_PLACEHOLDER: &str = "<image>";

/// The four steps of a push and a pull against one registry host.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Commands {
    pub login: String,
    pub tag: String,
    pub push: String,
    pub pull: String,
}

/// The project as typed, when it is one (a namespace name), else the placeholder.
pub fn project_or_placeholder(project: &str) -> &str {
    let project = project.trim();
    if is_dns1123_label(project) {
        project
    } else {
        PROJECT_PLACEHOLDER
    }
}

/// The image as typed, when it is one (`name[:tag]`), else the placeholder.
pub fn image_or_placeholder(image: &str) -> &str {
    let image = image.trim();
    if is_image_name(image) {
        image
    } else {
        IMAGE_PLACEHOLDER
    }
}

/// The commands for `host` (`HOST[:PORT]`). `skip_tls_verify`: the host's certificate is
/// one a workstation does not trust by default (the ingress's own), so podman is told, as
/// the guide does, not to verify it.
pub fn commands(host: &str, project: &str, image: &str, skip_tls_verify: bool) -> Commands {
    let project = project_or_placeholder(project);
    let image = image_or_placeholder(image);
    let flag = if skip_tls_verify {
        " --tls-verify=false"
    } else {
        ""
    };
    let target = format!("{host}/{project}/{image}");
    Commands {
        login: format!("podman login -u $(oc whoami) -p $(oc whoami -t){flag} {host}"),
        tag: format!("podman tag {image} {target}"),
        push: format!("podman push{flag} {target}"),
        pull: format!("podman pull{flag} {target}"),
    }
}

/// How a workstation comes to trust a route that uses the ingress's default certificate:
/// the ingress operator's CA, put where podman looks for `host`'s CAs.
pub fn trust_commands(host: &str) -> [String; 3] {
    [
        "oc extract secret/router-ca -n openshift-ingress-operator --keys=tls.crt --to=- > ingress-ca.crt"
            .to_owned(),
        format!("sudo mkdir -p /etc/containers/certs.d/{host}"),
        format!("sudo cp ingress-ca.crt /etc/containers/certs.d/{host}/ca.crt"),
    ]
}

/// From a node (guide 5.2): a debug shell on it, its own tools, then the commands.
pub fn node_shell() -> [String; 3] {
    [
        "oc get nodes".to_owned(),
        "oc debug nodes/<node>".to_owned(),
        "chroot /host".to_owned(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_carry_the_host_project_and_image_but_never_a_token() {
        let c = commands(
            "default-route-openshift-image-registry.apps.demo",
            "team-a",
            "myapp:1.0",
            true,
        );
        assert_eq!(
            c.login,
            "podman login -u $(oc whoami) -p $(oc whoami -t) --tls-verify=false default-route-openshift-image-registry.apps.demo"
        );
        assert_eq!(
            c.tag,
            "podman tag myapp:1.0 default-route-openshift-image-registry.apps.demo/team-a/myapp:1.0"
        );
        assert!(
            c.push
                .starts_with("podman push --tls-verify=false default-route")
        );
        assert!(c.pull.ends_with("/team-a/myapp:1.0"));
        // A trusted certificate: no flag anywhere.
        let trusted = commands("registry.example.com", "team-a", "myapp", false);
        for command in [&trusted.login, &trusted.tag, &trusted.push, &trusted.pull] {
            assert!(!command.contains("tls-verify"), "{command}");
        }
    }

    #[test]
    fn what_is_not_a_project_or_an_image_stays_a_placeholder() {
        let c = commands("h:5000", "Team A", "My App", false);
        assert_eq!(c.tag, "podman tag <image> h:5000/<project>/<image>");
        let c = commands("h:5000", "", "", false);
        assert_eq!(c.push, "podman push h:5000/<project>/<image>");
        // Nothing typed can break out of the command line.
        let c = commands("h", "a; rm -rf /", "$(reboot)", false);
        assert!(
            !c.tag.contains(';') && !c.tag.contains("$(reboot)"),
            "{}",
            c.tag
        );
    }

    #[test]
    fn trust_goes_where_podman_looks_for_the_hosts_ca() {
        let steps = trust_commands("default-route.apps.demo");
        assert!(steps[0].contains("secret/router-ca -n openshift-ingress-operator"));
        assert_eq!(
            steps[2],
            "sudo cp ingress-ca.crt /etc/containers/certs.d/default-route.apps.demo/ca.crt"
        );
    }
}
