//! Prints the CRDs derived from the model as YAML (`cargo run -p registry-model --example print_crds`).
fn main() {
    for crd in registry_model::crds::all() {
        println!(
            "---\n{}",
            serde_yaml::to_string(&crd).expect("a CRD serializes")
        );
    }
}
