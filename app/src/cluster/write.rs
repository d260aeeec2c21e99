//! What every write shares (`design.md`, Write), for any kind of object: a merge patch
//! sent with the shown resourceVersion as precondition, a create (whose name must be
//! free), a delete that holds only while the object is at the version known, each also as
//! a dry run; the API's refusals turned into findings on the fields it names; and the
//! fields that changed meanwhile when the precondition no longer holds.

use crate::changes::view::Verb;
use crate::edit::outcome::FieldChange;
use kube::Api;
use kube::api::{DeleteParams, Patch, PatchParams, PostParams, Preconditions};
use kube::core::Status;
use registry_model::validation::{Finding, Message};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use registry_model::change::{DiffLine, merge_patch, yaml_diff};

use super::precondition::ShownVersion;

/// What a write came to.
pub enum Sent<K> {
    Done(Box<K>),
    /// The API refused the object (400 or 422), with its causes per field.
    Refused(Vec<Finding>),
    /// 409: the object is no longer at the precondition's resourceVersion (or, for a
    /// create, the name is taken).
    Conflict,
}

impl<K> Sent<K> {
    /// The same answer with what was written turned into `f`'s result.
    pub fn map<U>(self, f: impl FnOnce(K) -> U) -> Sent<U> {
        match self {
            Sent::Done(object) => Sent::Done(Box::new(f(*object))),
            Sent::Refused(findings) => Sent::Refused(findings),
            Sent::Conflict => Sent::Conflict,
        }
    }

    /// The API's answer to a write: the object, or a refusal or conflict; other errors
    /// stay errors.
    fn from_result(result: Result<K, kube::Error>) -> Result<Self, kube::Error> {
        match result {
            Ok(object) => Ok(Sent::Done(Box::new(object))),
            Err(kube::Error::Api(status)) if status.code == 409 => Ok(Sent::Conflict),
            Err(kube::Error::Api(status)) if matches!(status.code, 400 | 422) => {
                Ok(Sent::Refused(api_findings(&status)))
            }
            Err(error) => Err(error),
        }
    }
}

/// How a merge patch is sent. A real write always has the version the user saw.
#[derive(Clone, Copy, Debug)]
pub enum Attempt<'a> {
    /// A dry run without precondition: the review's question of what the API would refuse
    /// (a stale page is caught when applying, with what changed).
    Preview,
    /// A dry run at the version the user saw.
    DryRun(&'a ShownVersion),
    /// The write itself, at the version the user saw.
    Write(&'a ShownVersion),
}

/// Merge-patches the object `name` with `patch`, as `attempt` says.
pub async fn send<K>(
    api: &Api<K>,
    name: &str,
    patch: &Value,
    attempt: Attempt<'_>,
) -> Result<Sent<K>, kube::Error>
where
    K: kube::Resource<DynamicType = ()> + Clone + DeserializeOwned + std::fmt::Debug,
{
    let (body, params) = request(patch, attempt);
    let sent = Sent::from_result(api.patch(name, &params, &Patch::Merge(&body)).await);
    if !matches!(attempt, Attempt::Preview) {
        audit(
            api,
            Verb::Patch,
            name,
            &leaf_paths(patch, ""),
            params.dry_run,
            &sent,
        );
    }
    sent
}

/// One structured line per write the console makes (target `audit`): the object, the
/// fields a patch sets (their paths, never their values), dry run or real, and what came
/// of it; the request's span adds who and the request id. `crate::changes::record` also
/// turns each real write that was done into an Event on the object.
fn audit<K, T>(
    api: &Api<K>,
    verb: Verb,
    name: &str,
    fields: &[String],
    dry_run: bool,
    sent: &Result<Sent<T>, kube::Error>,
) where
    K: kube::Resource<DynamicType = ()>,
{
    let outcome = match sent {
        Ok(Sent::Done(_)) => "done".to_owned(),
        Ok(Sent::Refused(_)) => "refused".to_owned(),
        Ok(Sent::Conflict) => "conflict".to_owned(),
        Err(kube::Error::Api(status)) => format!("error {}", status.code),
        Err(_) => "error".to_owned(),
    };
    tracing::info!(
        target: "audit",
        verb = verb.as_str(),
        api_version = %K::api_version(&()),
        kind = %K::kind(&()),
        namespace = api.namespace().unwrap_or_default(),
        name,
        fields = %fields.join(FIELD_SEPARATOR),
        dry_run,
        outcome,
        "write"
    );
}

/// Between the field paths of an audit line: no path the console writes holds it.
pub const FIELD_SEPARATOR: &str = ", ";

/// Creates `object` (or, `dry_run`, asks whether the API would). A create holds no
/// version: a name that is taken is a conflict.
pub async fn create<K>(api: &Api<K>, object: &K, dry_run: bool) -> Result<Sent<K>, kube::Error>
where
    K: kube::Resource<DynamicType = ()> + Clone + Serialize + DeserializeOwned + std::fmt::Debug,
{
    let params = PostParams {
        dry_run,
        ..PostParams::default()
    };
    let sent = Sent::from_result(api.create(&params, object).await);
    let name = object.meta().name.clone().unwrap_or_default();
    audit(api, Verb::Create, &name, &[], dry_run, &sent);
    sent
}

/// Deletes `name` only while it is at `version` (the one the user saw, or the one this
/// change wrote): a 409 means someone changed it since, and it stays.
pub async fn delete<K>(
    api: &Api<K>,
    name: &str,
    version: &ShownVersion,
    dry_run: bool,
) -> Result<Sent<()>, kube::Error>
where
    K: kube::Resource<DynamicType = ()> + Clone + DeserializeOwned + std::fmt::Debug,
{
    let params = DeleteParams {
        dry_run,
        preconditions: Some(Preconditions {
            resource_version: Some(version.as_str().to_owned()),
            uid: None,
        }),
        ..DeleteParams::default()
    };
    let sent = Sent::from_result(api.delete(name, &params).await.map(|_| ()));
    audit(api, Verb::Delete, name, &[], dry_run, &sent);
    sent
}

/// The body and parameters `attempt` sends `patch` with: the shown version as the
/// precondition of a dry run or a write, none for a preview.
fn request(patch: &Value, attempt: Attempt<'_>) -> (Value, PatchParams) {
    let mut body = patch.clone();
    let params = match attempt {
        Attempt::Preview => PatchParams::default().dry_run(),
        Attempt::DryRun(version) => {
            body["metadata"] = json!({ "resourceVersion": version.as_str() });
            PatchParams::default().dry_run()
        }
        Attempt::Write(version) => {
            body["metadata"] = json!({ "resourceVersion": version.as_str() });
            PatchParams::default()
        }
    };
    (body, params)
}

/// The API's refusal as findings on the fields it names.
pub fn api_findings(status: &Status) -> Vec<Finding> {
    let causes = status
        .details
        .as_ref()
        .map(|d| d.causes.as_slice())
        .unwrap_or_default();
    if causes.is_empty() {
        return vec![Finding::error(
            "spec",
            Message::ApiRefused {
                text: status.message.clone(),
            },
        )];
    }
    causes
        .iter()
        .map(|cause| {
            let field = if cause.field.is_empty() {
                "spec"
            } else {
                cause.field.as_str()
            };
            Finding::error(
                field,
                Message::Api {
                    text: cause.message.clone(),
                },
            )
        })
        .collect()
}

/// `{"spec": ...}` merge patch of only what differs between the shown and desired view.
pub fn spec_patch<S: Serialize>(shown: &S, desired: &S) -> Option<Value> {
    merge_patch(&json!({ "spec": shown }), &json!({ "spec": desired }))
}

/// The review's YAML diff of the spec, when the patch changes anything.
pub fn spec_diff<S: Serialize>(shown: &S, desired: &S, patch: Option<&Value>) -> Vec<DiffLine> {
    match patch {
        Some(_) => yaml_diff(&json!({ "spec": shown }), &json!({ "spec": desired })),
        None => Vec::new(),
    }
}

/// The fields that differ between two views of a spec, with both values.
pub fn changes<S: Serialize>(shown: &S, now: &S) -> Vec<FieldChange> {
    let (before, after) = (json!({ "spec": shown }), json!({ "spec": now }));
    let Some(diff) = merge_patch(&before, &after) else {
        return Vec::new();
    };
    leaf_paths(&diff, "")
        .into_iter()
        .map(|field| FieldChange {
            shown: value_at(&before, &field).map(Value::to_string),
            now: value_at(&after, &field).map(Value::to_string),
            field,
        })
        .collect()
}

/// The changed fields' paths, for log lines.
pub fn fields(changes: &[FieldChange]) -> Vec<&str> {
    changes.iter().map(|c| c.field.as_str()).collect()
}

/// Dotted paths of a merge patch's leaves (values, nulls and empty objects).
pub fn leaf_paths(patch: &Value, prefix: &str) -> Vec<String> {
    match patch {
        Value::Object(map) if !map.is_empty() => map
            .iter()
            .flat_map(|(k, v)| {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                leaf_paths(v, &path)
            })
            .collect(),
        _ => vec![prefix.to_owned()],
    }
}

fn value_at<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.')
        .try_fold(value, |v, k| v.get(k))
        .filter(|v| !v.is_null())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_their_dry_runs_carry_the_shown_version_and_previews_none() {
        let patch = json!({"spec": {"managementState": "Managed"}});
        let shown = ShownVersion::new("42").unwrap();
        let precondition = json!({
            "metadata": {"resourceVersion": "42"},
            "spec": {"managementState": "Managed"}
        });
        let (body, params) = request(&patch, Attempt::Write(&shown));
        assert_eq!(body, precondition);
        assert!(!params.dry_run);
        let (body, params) = request(&patch, Attempt::DryRun(&shown));
        assert_eq!(body, precondition);
        assert!(params.dry_run);
        let (body, params) = request(&patch, Attempt::Preview);
        assert_eq!(body, patch);
        assert!(params.dry_run);
    }

    #[test]
    fn leaf_paths_name_every_changed_value() {
        let patch = json!({"spec": {"a": 1, "b": {"c": null}, "storage": {"emptyDir": {}}}});
        let mut paths = leaf_paths(&patch, "");
        paths.sort();
        assert_eq!(paths, ["spec.a", "spec.b.c", "spec.storage.emptyDir"]);
    }

    #[test]
    fn changes_carry_both_values() {
        let shown = json!({"keepTagRevisions": 3, "schedule": "0 0 * * *"});
        let now = json!({"keepTagRevisions": 7, "schedule": "0 0 * * *", "suspend": true});
        let mut found = changes(&shown, &now);
        found.sort_by(|a, b| a.field.cmp(&b.field));
        assert_eq!(
            found,
            [
                FieldChange {
                    field: "spec.keepTagRevisions".into(),
                    shown: Some("3".into()),
                    now: Some("7".into()),
                },
                FieldChange {
                    field: "spec.suspend".into(),
                    shown: None,
                    now: Some("true".into()),
                },
            ]
        );
        assert!(changes(&shown, &shown).is_empty());
    }

    #[test]
    fn the_apis_causes_land_on_their_fields() {
        // As kube-apiserver answers an invalid object.
        let mut status: Status = serde_json::from_value(json!({
            "status": "Failure",
            "message": "Config.imageregistry.operator.openshift.io \"cluster\" is invalid",
            "reason": "Invalid",
            "code": 422,
            "details": {"causes": [{
                "reason": "FieldValueInvalid",
                "message": "Invalid value: 3: must be >= 5",
                "field": "spec.storage.s3.chunkSizeMiB"
            }]}
        }))
        .unwrap();
        assert_eq!(
            api_findings(&status),
            [Finding::error(
                "spec.storage.s3.chunkSizeMiB",
                Message::Api {
                    text: "Invalid value: 3: must be >= 5".into()
                }
            )]
        );
        status.details = None;
        let whole = api_findings(&status);
        assert_eq!(whole[0].field, "spec");
        assert!(whole[0].message.to_string().contains("is invalid"));
    }

    #[tokio::test]
    async fn every_write_is_one_audit_line_naming_who_what_and_how_it_ended_but_no_value() {
        use k8s_openapi::api::core::v1::ConfigMap;
        use tracing::Instrument;
        let (subscriber, logs) = crate::testing::CapturedLogs::subscriber(tracing::Level::INFO);
        let _guard = tracing::subscriber::set_default(subscriber);
        let demo = crate::cluster::test_cluster::TestCluster::start().await;
        let admin = demo.client(demo_cluster::DemoUser::Admin).await;
        let maps = Api::<ConfigMap>::namespaced(admin, "default");
        let request = async {
            tracing::Span::current().record("user", "admin");
            let made = ConfigMap {
                metadata: kube::api::ObjectMeta {
                    name: Some("audited".into()),
                    ..Default::default()
                },
                ..Default::default()
            };
            let Ok(Sent::Done(made)) = create(&maps, &made, false).await else {
                panic!("created");
            };
            let version = ShownVersion::of(&made.metadata).unwrap();
            let patch = json!({"data": {"password": "sentinel-value-7731"}});
            send(&maps, "audited", &patch, Attempt::DryRun(&version))
                .await
                .unwrap();
            send(&maps, "audited", &patch, Attempt::Write(&version))
                .await
                .unwrap();
            // The version is stale now: a conflict, and its line says so.
            delete(&maps, "audited", &version, false).await.unwrap();
        };
        request
            .instrument(tracing::info_span!(
                "request",
                request_id = "r-1",
                user = tracing::field::Empty
            ))
            .await;
        let text = logs.text();
        let audit: Vec<Value> = text
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .filter(|l| l["target"] == "audit")
            .collect();
        let said: Vec<(String, String, bool)> = audit
            .iter()
            .map(|l| {
                let f = &l["fields"];
                (
                    f["verb"].as_str().unwrap().to_owned(),
                    f["outcome"].as_str().unwrap().to_owned(),
                    f["dry_run"].as_bool().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            said,
            [
                ("create".to_owned(), "done".to_owned(), false),
                ("patch".to_owned(), "done".to_owned(), true),
                ("patch".to_owned(), "done".to_owned(), false),
                ("delete".to_owned(), "conflict".to_owned(), false),
            ]
        );
        for line in &audit {
            assert_eq!(line["span"]["user"], "admin", "{line}");
            assert_eq!(line["span"]["request_id"], "r-1", "{line}");
            assert_eq!(line["fields"]["kind"], "ConfigMap", "{line}");
            assert_eq!(line["fields"]["name"], "audited", "{line}");
        }
        assert!(
            audit[1]["fields"]["fields"]
                .as_str()
                .unwrap()
                .contains("data.password")
        );
        assert!(
            !text.contains("sentinel-value-7731"),
            "a value reached the log: {text}"
        );
    }
}
