//! Deterministic 12-character lowercase alphanumeric ids.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";

/// Generates ids from a seeded generator, so a run with the same seed and requests repeats its ids.
#[derive(Debug)]
pub(crate) struct IdGen {
    rng: StdRng,
}

impl IdGen {
    pub(crate) fn new(seed: u64) -> Self {
        IdGen { rng: StdRng::seed_from_u64(seed) }
    }

    /// A fresh 12-character id.
    pub(crate) fn next_id(&mut self) -> String {
        (0..12).map(|_| ALPHABET[self.rng.random_range(0..ALPHABET.len())] as char).collect()
    }
}
