//! The nearest known name to a key nobody knows, for the "did you mean `maxDuration`?" of a
//! refusal. Names are compared as letters only (case and `_` dropped, so `max_duration` is
//! `maxDuration`'s twin) by Jaro-Winkler similarity, which weighs a shared start, the way a
//! typo or the other language's spelling keeps it (`maxCots`, `timeout` for `timeoutMs`). A
//! name that is not close gets no suggestion: a wrong guess sends the user astray.

/// Least similarity, 0..=1, at which a name is suggested. `colour` against every option, or
/// `url` against `startingUrl`, stays below it; a transposition or a missing `Ms` is above.
const CLOSE: f64 = 0.85;

/// The known name nearest to `key`, when one is close; the first of equally near ones.
pub(crate) fn nearest<'a>(key: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let key = letters(key);
    let mut best: Option<(f64, &str)> = None;
    for name in known {
        let score = strsim::jaro_winkler(&key, &letters(name));
        if score >= CLOSE && best.is_none_or(|(top, _)| score > top) {
            best = Some((score, name));
        }
    }
    best.map(|(_, name)| name)
}

/// `"; did you mean `name`?"` for the nearest known name, or nothing: the tail of a refusal.
pub(crate) fn did_you_mean<'a>(key: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    nearest(key, known).map(|name| format!("; did you mean `{name}`?")).unwrap_or_default()
}

fn letters(name: &str) -> String {
    name.chars().filter(|c| *c != '_').flat_map(char::to_lowercase).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NODE: &[&str] =
        &["taskDetails", "startingUrl", "maxDuration", "maxInputTokens", "maxOutputTokens", "timeoutMs", "maxCost"];

    #[test]
    fn the_other_spelling_or_a_typo_finds_its_field() {
        assert_eq!(nearest("max_duration", NODE.iter().copied()), Some("maxDuration"));
        assert_eq!(nearest("max_cost", NODE.iter().copied()), Some("maxCost"));
        assert_eq!(nearest("starting_url", NODE.iter().copied()), Some("startingUrl"));
        assert_eq!(nearest("maxCots", NODE.iter().copied()), Some("maxCost"));
        assert_eq!(nearest("timeout", NODE.iter().copied()), Some("timeoutMs"));
        assert_eq!(nearest("max_input_token", NODE.iter().copied()), Some("maxInputTokens"));
        assert_eq!(did_you_mean("maxDuraton", NODE.iter().copied()), "; did you mean `maxDuration`?");
    }

    #[test]
    fn a_far_name_gets_no_suggestion() {
        for far in ["colour", "url", "signal", "x", "budget", "concurrency"] {
            assert_eq!(nearest(far, NODE.iter().copied()), None, "{far}");
        }
        assert_eq!(did_you_mean("colour", NODE.iter().copied()), "");
    }

    #[test]
    fn equally_near_names_give_the_first() {
        assert_eq!(nearest("max_cost", ["max_cost", "maxCost"]), Some("max_cost"));
        assert_eq!(nearest("max_cost", ["maxCost", "max_cost"]), Some("maxCost"));
    }
}
