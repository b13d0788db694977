//! Finding the shared test data: `../shared` beside the crate root, as CI lays it out.

use std::path::PathBuf;

/// `../shared/<relative>` from the crate root, or `None` (after printing a
/// "skipped: data not found" line naming it) when it is absent.
pub fn shared_data(relative: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared").join(relative);
    if path.exists() {
        Some(path)
    } else {
        println!("skipped: data not found: {}", path.display());
        None
    }
}
