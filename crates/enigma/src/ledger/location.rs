//! Where the ledger file lives: `ENIGMA_LEDGER` (a path, or `off`), else
//! `<state dir>/enigma/sessions.jsonl`: `$XDG_STATE_HOME` or `~/.local/state` on Linux, the
//! local data directory elsewhere (`~/Library/Application Support` on macOS, `%LOCALAPPDATA%`
//! on Windows).

use std::path::PathBuf;

use crate::model::settings::LedgerSetting;

/// Where the ledger lives when nothing moves it: `<state dir>/enigma/sessions.jsonl`. `None`
/// when the system names no such directory (no home directory).
pub fn default_ledger_path() -> Option<PathBuf> {
    let dir = dirs::state_dir().or_else(dirs::data_local_dir)?;
    Some(dir.join("enigma").join("sessions.jsonl"))
}

/// The file a setting names (`None`: off, or no state directory).
pub(crate) fn resolve(setting: &LedgerSetting) -> Option<PathBuf> {
    match setting {
        LedgerSetting::Off => None,
        LedgerSetting::At(path) => Some(path.clone()),
        LedgerSetting::Default => default_ledger_path(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_values() {
        for off in ["off", "OFF", "0", "false", "no", " off "] {
            assert_eq!(LedgerSetting::from_env_value(off), LedgerSetting::Off, "{off}");
        }
        assert_eq!(LedgerSetting::from_env_value(""), LedgerSetting::Default);
        assert_eq!(LedgerSetting::from_env_value("/tmp/x.jsonl"), LedgerSetting::At("/tmp/x.jsonl".into()));
    }

    #[test]
    fn default_path_ends_in_enigma_sessions() {
        if let Some(path) = default_ledger_path() {
            assert!(path.ends_with("enigma/sessions.jsonl"), "{path:?}");
        }
    }
}
