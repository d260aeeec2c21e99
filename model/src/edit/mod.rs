//! What a form shows of an object and what it changes, one pair per kind: an edit view
//! built `From` the API object (only the fields a form edits, secret values masked), and
//! the user's edits, which apply to a view. Views keep the API's field names, so the merge
//! patch between two views is the patch of the object.

pub mod config;
pub mod pruner;
