//! The JSON schema of the data the Python and Node bindings show, derived from the core's own
//! types (`schemars`, the core's feature `schema`): results, statuses, usage, live events, the
//! error payload and the error codes, the service's health and sockets, the ledger's unended
//! sessions, and what a batch reports. `types.json` beside this crate is its committed output (`cargo run -p enigma-schema --features ordered`);
//! `scripts/gen_types.py` turns it into the Python data and error classes and the TypeScript
//! declarations, so the core stays the one definition of each shape.
//!
//! Besides the schema (`$defs`), the file names each property and event type as Node spells it
//! (`nodeNames`, from the core's own [`Spelling`]), so no other language repeats that rule.

use std::collections::BTreeMap;

use enigma::binding::{Spelling, StatusView};
use schemars::generate::SchemaSettings;
use serde_json::{Value, json};

/// The types the bindings show, by the name the schema gives them.
pub fn schema() -> Value {
    // The schema of what the core writes (serde's serialize side): an `Option` field without
    // `skip_serializing_if` is always there (null when unknown), one with it may be absent.
    let mut generator = SchemaSettings::draft2020_12().for_serialize().into_generator();
    generator.subschema_for::<enigma::Usage>();
    generator.subschema_for::<enigma::TaskResult>();
    generator.subschema_for::<StatusView<'static>>();
    generator.subschema_for::<enigma::TaskState>();
    generator.subschema_for::<enigma::Event>();
    generator.subschema_for::<enigma::ErrorPayload>();
    generator.subschema_for::<enigma::Health>();
    generator.subschema_for::<enigma::ActiveSockets>();
    generator.subschema_for::<enigma::CheckedSession>();
    generator.subschema_for::<enigma::BatchItem>();
    generator.subschema_for::<enigma::BatchProgress>();
    generator.subschema_for::<enigma::BatchSummary>();
    generator.subschema_for::<enigma::GuardrailQuestion>();
    let defs = Value::Object(generator.take_definitions(true));
    let mut names = BTreeMap::new();
    collect_names(&defs, &mut names);
    json!({
        "$comment": "Written by `cargo run -p enigma-schema` from the core's types: do not edit.",
        "$defs": defs,
        "nodeNames": names,
    })
}

/// Every property name and event `type` in `value`, with its Node spelling.
fn collect_names(value: &Value, names: &mut BTreeMap<String, String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Object(properties)) = map.get("properties") {
                for name in properties.keys() {
                    names.insert(name.clone(), Spelling::Camel.spell(name));
                }
                if let Some(Value::String(kind)) = properties.get("type").and_then(|t| t.get("const")) {
                    names.insert(kind.clone(), Spelling::Camel.spell(kind));
                }
            }
            map.values().for_each(|v| collect_names(v, names));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_names(v, names)),
        _ => {}
    }
}

/// The committed schema's path.
pub fn committed_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("types.json")
}

/// The schema as the committed file holds it.
pub fn render() -> String {
    let mut text = serde_json::to_string_pretty(&schema()).expect("a JSON value renders");
    text.push('\n');
    text
}
