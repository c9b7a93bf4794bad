//! `cargo run -p enigma-schema --features ordered`: rewrites `crates/enigma-schema/types.json` from the core's
//! types; then `python3 scripts/gen_types.py` rewrites the Python and TypeScript files from it.

fn main() {
    if !cfg!(feature = "ordered") {
        eprintln!("run with `--features ordered`, so fields keep the core's order");
        std::process::exit(2);
    }
    let path = enigma_schema::committed_path();
    if let Err(err) = std::fs::write(&path, enigma_schema::render()) {
        eprintln!("cannot write {}: {err}", path.display());
        std::process::exit(1);
    }
    println!("wrote {}", path.display());
}
