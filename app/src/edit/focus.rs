//! Links that land on a field: `/config#spec.replicas` opens the form with the focus (and
//! the view) on the replicas input (the doctor's fixes link this way), and each finding in
//! a list takes the focus to its input. Also where the form's inputs say they are invalid.

/// The CSS selector of the input that holds `field` (a path as the shared rules name it:
/// `spec.replicas`, `spec.storage.s3.bucket`, `credentials`).
#[cfg(any(test, feature = "hydrate"))]
pub fn input_for(field: &str) -> String {
    let name = match field {
        "credentials" => return "input[name^=\"REGISTRY_STORAGE_\"]".into(),
        "spec.storage" | "spec.storage.emptyDir" => "storage",
        "spec.storage.pvc.claim" => "claim",
        field => field
            .strip_prefix("spec.storage.")
            .or_else(|| field.strip_prefix("spec."))
            .unwrap_or(field),
    };
    // Names are the form's own (letters, digits, '.', '[', ']'); anything else cannot
    // match one, and must not break out of the selector.
    let name: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '[' | ']' | '_' | '-'))
        .collect();
    format!("[name=\"{name}\"]")
}

/// Puts the focus on the input the address's `#field` names, once the form is in the page:
/// a page reached in the browser mounts its form after its data and code have arrived, so
/// this looks again for up to two seconds.
#[cfg(feature = "hydrate")]
pub fn focus_field_of_address() {
    let Some(hash) = web_sys::window().and_then(|window| window.location().hash().ok()) else {
        return;
    };
    let field = hash.trim_start_matches('#');
    if field.is_empty() {
        return;
    }
    let field = js_sys::decode_uri_component(field)
        .ok()
        .and_then(|f| f.as_string())
        .unwrap_or_else(|| field.to_owned());
    focus_field_within(field, 40);
}

/// Puts the focus on the input of `field` (a finding's field).
#[cfg(feature = "hydrate")]
pub fn focus_field(field: String) {
    focus_field_within(field, 0);
}

#[cfg(feature = "hydrate")]
fn focus_field_within(field: String, tries: u32) {
    use wasm_bindgen::JsCast;
    let Some(window) = web_sys::window() else {
        return;
    };
    // The first one shown: the providers not chosen keep their (hidden) inputs in the page.
    let inputs: Vec<web_sys::HtmlElement> = window
        .document()
        .and_then(|document| document.query_selector_all(&input_for(&field)).ok())
        .map(|list| {
            (0..list.length())
                .filter_map(|i| list.item(i))
                .filter_map(|node| node.dyn_into::<web_sys::HtmlElement>().ok())
                .filter(|input| input.is_connected())
                .collect()
        })
        .unwrap_or_default();
    let input = inputs
        .iter()
        .find(|input| input.offset_parent().is_some())
        .or(inputs.first())
        .cloned();
    match input {
        Some(input) => {
            let _ = input.focus();
        }
        None if tries > 0 => leptos::prelude::set_timeout(
            move || focus_field_within(field, tries - 1),
            std::time::Duration::from_millis(50),
        ),
        None => {}
    }
}

/// Ties each input to the findings shown beside it: `aria-invalid` while one of them is an
/// error, and `aria-describedby` naming them, so a screen reader says what is wrong when
/// the input takes the focus. Done over the page after each change of the findings because
/// the findings beside an input are drawn by the shared `PlacedFindings::near`, inside the
/// input's `<label>`, while each form writes its inputs itself.
#[cfg(feature = "hydrate")]
pub fn tie_findings_to_inputs() {
    use wasm_bindgen::JsCast;
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    let Ok(labels) = document.query_selector_all("form label") else {
        return;
    };
    for index in 0..labels.length() {
        let Some(label) = labels
            .item(index)
            .and_then(|node| node.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        let Ok(Some(input)) = label.query_selector("input, select, textarea") else {
            continue;
        };
        let near = label.query_selector("ul.findings.near").ok().flatten();
        let invalid = label
            .query_selector("ul.findings.near li.finding.error")
            .ok()
            .flatten()
            .is_some();
        let _ = if invalid {
            input.set_attribute("aria-invalid", "true")
        } else {
            input.remove_attribute("aria-invalid")
        };
        let _ = match near {
            Some(list) => {
                let id = format!("findings-near-{index}");
                list.set_id(&id);
                input.set_attribute("aria-describedby", &id)
            }
            None => input.remove_attribute("aria-describedby"),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::input_for;

    #[test]
    fn each_field_path_finds_its_input() {
        assert_eq!(input_for("spec.replicas"), "[name=\"replicas\"]");
        assert_eq!(input_for("spec.storage.s3.bucket"), "[name=\"s3.bucket\"]");
        assert_eq!(input_for("spec.storage.pvc.claim"), "[name=\"claim\"]");
        assert_eq!(input_for("spec.storage.emptyDir"), "[name=\"storage\"]");
        assert_eq!(
            input_for("spec.routes[0].hostname"),
            "[name=\"routes[0].hostname\"]"
        );
        assert_eq!(
            input_for("credentials"),
            "input[name^=\"REGISTRY_STORAGE_\"]"
        );
        assert_eq!(input_for("spec.x\"] *, [a=\""), "[name=\"x][a\"]");
    }
}
