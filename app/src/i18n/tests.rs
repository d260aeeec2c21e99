use std::collections::BTreeSet;

use registry_model::validation::Message;

use super::*;

// The build script's own checks, fed broken catalogues below. (Its generator is unused here.)
#[allow(dead_code)]
#[path = "../../build/catalogue.rs"]
mod build;

/// Runs `f` as the server renders a page in `locale`.
use super::in_locale;

/// A message of `code` with made-up arguments: each argument is tried as a number, a
/// text and a nested message until the code's types accept them.
fn sample(code: &str, args: &[&str]) -> Message {
    let candidates = [
        serde_json::json!(7),
        serde_json::json!("x-arg"),
        serde_json::json!({"code": "LabelNameEmpty"}),
    ];
    let combinations = candidates.len().pow(args.len() as u32);
    (0..combinations)
        .find_map(|mut n| {
            let mut map = serde_json::Map::new();
            for arg in args {
                map.insert(arg.to_string(), candidates[n % candidates.len()].clone());
                n /= candidates.len();
            }
            serde_json::from_value(serde_json::json!({"code": code, "args": map})).ok()
        })
        .unwrap_or_else(|| panic!("no sample arguments fit {code}"))
}

#[test]
fn every_finding_code_has_words_in_every_locale_with_its_arguments() {
    let codes: BTreeSet<&str> = Message::CODES.iter().map(|(code, _)| *code).collect();
    let catalogue: BTreeSet<&str> = FINDING_CODES.iter().copied().collect();
    assert_eq!(
        codes.difference(&catalogue).collect::<Vec<_>>(),
        Vec::<&&str>::new(),
        "codes without words in app/locales/*/findings.toml"
    );
    assert_eq!(
        catalogue.difference(&codes).collect::<Vec<_>>(),
        Vec::<&&str>::new(),
        "words for codes the rules no longer have"
    );
    for (code, args) in Message::CODES {
        let index = FINDING_CODES.binary_search(code).unwrap();
        for locale in Locale::ALL {
            let template = TABLES[locale.index()][Ns::Findings.index()][index];
            let placeholders: BTreeSet<String> =
                build::placeholders(template).unwrap().into_iter().collect();
            let expected: BTreeSet<String> = args.iter().map(|a| a.to_string()).collect();
            assert_eq!(
                placeholders,
                expected,
                "{} {code}: {template}",
                locale.tag()
            );
        }
    }
}

#[test]
fn every_finding_renders_in_both_locales_and_english_matches_the_logs() {
    for (code, args) in Message::CODES {
        let finding = sample(code, args);
        let english = in_locale(Locale::En, || message(&finding));
        assert_eq!(
            english,
            finding.english(),
            "{code}: the catalogue's English drifted from the model's"
        );
        let chinese = in_locale(Locale::ZhCn, || message(&finding));
        // As a phrase (how the doctor sends it to the browser) it reads the same.
        let phrase = Phrase::finding(&finding);
        assert_eq!(
            in_locale(Locale::ZhCn, || phrase.render()),
            chinese,
            "{code}"
        );
        assert_eq!(phrase.english(), english, "{code}");
        assert!(
            !chinese.contains('{'),
            "{code}: a placeholder is left: {chinese}"
        );
        if !args.is_empty() && *code != "Api" {
            assert_ne!(chinese, english, "{code} is not translated");
        }
        for (name, arg) in finding.args() {
            if let registry_model::validation::MessageArg::Text(text) = arg {
                assert!(
                    chinese.contains(&text),
                    "{code}: {name} is missing from {chinese}"
                );
            }
        }
    }
    let nested = Message::OnLine {
        line: 3,
        problem: Box::new(Message::LabelNameEnds),
    };
    assert_eq!(
        in_locale(Locale::ZhCn, || message(&nested)),
        "第 3 行：必须以字母或数字开头和结尾"
    );
}

#[test]
fn keys_render_in_the_locale_of_the_page() {
    assert_eq!(in_locale(Locale::En, tr::common::sign_out), "Sign out");
    assert_eq!(in_locale(Locale::ZhCn, tr::common::sign_out), "退出登录");
    assert_eq!(
        in_locale(Locale::ZhCn, || tr::sign_in::demo_sign_in_as("admin")),
        "以 admin 身份登录"
    );
    // Outside a page (no locale provided): English.
    assert_eq!(tr::common::sign_out(), "Sign out");
}

/// Every key outside `findings` is called somewhere, as text (`tr::`) or as a phrase
/// (`said::`): the generated functions allow dead code, so this reads all the sources.
#[test]
fn every_key_is_used() {
    let mut sources = String::new();
    for dir in ["src", "../server/src"] {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        collect(&root, &mut sources);
    }
    let mut unused = Vec::new();
    for ns in Ns::ALL {
        if ns == Ns::Findings {
            continue;
        }
        for key in KEYS[ns.index()] {
            // Called, or passed as a function: the path and then no more of a name.
            let used = ["tr", "said"].iter().any(|module| {
                let path = format!("{module}::{}::{key}", ns.name());
                sources.match_indices(&path).any(|(at, _)| {
                    !sources[at + path.len()..]
                        .starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
                })
            });
            if !used {
                unused.push(format!("{}.{key}", ns.name()));
            }
        }
    }
    assert!(
        unused.is_empty(),
        "keys no code uses (remove them from app/locales/*/): {unused:?}"
    );
}

fn collect(dir: &std::path::Path, into: &mut String) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, into);
        } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("i18n/tests.rs") {
            into.push_str(&std::fs::read_to_string(&path).unwrap());
        }
    }
}

#[test]
fn the_build_refuses_a_catalogue_that_drifted_from_english() {
    let parse = |tag, text| {
        let keys = build::parse(tag, "common", text).unwrap();
        build::Catalogue::from([("common".to_string(), keys)])
    };
    let english = parse("en", "hello = \"Hello {name}\"\nbye = \"Bye\"\n");
    let missing = parse("zh-CN", "hello = \"你好 {name}\"\n");
    let problems = build::check(&[("en", english.clone()), ("zh-CN", missing)]);
    assert_eq!(problems, vec!["zh-CN: common.bye is missing"]);

    let wrong = parse(
        "zh-CN",
        "hello = \"你好 {who}\"\nbye = \"再见\"\nextra = \"多余\"\n",
    );
    let problems = build::check(&[("en", english.clone()), ("zh-CN", wrong)]);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems[0].contains("common.hello has the placeholders {\"who\"}, English has {\"name\"}")
    );
    assert!(problems[1].contains("common.extra is not in the English catalogue"));

    let broken = parse("zh-CN", "hello = \"你好 {name\"\nbye = \"再见}\"\n");
    let problems = build::check(&[("en", english), ("zh-CN", broken)]);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("common.hello has a '{' that is never closed")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("common.bye has a '}' that closes nothing")),
        "{problems:?}"
    );

    let error = build::parse("en", "common", "[section]\nhello = \"x\"\n").unwrap_err();
    assert!(error.contains("a namespace is a file"), "{error}");
}

#[test]
fn the_files_in_the_repository_pass_the_build_check() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
    let locales: Vec<(&str, build::Catalogue)> = build::LOCALES
        .iter()
        .map(|tag| (*tag, build::read(&dir, tag).unwrap().0))
        .collect();
    assert_eq!(build::check(&locales), Vec::<String>::new());
}

#[test]
fn the_reader_gets_their_language() {
    assert_eq!(
        Locale::negotiate("zh-CN,zh;q=0.9,en;q=0.8"),
        Some(Locale::ZhCn)
    );
    assert_eq!(
        Locale::negotiate("en-US,en;q=0.9,zh-CN;q=0.8"),
        Some(Locale::En)
    );
    assert_eq!(
        Locale::negotiate("fr-FR, zh-Hans;q=0.5"),
        Some(Locale::ZhCn)
    );
    assert_eq!(Locale::negotiate("zh-TW"), Some(Locale::ZhCn));
    assert_eq!(Locale::negotiate("en;q=0.2, zh;q=0.7"), Some(Locale::ZhCn));
    assert_eq!(
        Locale::negotiate("zh;q=0, en"),
        Some(Locale::En),
        "q=0 is a refusal"
    );
    assert_eq!(Locale::negotiate("fr, de;q=0.5"), None);
    assert_eq!(Locale::negotiate("*"), None);
    assert_eq!(Locale::negotiate(""), None);
    assert_eq!(Locale::from_tag("ZH-cn"), Some(Locale::ZhCn));
    assert_eq!(
        Locale::from_tag("zh"),
        None,
        "the cookie holds the console's own tags"
    );
}

#[cfg(feature = "ssr")]
#[test]
fn the_cookie_beats_the_browser_and_english_is_the_last_word() {
    let mut headers = http::HeaderMap::new();
    assert_eq!(Locale::of_request(&headers), Locale::En);
    headers.insert(
        http::header::ACCEPT_LANGUAGE,
        "zh-CN,zh;q=0.9".parse().unwrap(),
    );
    assert_eq!(Locale::of_request(&headers), Locale::ZhCn);
    headers.insert(
        http::header::COOKIE,
        "other=1; console-lang=en".parse().unwrap(),
    );
    assert_eq!(Locale::of_request(&headers), Locale::En);
    headers.insert(http::header::COOKIE, "console-lang=xx".parse().unwrap());
    assert_eq!(
        Locale::of_request(&headers),
        Locale::ZhCn,
        "an unknown choice is no choice"
    );
}

#[test]
fn the_page_data_cannot_end_its_script_element() {
    let data = page_data(Locale::En, &[Ns::Common, Ns::SignIn], &UsedWords::default());
    assert!(!data.contains('<'));
    let parsed: Vec<Vec<String>> = serde_json::from_str(&data).unwrap();
    assert_eq!(parsed[0], ["en"]);
    assert_eq!(parsed[1][0], "common");
    assert_eq!(parsed[1].len(), 1 + KEYS[Ns::Common.index()].len());
    assert_eq!(
        parsed[1][1..],
        *TABLES[Locale::En.index()][Ns::Common.index()]
    );
    assert_eq!(parsed[2][0], "sign_in");
}

#[cfg(feature = "ssr")]
#[test]
fn the_switcher_only_sends_readers_back_into_the_console() {
    use super::functions::local_path;
    assert_eq!(local_path("/config?x=1"), "/config?x=1");
    assert_eq!(local_path("//evil.example/"), "/");
    assert_eq!(local_path("https://evil.example/"), "/");
    assert_eq!(local_path("/\\evil.example"), "/");
    assert_eq!(local_path("/api/sign_out"), "/");
    assert_eq!(local_path(""), "/");
}

#[test]
fn the_page_carries_the_findings_it_was_rendered_with_and_no_others() {
    use leptos::prelude::{Owner, provide_context};
    let used = UsedWords::default();
    let finding = Phrase::finding(&Message::OnLine {
        line: 3,
        problem: Box::new(Message::LabelNameEnds),
    });
    let shown = Owner::new().with(|| {
        provide_context(Locale::ZhCn);
        provide_context(used.clone());
        finding.render()
    });
    assert_eq!(shown, "第 3 行：必须以字母或数字开头和结尾");
    assert_eq!(
        finding.english(),
        "line 3: must start and end with a letter or digit"
    );

    let data = page_data(Locale::ZhCn, &[Ns::Common], &used);
    let lists: Vec<Vec<String>> = serde_json::from_str(&data).unwrap();
    let findings = lists
        .iter()
        .find(|list| list[0] == "+findings")
        .expect("the findings shown travel with the page");
    let tables = &TABLES[Locale::ZhCn.index()][Ns::Findings.index()];
    let carried: Vec<(usize, &str)> = findings[1..]
        .chunks(2)
        .map(|pair| (pair[0].parse().unwrap(), pair[1].as_str()))
        .collect();
    let mut expected: Vec<(usize, &str)> = ["LabelNameEnds", "OnLine"]
        .iter()
        .map(|code| {
            let index = FINDING_CODES.binary_search(code).unwrap();
            (index, tables[index])
        })
        .collect();
    expected.sort();
    assert_eq!(carried, expected);
    assert!(
        !lists.iter().any(|list| list[0] == "+common"),
        "a namespace the page carries whole is not repeated"
    );
}

#[test]
fn a_phrase_travels_as_a_list_of_strings_and_comes_back_whole() {
    let phrase = said::overview::operator_says(
        Phrase::finding(&Message::OnLine {
            line: 3,
            problem: Box::new(Message::LabelNameEnds),
        }),
        "=odd +text, \"quoted\"",
    );
    let wire = serde_json::to_string(&phrase).unwrap();
    let list: Vec<String> = serde_json::from_str(&wire).unwrap();
    assert_eq!(list[1], "meaning");
    assert!(list[2].starts_with('+'), "a nested phrase: {list:?}");
    assert_eq!(list[4], "==odd +text, \"quoted\"");
    let back: Phrase = serde_json::from_str(&wire).unwrap();
    assert_eq!(back, phrase);
    assert_eq!(
        back.english(),
        "line 3: must start and end with a letter or digit The operator says: “=odd +text, \"quoted\"”"
    );
    assert!(serde_json::from_str::<Phrase>("[\"99.1\"]").is_err());
    assert!(serde_json::from_str::<Phrase>("[\"0.1\", \"a\", \"x\"]").is_err());
}
