//! The examples' policy texts: each compiles into a `const` table equal to the one
//! `Policy::load` reads at run time, and the firmware's keeps the seed's rules as the
//! seed writes them (one source, and a test that ties the copy).

use embedded_cookie::policy::Policy;

const SEED_TEXT: &str = include_str!("../examples/policies/seed.policy");
const FIRMWARE_TEXT: &str = include_str!("../examples/firmware/device.policy");
const DEVICE_APP_TEXT: &str = include_str!("../examples/device-app/device.policy");

static SEED: Policy<'static, 4> = embedded_cookie::compile_policy!(SEED_TEXT);
static FIRMWARE: Policy<'static, 5> = embedded_cookie::compile_policy!(FIRMWARE_TEXT);
static DEVICE_APP: Policy<'static, 6> = embedded_cookie::compile_policy!(DEVICE_APP_TEXT);

#[test]
fn each_compiled_table_is_the_loaded_one() {
    assert_eq!(Policy::<4>::load(SEED_TEXT), Ok(SEED.clone()));
    assert_eq!(Policy::<5>::load(FIRMWARE_TEXT), Ok(FIRMWARE.clone()));
    assert_eq!(Policy::<6>::load(DEVICE_APP_TEXT), Ok(DEVICE_APP.clone()));
}

#[test]
fn the_firmware_keeps_the_seed_rules_and_adds_a_revision() {
    for rule in SEED.rules() {
        assert_eq!(FIRMWARE.classify(rule.pattern.name()), Some(rule), "{}", rule.pattern);
    }
    assert_eq!(FIRMWARE.len(), SEED.len() + 1);
    assert!(FIRMWARE.revision() > SEED.revision());
    assert_eq!(FIRMWARE.undeclared(), SEED.undeclared());
}
