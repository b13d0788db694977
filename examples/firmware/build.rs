//! Puts `memory.x` where the linker looks for it (cortex-m-rt's `link.x` includes it),
//! and names the board the target is for, so `src/led.rs` drives the right LED.

use std::{env, fs, path::PathBuf};

fn main() {
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    fs::copy("memory.x", out.join("memory.x")).expect("memory.x is next to Cargo.toml");
    println!("cargo::rustc-link-search={}", out.display());
    println!("cargo::rerun-if-changed=memory.x");

    println!("cargo::rustc-check-cfg=cfg(board, values(\"lm3s6965\", \"mps2_an386\"))");
    match env::var("TARGET").as_deref() {
        Ok("thumbv7m-none-eabi") => println!("cargo::rustc-cfg=board=\"lm3s6965\""),
        Ok("thumbv7em-none-eabihf") => println!("cargo::rustc-cfg=board=\"mps2_an386\""),
        // Any other target (the host, for `cargo check` by an editor) gets no board.
        _ => {}
    }
}
