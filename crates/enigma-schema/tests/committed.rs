//! The committed `types.json` is what the core's types give now: a changed field, event or
//! error code fails here until `cargo run -p enigma-schema --features ordered` (then `python3 scripts/gen_types.py`,
//! whose own tests check the Python and TypeScript files against `types.json`).

#[test]
fn the_committed_schema_is_up_to_date() {
    // Compared as JSON values: the workspace builds serde_json without `preserve_order`, so
    // the order of properties (which the committed file keeps) is not seen here.
    let text = std::fs::read_to_string(enigma_schema::committed_path()).unwrap_or_default();
    let committed: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    assert!(
        committed == enigma_schema::schema(),
        "crates/enigma-schema/types.json is stale: run `cargo run -p enigma-schema --features ordered`, then `python3 scripts/gen_types.py`"
    );
}

#[test]
fn every_error_code_and_event_kind_is_in_the_schema() {
    let schema = enigma_schema::schema();
    let text = schema.to_string();
    for code in enigma::ErrorCode::ALL {
        assert!(text.contains(&format!("\"const\":\"{code}\"")), "{code}");
    }
    for kind in enigma::EventKind::ALL {
        assert!(schema["nodeNames"].get(kind.as_str()).is_some(), "{kind}");
    }
}
