//! What a call without an API key says: how to get going, with the one line that does it in the
//! caller's language. The README promises that everything can be tried offline; a newcomer
//! without a key meets this message first, so it shows the built-in simulator next to the key.
//! Kept in the core so that every language says the same and only the line differs: Rust (and
//! the `enigma` command, which shares its errors) in the error's `Display`, Python and Node in
//! the payload the bindings hand over ([`spelled_error`](super::view::spelled_error)).

#[cfg(feature = "binding")]
use super::spelling::Spelling;

/// The start of the message, shared by every language.
const HEAD: &str = "no API key: set ENIGMA_API_KEY (export ENIGMA_API_KEY=enig_...) or pass one to the client; \
                    or try everything offline on the built-in simulator";

/// The simulator's line in Rust, and in the `enigma` command.
const RUST: &str = "Rust: `let sim = enigma_sim::Simulator::start(Default::default()).await?; \
                    let client = enigma::Client::builder().api_key(\"enig_test\").base_url(sim.url()).build()?;` \
                    (the CLI: `enigma run \"<task>\"` uses it by itself without a key)";

/// The simulator's line in Python.
#[cfg(feature = "binding")]
const PYTHON: &str = "Python: `from enigma.testing import Simulator; sim = Simulator(); client = sim.client()`";

/// The simulator's line in Node.
#[cfg(feature = "binding")]
const NODE: &str = "Node: `const sim = await startSimulator()` (from 'enigma-click/testing'), \
                    then `new Client({ apiKey: 'enig_test', baseUrl: sim.url })`";

/// The message in Rust and the CLI.
pub(crate) fn rust() -> String {
    format!("{HEAD}: {RUST}")
}

/// The message in the language that spells options this way (Python: snake_case, Node:
/// camelCase).
#[cfg(feature = "binding")]
pub(crate) fn for_spelling(spelling: Spelling) -> String {
    match spelling {
        Spelling::Snake => format!("{HEAD}: {PYTHON}"),
        Spelling::Camel => format!("{HEAD}: {NODE}"),
    }
}
