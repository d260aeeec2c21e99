//! Generates the message catalogue's Rust from `locales/<tag>/<namespace>.toml` (see `build/catalogue.rs`);
//! a key missing from a locale, or a placeholder that differs from English, fails the build
//! with the list of what to fix.

#[path = "build/catalogue.rs"]
mod catalogue;

use std::path::Path;

fn main() {
    // Read when the script runs, not when it was compiled: a compiled script may be reused
    // for a checkout at another path (worktrees sharing a target directory).
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let dir = Path::new(&manifest_dir).join("locales");
    println!("cargo:rerun-if-changed=build/catalogue.rs");
    // A new namespace file counts too.
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut locales = Vec::new();
    for tag in catalogue::LOCALES {
        println!("cargo:rerun-if-changed={}", dir.join(tag).display());
        match catalogue::read(&dir, tag) {
            Ok((parsed, files)) => {
                for file in files {
                    println!("cargo:rerun-if-changed={}", file.display());
                }
                locales.push((tag, parsed));
            }
            Err(problem) => panic!("{problem}"),
        }
    }
    let problems = catalogue::check(&locales);
    if !problems.is_empty() {
        panic!(
            "the message catalogue has {} problem(s):\n  {}",
            problems.len(),
            problems.join("\n  ")
        );
    }
    let out =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("catalogue.rs");
    std::fs::write(&out, catalogue::generate(&locales))
        .unwrap_or_else(|error| panic!("cannot write {}: {error}", out.display()));
}
