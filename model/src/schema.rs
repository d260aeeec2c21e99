//! Helpers for schemas that the derive cannot express directly.

/// Defines a string enum whose serialized values are fixed and whose JSON schema is a
/// `pattern` (as the real CRDs use for these fields) or an `enum`.
#[macro_export]
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident ($schema:ident $( = $pattern:literal)?) {
            $( $(#[$vmeta:meta])* $variant:ident = $value:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $value)] $variant ),+
        }

        impl $name {
            /// Every value, in the order the API documents them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value as the API spells it.
            pub fn as_str(self) -> &'static str {
                match self { $( $name::$variant => $value ),+ }
            }

            /// Parses the API spelling.
            pub fn parse(s: &str) -> Option<Self> {
                match s { $( $value => Some($name::$variant), )+ _ => None }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn inline_schema() -> bool {
                true
            }
            fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                $crate::string_enum!(@schema $schema [$($value),+] $($pattern)?)
            }
        }
    };
    (@schema pattern [$($value:literal),+] $pattern:literal) => {
        ::schemars::json_schema!({ "type": "string", "pattern": $pattern })
    };
    (@schema enumeration [$($value:literal),+]) => {
        ::schemars::json_schema!({ "type": "string", "enum": [$($value),+] })
    };
}
