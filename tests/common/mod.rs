//! Finding the shared test data: `../shared` beside the crate root, as CI lays it out.

use std::path::PathBuf;

/// `../shared/<relative>` from the crate root, or `None` (after printing a
/// "skipped: data not found" line naming it) when it is absent. Under CI (`CI`
/// set, as `.ci/run` sets it) absent data fails the test instead: a conformance
/// test that passes without its data proves nothing.
pub fn shared_data(relative: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared").join(relative);
    if path.exists() {
        return Some(path);
    }
    assert!(std::env::var_os("CI").is_none(), "data not found under CI: {}", path.display());
    println!("skipped: data not found: {}", path.display());
    None
}
