//! k8s-pb messages as the JSON Kubernetes writes for them. `messages.rs` lists every
//! message's fields with their JSON names (generated, and checked complete by the
//! compiler: each impl destructures its struct); the few types whose JSON is not their
//! fields are written out here.

use base64::Engine;
use chrono::DateTime;
use k8s_pb::apimachinery::pkg::{
    api::resource::Quantity,
    apis::meta::v1::{Duration, FieldsV1, MicroTime, Time},
    runtime::RawExtension,
    util::intstr::IntOrString,
};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// A value in its JSON form; `None` for what JSON leaves out (an unset optional field, an
/// empty list or map: protobuf cannot tell empty from unset, and kube-apiserver decodes
/// both as unset).
pub trait ToJson {
    fn to_json(&self) -> Option<Value>;
}

impl ToJson for String {
    fn to_json(&self) -> Option<Value> {
        Some(json!(self))
    }
}

macro_rules! scalars {
    ($($t:ty),*) => { $(impl ToJson for $t {
        fn to_json(&self) -> Option<Value> {
            Some(json!(self))
        }
    })* };
}
scalars!(bool, i32, i64, f64);

impl<T: ToJson> ToJson for Option<T> {
    fn to_json(&self) -> Option<Value> {
        self.as_ref().and_then(ToJson::to_json)
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self) -> Option<Value> {
        let items: Vec<Value> = self
            .iter()
            .map(|v| v.to_json().unwrap_or(Value::Null))
            .collect();
        (!items.is_empty()).then_some(Value::Array(items))
    }
}

/// `bytes` fields: base64, as Kubernetes writes `[]byte` in JSON.
impl ToJson for Vec<u8> {
    fn to_json(&self) -> Option<Value> {
        Some(json!(
            base64::engine::general_purpose::STANDARD.encode(self)
        ))
    }
}

impl<T: ToJson> ToJson for BTreeMap<String, T> {
    fn to_json(&self) -> Option<Value> {
        let map: Map<String, Value> = self
            .iter()
            .map(|(k, v)| (k.clone(), v.to_json().unwrap_or(Value::Null)))
            .collect();
        (!map.is_empty()).then_some(Value::Object(map))
    }
}

impl ToJson for Time {
    fn to_json(&self) -> Option<Value> {
        let t = DateTime::from_timestamp(self.seconds.unwrap_or(0), 0)?;
        Some(json!(t.format("%Y-%m-%dT%H:%M:%SZ").to_string()))
    }
}

impl ToJson for MicroTime {
    fn to_json(&self) -> Option<Value> {
        let nanos = u32::try_from(self.nanos.unwrap_or(0)).ok()?;
        let t = DateTime::from_timestamp(self.seconds.unwrap_or(0), nanos)?;
        Some(json!(t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()))
    }
}

/// Go's `time.Duration` in JSON: its `String()`, such as `1h0m0s` or `1.5s`.
impl ToJson for Duration {
    fn to_json(&self) -> Option<Value> {
        let ns = self.duration.unwrap_or(0);
        let (sign, ns) = (if ns < 0 { "-" } else { "" }, ns.unsigned_abs());
        let (h, m) = (ns / 3_600_000_000_000, ns / 60_000_000_000 % 60);
        let s = (ns % 60_000_000_000) as f64 / 1e9;
        Some(json!(match (h, m) {
            (0, 0) => format!("{sign}{s}s"),
            (0, m) => format!("{sign}{m}m{s}s"),
            (h, m) => format!("{sign}{h}h{m}m{s}s"),
        }))
    }
}

impl ToJson for Quantity {
    fn to_json(&self) -> Option<Value> {
        self.string.to_json()
    }
}

/// An int or a string: `type` 0 is the int.
impl ToJson for IntOrString {
    fn to_json(&self) -> Option<Value> {
        match self.r#type {
            Some(1) => self.str_val.to_json(),
            _ => Some(json!(self.int_val.unwrap_or(0))),
        }
    }
}

/// Embedded JSON (an object in a `RawExtension`, managed fields): the bytes are JSON.
fn embedded(raw: &Option<Vec<u8>>) -> Option<Value> {
    serde_json::from_slice(raw.as_deref()?).ok()
}

impl ToJson for RawExtension {
    fn to_json(&self) -> Option<Value> {
        embedded(&self.raw)
    }
}

impl ToJson for FieldsV1 {
    fn to_json(&self) -> Option<Value> {
        embedded(&self.raw)
    }
}

macro_rules! extra_values {
    ($($t:ty),*) => { $(impl ToJson for $t {
        fn to_json(&self) -> Option<Value> {
            self.items.to_json()
        }
    })* };
}
extra_values!(
    k8s_pb::api::authentication::v1::ExtraValue,
    k8s_pb::api::authorization::v1::ExtraValue
);

/// One `ToJson` impl per message: each field under its JSON name, an embedded struct's
/// fields inline, a field of a newer Kubernetes than the demo's left out.
macro_rules! messages {
    ($($($seg:ident)::+ { $($field:ident : $json:tt),* $(,)? })*) => { $(
        impl ToJson for k8s_pb::$($seg)::+ {
            #[allow(unused_variables, unused_mut)]
            fn to_json(&self) -> Option<Value> {
                let k8s_pb::$($seg)::+ { $($field),* } = self;
                let mut out = Map::new();
                $( messages!(@field out, $field, $json); )*
                Some(Value::Object(out))
            }
        }
    )* };
    (@field $out:ident, $field:ident, inline) => {
        if let Some(Value::Object(inner)) = $field.to_json() {
            $out.extend(inner);
        }
    };
    (@field $out:ident, $field:ident, dropped) => {};
    (@field $out:ident, $field:ident, $json:literal) => {
        if let Some(v) = $field.to_json() {
            $out.insert($json.to_string(), v);
        }
    };
}

include!("messages.rs");
