//! Where the built site (WASM, JS glue, CSS, public files) is, and Leptos's options for it.
//!
//! The binary must run from any directory without a build tool's environment, so it does
//! not read `Cargo.toml` metadata or `LEPTOS_*` variables: the output name is compiled in
//! and the site is found beside the binary.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use leptos::config::LeptosOptions;

/// The `name` in `[[workspace.metadata.leptos]]`: the files are `pkg/ID/NAME.js`,
/// `pkg/ID/NAME_bg.wasm` (the name Leptos loads from a server built without cargo-leptos's
/// environment) and `pkg/ID/NAME.css`, where `ID` is the hash of their contents that
/// `tools/build-site.sh` names their directory with.
pub const OUTPUT_NAME: &str = "registry-console";

/// Finds the site: the given directory, else `site/` beside the binary, else one level up
/// (`tools/build-site.sh` puts it in `target/debug/site/`; cargo-leptos in `target/site/`).
pub fn locate(explicit: Option<&Path>) -> anyhow::Result<PathBuf> {
    if let Some(dir) = explicit {
        check(dir).with_context(|| format!("--site-dir {}", dir.display()))?;
        return Ok(dir.to_path_buf());
    }
    let exe = std::env::current_exe().context("cannot tell where the binary is")?;
    let exe_dir = exe.parent().context("the binary has no directory")?;
    let candidates = [exe_dir.join("site"), exe_dir.join("../site")];
    for candidate in &candidates {
        if check(candidate).is_ok() {
            return Ok(candidate
                .canonicalize()
                .unwrap_or_else(|_| candidate.clone()));
        }
    }
    bail!(
        "the console's site files (pkg/{OUTPUT_NAME}_bg.wasm and friends) are not beside the \
         binary: looked in {}. Build with tools/build-site.sh (scripts/start.sh does), or \
         pass --site-dir",
        candidates
            .iter()
            .map(|c| c.display().to_string())
            .collect::<Vec<_>>()
            .join(" and ")
    )
}

fn check(dir: &Path) -> anyhow::Result<()> {
    let wasm = dir
        .join(pkg_dir(dir)?)
        .join(format!("{OUTPUT_NAME}_bg.wasm"));
    if !wasm.is_file() {
        bail!("{} is missing", wasm.display());
    }
    Ok(())
}

/// The site's files, relative to its root: `pkg/ID` as `tools/build-site.sh` lays them
/// out, or plain `pkg` as cargo-leptos does (for `cargo leptos watch`). The URL path is the
/// same, so a file's address changes whenever any file changes, and the server may tell
/// browsers to keep them for good.
fn pkg_dir(site_root: &Path) -> anyhow::Result<String> {
    let pkg = site_root.join("pkg");
    if pkg.join(format!("{OUTPUT_NAME}_bg.wasm")).is_file() {
        return Ok("pkg".to_owned());
    }
    let Ok(entries) = std::fs::read_dir(&pkg) else {
        return Ok("pkg".to_owned());
    };
    let mut ids = entries
        .filter_map(Result::ok)
        .filter(|entry| entry.path().is_dir())
        .filter_map(|entry| entry.file_name().into_string().ok())
        .collect::<Vec<_>>();
    match ids.len() {
        0 => Ok("pkg".to_owned()),
        1 => Ok(format!("pkg/{}", ids.remove(0))),
        _ => bail!(
            "{} holds several builds ({}); tools/build-site.sh leaves one: build again",
            pkg.display(),
            ids.join(", ")
        ),
    }
}

/// Leptos's options for a site at `site_root`.
pub fn leptos_options(site_root: &Path) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name(OUTPUT_NAME)
        .site_root(site_root.display().to_string())
        .site_pkg_dir(pkg_dir(site_root).unwrap_or_else(|_| "pkg".to_owned()))
        .build()
}

/// The public files at the site's root (`public/`, copied there by `tools/build-site.sh`):
/// each regular file's name and path. Not the build's own marks (names starting with a
/// dot) and not `pkg/`, which is served apart.
pub fn public_files(site_root: &Path) -> Vec<(String, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(site_root) else {
        return Vec::new();
    };
    let mut files = entries
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|entry| Some((entry.file_name().into_string().ok()?, entry.path())))
        .filter(|(name, _)| !name.starts_with('.'))
        .collect::<Vec<_>>();
    files.sort();
    files
}

/// The directory id of a site's files (`ID` in `pkg/ID/`), when they have one.
pub fn content_id(options: &LeptosOptions) -> Option<&str> {
    options.site_pkg_dir.strip_prefix("pkg/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_name_matches_the_cargo_leptos_metadata() {
        let manifest = include_str!("../../Cargo.toml");
        let expected = format!("name = \"{OUTPUT_NAME}\"");
        let metadata = manifest
            .split("[[workspace.metadata.leptos]]")
            .nth(1)
            .expect("the workspace has cargo-leptos metadata");
        assert!(
            metadata.lines().any(|line| line.trim() == expected),
            "Cargo.toml's leptos metadata must say {expected}"
        );
    }

    #[test]
    fn a_directory_without_the_wasm_is_refused_with_a_reason() {
        let dir = tempfile::tempdir().unwrap();
        let error = locate(Some(dir.path())).unwrap_err();
        assert!(format!("{error:#}").contains("registry-console_bg.wasm is missing"));
    }

    #[test]
    fn a_built_site_is_accepted() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("pkg/0123abcd")).unwrap();
        std::fs::write(
            dir.path().join("pkg/0123abcd/registry-console_bg.wasm"),
            b"\0asm",
        )
        .unwrap();
        assert_eq!(locate(Some(dir.path())).unwrap(), dir.path());
        let options = leptos_options(dir.path());
        assert_eq!(&*options.site_pkg_dir, "pkg/0123abcd");
        assert_eq!(content_id(&options), Some("0123abcd"));
    }

    #[test]
    fn public_files_are_the_root_files_without_the_build_marks() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("pkg/0123")).unwrap();
        std::fs::write(dir.path().join("favicon.svg"), "<svg/>").unwrap();
        std::fs::write(dir.path().join("robots.txt"), "").unwrap();
        std::fs::write(dir.path().join(".inputs"), "0123").unwrap();
        let names = public_files(dir.path())
            .into_iter()
            .map(|(name, _)| name)
            .collect::<Vec<_>>();
        assert_eq!(names, ["favicon.svg", "robots.txt"]);
        assert!(public_files(&dir.path().join("missing")).is_empty());
    }

    #[test]
    fn a_cargo_leptos_site_has_no_content_id() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("pkg")).unwrap();
        std::fs::write(dir.path().join("pkg/registry-console_bg.wasm"), b"\0asm").unwrap();
        assert_eq!(locate(Some(dir.path())).unwrap(), dir.path());
        let options = leptos_options(dir.path());
        assert_eq!(&*options.site_pkg_dir, "pkg");
        assert_eq!(content_id(&options), None);
    }

    #[test]
    fn two_builds_side_by_side_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        for id in ["aaaa", "bbbb"] {
            std::fs::create_dir_all(dir.path().join("pkg").join(id)).unwrap();
        }
        let error = locate(Some(dir.path())).unwrap_err();
        assert!(format!("{error:#}").contains("several builds"), "{error:#}");
    }
}
