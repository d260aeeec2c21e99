//! The message catalogue at build time: reads `locales/<tag>/<namespace>.toml`, checks that every locale
//! has exactly the keys and placeholders of the English one, and writes the Rust that pages
//! call (`tr::<namespace>::<key>(args)`) and the tables the server serves from.
//!
//! Shared by `build.rs` and the app's tests (which feed it broken catalogues), hence plain
//! functions over strings and no `cargo:` output here.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The locales, English first: it is the reference the others are checked against, and
/// what a missing context falls back to.
pub const LOCALES: [&str; 2] = ["en", "zh-CN"];

/// The namespace whose keys are the shared rules' message codes (`registry_model`'s
/// `Message`): looked up by code at run time, so it gets no functions of its own.
pub const FINDINGS: &str = "findings";

/// One locale: namespace -> key -> template.
pub type Catalogue = BTreeMap<String, BTreeMap<String, String>>;

/// Reads one locale: `dir/<tag>/<namespace>.toml`, each file a namespace of keys. Also
/// returns the files read, for `cargo:rerun-if-changed`.
pub fn read(dir: &Path, tag: &str) -> Result<(Catalogue, Vec<PathBuf>), String> {
    let locale_dir = dir.join(tag);
    let entries = std::fs::read_dir(&locale_dir)
        .map_err(|error| format!("cannot read {}: {error}", locale_dir.display()))?;
    let mut catalogue = Catalogue::new();
    let mut files = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|error| format!("cannot read {}: {error}", locale_dir.display()))?
            .path();
        let Some(ns) = path
            .file_name()
            .and_then(|name| name.to_str())
            .and_then(|name| name.strip_suffix(".toml"))
        else {
            continue;
        };
        let text = std::fs::read_to_string(&path)
            .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
        catalogue.insert(ns.to_string(), parse(tag, ns, &text)?);
        files.push(path);
    }
    Ok((catalogue, files))
}

/// Parses one namespace's file of one locale: `key = "template"` lines.
pub fn parse(tag: &str, ns: &str, text: &str) -> Result<BTreeMap<String, String>, String> {
    let file = format!("locales/{tag}/{ns}.toml");
    let table: toml::Table = text
        .parse()
        .map_err(|error| format!("{file} is not valid TOML: {error}"))?;
    let mut keys = BTreeMap::new();
    for (key, value) in table {
        let toml::Value::String(template) = value else {
            return Err(format!(
                "{file}: {key} must be a string (a [section] is not allowed: a namespace is a file)"
            ));
        };
        keys.insert(key, template);
    }
    Ok(keys)
}

/// The placeholders of a template, `{name}`, in order of first appearance; an error for a
/// brace that opens no placeholder or a placeholder that is not an identifier.
pub fn placeholders(template: &str) -> Result<Vec<String>, String> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find(['{', '}']) {
        if rest[open..].starts_with('}') {
            return Err("has a '}' that closes nothing".into());
        }
        let after = &rest[open + 1..];
        let close = after
            .find('}')
            .ok_or_else(|| "has a '{' that is never closed".to_string())?;
        let name = &after[..close];
        let identifier = name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !identifier {
            return Err(format!(
                "has \"{{{name}}}\": a placeholder is a lowercase name such as {{count}}"
            ));
        }
        if !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
        rest = &after[close + 1..];
    }
    Ok(names)
}

/// Every problem of the locales against the English one, one line each.
pub fn check(locales: &[(&str, Catalogue)]) -> Vec<String> {
    let mut problems = Vec::new();
    let Some((_, english)) = locales.first() else {
        return vec!["no locales".into()];
    };
    for (tag, catalogue) in locales {
        for (ns, keys) in catalogue {
            if !is_name(ns) {
                problems.push(format!("{tag}: namespace \"{ns}\" is not a lowercase_name"));
            }
            for (key, template) in keys {
                let valid = if ns == FINDINGS {
                    is_code(key)
                } else {
                    is_name(key)
                };
                if !valid {
                    problems.push(format!(
                        "{tag}: {ns}.{key} is not a valid key ({})",
                        if ns == FINDINGS {
                            "a message code, such as NoStorage"
                        } else {
                            "a lowercase_name"
                        }
                    ));
                }
                if template.trim().is_empty() {
                    problems.push(format!("{tag}: {ns}.{key} is empty"));
                }
                if let Err(problem) = placeholders(template) {
                    problems.push(format!("{tag}: {ns}.{key} {problem}"));
                }
            }
        }
    }
    for (tag, catalogue) in &locales[1..] {
        for (ns, keys) in english {
            for (key, template) in keys {
                match catalogue.get(ns).and_then(|theirs| theirs.get(key)) {
                    None => problems.push(format!("{tag}: {ns}.{key} is missing")),
                    Some(theirs) => {
                        let ours = set(placeholders(template));
                        let their = set(placeholders(theirs));
                        if ours != their {
                            problems.push(format!(
                                "{tag}: {ns}.{key} has the placeholders {their:?}, English has {ours:?}"
                            ));
                        }
                    }
                }
            }
        }
        for (ns, keys) in catalogue {
            for key in keys.keys() {
                if english.get(ns).is_none_or(|ours| !ours.contains_key(key)) {
                    problems.push(format!(
                        "{tag}: {ns}.{key} is not in the English catalogue (a typo, or a key that was removed)"
                    ));
                }
            }
        }
    }
    problems
}

fn set(names: Result<Vec<String>, String>) -> BTreeSet<String> {
    names.unwrap_or_default().into_iter().collect()
}

fn is_name(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn is_code(code: &str) -> bool {
    code.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && code.chars().all(|c| c.is_ascii_alphanumeric())
}

fn pascal(name: &str) -> String {
    name.split('_')
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// The Rust the app includes: `Ns`, the `tr` functions and the tables. Takes checked
/// locales, English first.
pub fn generate(locales: &[(&str, Catalogue)]) -> String {
    let english = &locales[0].1;
    let namespaces: Vec<&String> = english.keys().collect();
    let mut out = String::new();
    out.push_str(
        "// Generated by app/build/catalogue.rs from app/locales/<tag>/*.toml: edit those.\n\n",
    );

    out.push_str("/// A part of the catalogue, loaded with the pages that use it.\n");
    out.push_str("#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]\npub enum Ns {\n");
    for ns in &namespaces {
        let _ = writeln!(out, "    {},", pascal(ns));
    }
    out.push_str("}\n\nimpl Ns {\n");
    let _ = writeln!(
        out,
        "    /// Every namespace, in table order.\n    pub const ALL: [Ns; {}] = [{}];",
        namespaces.len(),
        namespaces
            .iter()
            .map(|ns| format!("Ns::{}", pascal(ns)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    out.push_str("\n    /// The name the catalogue files and the wire use.\n    pub const fn name(self) -> &'static str {\n        match self {\n");
    for ns in &namespaces {
        let _ = writeln!(out, "            Ns::{} => \"{ns}\",", pascal(ns));
    }
    out.push_str("        }\n    }\n\n    /// The namespace of a name, if there is one.\n    pub fn from_name(name: &str) -> Option<Ns> {\n        Ns::ALL.into_iter().find(|ns| ns.name() == name)\n    }\n\n    /// Its position in the tables.\n    pub const fn index(self) -> usize {\n        self as usize\n    }\n}\n\n");

    let findings: Vec<&String> = english
        .get(FINDINGS)
        .map(|keys| keys.keys().collect())
        .unwrap_or_default();
    out.push_str("/// The message codes the findings namespace holds, sorted (its table order).\n");
    let _ = writeln!(
        out,
        "pub const FINDING_CODES: [&str; {}] = [{}];\n",
        findings.len(),
        findings
            .iter()
            .map(|code| format!("{code:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    );

    out.push_str(
        "/// Every key of every namespace, in table order (the server's and the tests' view).\n",
    );
    out.push_str("#[cfg(not(feature = \"hydrate\"))]\n");
    let _ = writeln!(out, "pub const KEYS: [&[&str]; {}] = [", namespaces.len());
    for ns in &namespaces {
        let keys: Vec<String> = english[*ns].keys().map(|k| format!("{k:?}")).collect();
        let _ = writeln!(out, "    &[{}],", keys.join(", "));
    }
    out.push_str("];\n\n");

    out.push_str("/// The templates of every locale (`Locale::ALL` order) and namespace, on the server: it\n/// renders pages in any locale and sends the browser the namespaces a page needs.\n");
    out.push_str("#[cfg(not(feature = \"hydrate\"))]\n");
    let _ = writeln!(
        out,
        "pub static TABLES: [[&[&str]; {}]; {}] = [",
        namespaces.len(),
        locales.len()
    );
    for (_, catalogue) in locales {
        out.push_str("    [\n");
        for ns in &namespaces {
            let templates: Vec<String> = english[*ns]
                .keys()
                .map(|key| format!("{:?}", catalogue[*ns][key]))
                .collect();
            let _ = writeln!(out, "        &[{}],", templates.join(", "));
        }
        out.push_str("    ],\n");
    }
    out.push_str("];\n\n");

    out.push_str(&functions(english, "tr"));
    out.push_str(&functions(english, "said"));
    out
}

/// `tr` (text now, in the reader's language) or `said` (a [`Phrase`] to render where it is
/// read): one function per key, named after it, taking its placeholders. Unused functions
/// are allowed (a key is often only shown one way); a test finds keys used neither way.
fn functions(english: &Catalogue, module: &str) -> String {
    let mut out = String::new();
    let said = module == "said";
    out.push_str(if said {
        "/// The console's words as phrases: chosen here, rendered in the reader's language where\n/// they are read (the server's logs: English).\n"
    } else {
        "/// The console's words in the reader's language, now.\n"
    });
    let _ = writeln!(out, "#[allow(dead_code)]\npub(crate) mod {module} {{");
    for ns in english.keys() {
        if ns == FINDINGS {
            continue;
        }
        let _ = writeln!(
            out,
            "    pub(crate) mod {ns} {{\n        use super::super::Ns;"
        );
        for (index, (key, template)) in english[ns].iter().enumerate() {
            let names = placeholders(template).unwrap_or_default();
            let _ = writeln!(out, "\n        /// {:?}", template);
            let arg_type = if said {
                "impl Into<crate::i18n::PhraseArg>"
            } else {
                "impl std::fmt::Display"
            };
            let params: Vec<String> = names.iter().map(|n| format!("{n}: {arg_type}")).collect();
            let body = if said {
                let args: Vec<String> = names
                    .iter()
                    .map(|n| format!("(\"{n}\", {n}.into())"))
                    .collect();
                format!(
                    "crate::i18n::Phrase::new(Ns::{}, {index}, vec![{}])",
                    pascal(ns),
                    args.join(", ")
                )
            } else if names.is_empty() {
                format!("crate::i18n::text(Ns::{}, {index})", pascal(ns))
            } else {
                let args: Vec<String> = names
                    .iter()
                    .map(|n| format!("(\"{n}\", &{n} as &dyn std::fmt::Display)"))
                    .collect();
                format!(
                    "crate::i18n::format(Ns::{}, {index}, &[{}])",
                    pascal(ns),
                    args.join(", ")
                )
            };
            let output = if said {
                "crate::i18n::Phrase"
            } else {
                "String"
            };
            let _ = writeln!(
                out,
                "        #[inline]\n        pub(crate) fn {key}({}) -> {output} {{\n            {body}\n        }}",
                params.join(", ")
            );
        }
        out.push_str("    }\n");
    }
    out.push_str("}\n");
    out
}
