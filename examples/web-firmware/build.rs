//! Puts `memory.x` where the linker looks for it (cortex-m-rt's `link.x` includes it), and
//! names the board for the LED driver shared with `examples/firmware` (`src/led.rs`).

use std::{env, fs, path::PathBuf};

fn main() {
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    fs::copy("memory.x", out.join("memory.x")).expect("memory.x is next to Cargo.toml");
    println!("cargo::rustc-link-search={}", out.display());
    println!("cargo::rerun-if-changed=memory.x");
    println!("cargo::rustc-check-cfg=cfg(board, values(\"lm3s6965\", \"mps2_an386\", \"virt\"))");
    println!("cargo::rustc-cfg=board=\"mps2_an386\"");
}
