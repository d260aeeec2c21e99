//! `routes.route.openshift.io` (`registry-api.md` §8).

use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use kube::CustomResource;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::string_enum;

const HOST_PATTERN: &str = r"^([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9\-]{0,61}[a-zA-Z0-9])(\.([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9\-]{0,61}[a-zA-Z0-9]))*$";

string_enum! {
    /// Where TLS ends.
    pub enum Termination (enumeration) {
        Edge = "edge",
        Reencrypt = "reencrypt",
        Passthrough = "passthrough",
    }
}

/// A route to a service; the registry operator creates `default-route` and `spec.routes`.
#[derive(CustomResource, Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[kube(
    group = "route.openshift.io",
    version = "v1",
    kind = "Route",
    plural = "routes",
    namespaced,
    status = "RouteStatus",
    derive = "PartialEq"
)]
#[serde(rename_all = "camelCase")]
#[schemars(extend("allOf" = [
    // A passthrough route may not have a path.
    { "anyOf": [
        { "properties": { "path": { "maxLength": 0 } } },
        { "not": { "required": ["tls"] } },
        { "not": { "properties": { "tls": { "properties": { "termination": { "enum": ["passthrough"] } } } } } }
    ] },
    // A Subdomain wildcard policy needs a host.
    { "anyOf": [
        { "not": { "properties": { "host": { "maxLength": 0 } } } },
        { "not": { "properties": { "wildcardPolicy": { "enum": ["Subdomain"] } } } }
    ] }
]))]
// The real CRD's CEL rule (see the TLS rules below).
#[schemars(extend("x-kubernetes-validations" = [{
    "rule": "!has(self.tls) || self.tls.termination != 'passthrough' || !has(self.httpHeaders)",
    "message": "header actions are not permitted when tls termination is passthrough."
}]))]
pub struct RouteSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 253), regex(pattern = HOST_PATTERN))]
    pub host: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 253), regex(pattern = HOST_PATTERN))]
    pub subdomain: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = "^/"))]
    pub path: Option<String>,
    pub to: RouteTargetReference,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<RoutePort>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls: Option<TlsConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("enum" = ["None", "Subdomain", ""], "default" = "None"))]
    pub wildcard_policy: Option<String>,
}

/// The service a route sends traffic to.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RouteTargetReference {
    #[schemars(extend("enum" = ["Service", ""], "default" = "Service"))]
    pub kind: String,
    #[schemars(length(min = 1))]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 256), extend("default" = 100, "format" = "int32"))]
    pub weight: Option<i32>,
}

/// The target port of a route.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RoutePort {
    pub target_port: IntOrString,
}

/// TLS settings of a route. Certificates are public data; the key is a secret and
/// the console never shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(extend("x-kubernetes-validations" = [
    {
        "rule": "has(self.termination) && has(self.insecureEdgeTerminationPolicy) ? !((self.termination=='passthrough') && (self.insecureEdgeTerminationPolicy=='Allow')) : true",
        "message": "cannot have both spec.tls.termination: passthrough and spec.tls.insecureEdgeTerminationPolicy: Allow"
    },
    {
        "rule": "!(has(self.certificate) && has(self.externalCertificate))",
        "message": "cannot have both spec.tls.certificate and spec.tls.externalCertificate"
    }
]))]
pub struct TlsConfig {
    pub termination: Termination,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_certificate: Option<String>,
    #[serde(
        default,
        rename = "destinationCACertificate",
        skip_serializing_if = "Option::is_none"
    )]
    pub destination_ca_certificate: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("enum" = ["Allow", "None", "Redirect", ""]))]
    pub insecure_edge_termination_policy: Option<String>,
}

/// Where the route was admitted.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RouteStatus {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ingress: Vec<RouteIngress>,
}

/// One router's view of a route.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RouteIngress {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub router_name: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<RouteIngressCondition>,
}

/// Whether a router admitted the route.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RouteIngressCondition {
    #[serde(rename = "type")]
    pub type_: String,
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date-time"))]
    pub last_transition_time: Option<String>,
}
