use leptos::prelude::*;

use crate::components::TopBar;

/// Where configuring storage and settings will live; until then it gives the commands
/// the guide uses, so the overview's "what to do" link leads somewhere useful.
#[component]
pub fn ConfigPage() -> impl IntoView {
    view! {
        <TopBar/>
        <main class="page narrow">
            <h1>"Configure the registry"</h1>
            <p class="lede">
                "Forms for storage, credentials and operator settings are not in the console yet. "
                "Until they are, this is what the guide does from a terminal."
            </p>
            <h2>"Give the registry storage"</h2>
            <p>"A PersistentVolumeClaim (leave the claim empty and the operator creates "
                <code>"image-registry-storage"</code> "):"</p>
            <pre class="command">
                "oc patch configs.imageregistry.operator.openshift.io cluster --type merge \\\n  -p '{\"spec\":{\"storage\":{\"pvc\":{\"claim\":\"\"}}}}'"
            </pre>
            <p>"Or, for a cluster that is not production (every image is lost when the pod restarts):"</p>
            <pre class="command">
                "oc patch configs.imageregistry.operator.openshift.io cluster --type merge \\\n  -p '{\"spec\":{\"storage\":{\"emptyDir\":{}}}}'"
            </pre>
            <h2>"Start the registry"</h2>
            <p>"Once storage is set, set the management state to Managed on the "
                <a href="/">"overview"</a> " or with:"</p>
            <pre class="command">
                "oc patch configs.imageregistry.operator.openshift.io cluster --type merge \\\n  -p '{\"spec\":{\"managementState\":\"Managed\"}}'"
            </pre>
        </main>
    }
}
