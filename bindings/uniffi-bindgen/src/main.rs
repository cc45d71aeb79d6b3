//! `uniffi-bindgen`, built from the workspace so its version always equals the `uniffi` the
//! bindings crate uses.

fn main() {
    uniffi::uniffi_bindgen_main()
}
