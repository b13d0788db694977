//! Puts the memory maps where the linker looks for them (`memory.x`, which
//! cortex-m-rt's `link.x` includes; `memory-virt.x`, which `.cargo/config.toml` gives
//! riscv-rt's `link.x` on the command line), and names the board the target is for, so
//! `src/led.rs` drives the right LED.

use std::{env, fs, path::PathBuf};

fn main() {
    let target = env::var("TARGET").unwrap_or_default();
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    for memory in ["memory.x", "memory-virt.x"] {
        fs::copy(memory, out.join(memory)).expect("the memory maps are next to Cargo.toml");
        println!("cargo::rerun-if-changed={memory}");
    }
    println!("cargo::rustc-link-search={}", out.display());

    println!("cargo::rustc-check-cfg=cfg(board, values(\"lm3s6965\", \"mps2_an386\", \"virt\"))");
    match target.as_str() {
        "thumbv7m-none-eabi" => println!("cargo::rustc-cfg=board=\"lm3s6965\""),
        "thumbv7em-none-eabihf" => println!("cargo::rustc-cfg=board=\"mps2_an386\""),
        // QEMU's RISC-V `virt` machine: `riscv32imac` runs the checks, `riscv32imc`
        // (the ESP32-C3's instruction set) is what `scripts/footprint` measures.
        t if t.starts_with("riscv32") => println!("cargo::rustc-cfg=board=\"virt\""),
        // Any other target (the host, for `cargo check` by an editor) gets no board.
        _ => {}
    }
}
