#!/usr/bin/env python3
"""Writes demo-cluster/src/protobuf/messages.rs: for every protobuf message that a kind the
demo cluster serves can contain, the k8s-pb struct's fields and the JSON name each has in
k8s-openapi. The demo reads kubectl's protobuf bodies with k8s-pb's generated types and
turns them into JSON with this table; the compiler checks that every field is listed.

Run after changing the kinds below or the k8s-pb / k8s-openapi versions:
    python3 tools/gen-protobuf-messages.py > demo-cluster/src/protobuf/messages.rs
"""
import glob
import os
import re
import sys

REGISTRY = glob.glob(os.path.expanduser("~/.cargo/registry/src/*/"))
PB = next(d for r in REGISTRY for d in sorted(glob.glob(r + "k8s-pb-0.9.*"))) + "/src"
OPENAPI = next(d for r in REGISTRY for d in sorted(glob.glob(r + "k8s-openapi-0.29.*"))) + "/src/v1_37"

# The kinds kubectl may send as protobuf to the demo cluster: every built-in kind it serves.
ROOTS = [
    "api::core::v1::Namespace", "api::core::v1::Node", "api::core::v1::Pod",
    "api::core::v1::Service", "api::core::v1::ConfigMap", "api::core::v1::Secret",
    "api::core::v1::ServiceAccount", "api::core::v1::PersistentVolumeClaim",
    "api::core::v1::PersistentVolume", "api::core::v1::Event",
    "api::apps::v1::Deployment", "api::apps::v1::DaemonSet",
    "api::batch::v1::Job", "api::batch::v1::CronJob",
    "api::storage::v1::StorageClass",
    "api::rbac::v1::Role", "api::rbac::v1::RoleBinding",
    "api::rbac::v1::ClusterRole", "api::rbac::v1::ClusterRoleBinding",
    "api::authorization::v1::SelfSubjectAccessReview",
    "api::authorization::v1::SubjectAccessReview",
    "api::authorization::v1::SelfSubjectRulesReview",
    "api::authentication::v1::SelfSubjectReview",
    "apimachinery::pkg::apis::meta::v1::DeleteOptions",
]
# Converted by hand in protobuf.rs: their JSON form is not their fields.
SPECIAL = {
    "apimachinery::pkg::apis::meta::v1::Time", "apimachinery::pkg::apis::meta::v1::MicroTime",
    "apimachinery::pkg::apis::meta::v1::Duration", "apimachinery::pkg::apis::meta::v1::FieldsV1",
    "apimachinery::pkg::util::intstr::IntOrString", "apimachinery::pkg::api::resource::Quantity",
    "apimachinery::pkg::runtime::RawExtension",
    "api::authentication::v1::ExtraValue", "api::authorization::v1::ExtraValue",
}

STRUCT = re.compile(r"pub struct (\w+) \{(.*?)\n\}", re.S)
FIELD = re.compile(r"#\[prost\(([^\]]*)\)\]\s*pub (r#)?(\w+):\s*([^;]*?),(?:\n|$)")


def modules():
    for path in glob.glob(PB + "/**/mod.rs", recursive=True):
        module = os.path.relpath(os.path.dirname(path), PB).replace("/", "::")
        yield module, open(path).read()


def resolve(module, ty):
    """The full path of a message type named in `module`."""
    parts = module.split("::")
    names = ty.split("::")
    while names and names[0] == "super":
        parts.pop()
        names.pop(0)
    return "::".join(parts + names)


def message_type(module, rust):
    m = re.search(r"(?:Option<|Vec<|BTreeMap<[^,]*,)\s*((?:super::)*[\w:]+?)\s*(?:>|,|$)", rust)
    if not m or m.group(1).startswith("::"):
        return None
    return resolve(module, m.group(1))


structs = {}
for module, text in modules():
    for name, body in STRUCT.findall(text):
        fields = []
        for attrs, raw, field, rust in FIELD.findall(body):
            kind = attrs.split(",")[0]
            nested = message_type(module, rust) if "message" in attrs else None
            fields.append(((raw or "") + field, field, nested))
        structs[f"{module}::{name}"] = fields


def norm(field):
    """Rust field names as both crates spell them (`non_resource_ur_ls`, `non_resource_urls`)."""
    return field.replace("_", "").lower()


def openapi_names(path):
    """JSON names of the k8s-openapi type at the same path, by its Rust field name."""
    module, name = path.rsplit("::", 1)
    directory = os.path.join(OPENAPI, *module.split("::"))
    if not os.path.isdir(directory):
        sys.exit(f"no k8s-openapi module for {path}")
    key = name.lower()
    for file in os.listdir(directory):
        text = open(os.path.join(directory, file)).read()
        m = re.search(r"pub struct (\w+) \{", text)
        if m and m.group(1).lower() == key:
            return {norm(f): j for j, f in re.findall(r'"(\w+)" => Field::Key_(\w+),', text)}
    # A Go struct that exists only to be embedded (EphemeralContainerCommon): the JSON names
    # are those of the type that embeds it.
    for parent in order:
        if parent != path and any(n == path for _, _, n in structs[parent]):
            return openapi_names(parent)
    sys.exit(f"no k8s-openapi type for {path}")


seen, order, todo = set(), [], list(ROOTS)
while todo:
    path = todo.pop()
    if path in seen or path in SPECIAL:
        continue
    if path not in structs:
        sys.exit(f"no k8s-pb message {path}")
    seen.add(path)
    order.append(path)
    todo.extend(n for _, _, n in structs[path] if n)

print("// Written by tools/gen-protobuf-messages.py from k8s-pb 0.9 and k8s-openapi 0.29 (v1_37);")
print("// do not edit by hand. Each line: a k8s-pb message, its fields and their JSON names.")
print()
print("messages! {")
for path in sorted(order):
    names = openapi_names(path)
    parts = []
    for ident, field, nested in structs[path]:
        json = names.get(norm(field))
        if json is not None:
            parts.append(f'{ident}: "{json}"')
        elif nested and all(norm(f) in names for _, f, _ in structs[nested]):
            # A Go struct embedded in another: its fields are the outer object's in JSON.
            parts.append(f"{ident}: inline")
        else:
            # A field of a newer Kubernetes than the demo serves: dropped, as kube-apiserver
            # drops protobuf fields its own types do not have.
            print(f"{path}.{field}: not in k8s-openapi, dropped", file=sys.stderr)
            parts.append(f"{ident}: dropped")
    print(f"    {path} {{ {', '.join(parts)} }}")
print("}")
