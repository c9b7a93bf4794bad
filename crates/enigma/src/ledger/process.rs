//! The process that opened a session: its command line as the ledger keeps it, and whether a
//! process with its id still runs.

/// This process's command line, arguments joined by spaces, with the API key masked wherever
/// it appears (`--api-key enig_…` on a command line must not reach a file).
pub(crate) fn command_line(api_key: Option<&str>) -> String {
    let line = std::env::args_os().map(|a| a.to_string_lossy().into_owned()).collect::<Vec<_>>().join(" ");
    mask_keys(&line, api_key)
}

/// `line` with `key`, and anything shaped like a key (`enig_` and 8 or more letters or
/// digits), replaced by `enig_…`.
pub(crate) fn mask_keys(line: &str, key: Option<&str>) -> String {
    let mut line = line.to_owned();
    if let Some(key) = key.filter(|k| !k.is_empty()) {
        line = line.replace(key, "enig_…");
    }
    let mut out = String::with_capacity(line.len());
    let mut rest = line.as_str();
    while let Some(at) = rest.find("enig_") {
        out.push_str(&rest[..at + 5]);
        rest = &rest[at + 5..];
        let run = rest.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(rest.len());
        if run >= 8 {
            out.push('…');
            rest = &rest[run..];
        }
    }
    out.push_str(rest);
    out
}

/// Whether a process with this id runs now (`None`: cannot tell on this system). A pid the
/// system gave to another process since reads as alive.
pub(crate) fn is_alive(pid: u32) -> Option<bool> {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else { return Some(false) };
        if pid <= 0 {
            return Some(false);
        }
        // Signal 0 checks that the process exists without touching it; EPERM: it exists,
        // owned by someone else.
        // SAFETY: kill with signal 0 sends nothing; it only reads the process table.
        let answer = unsafe { libc::kill(pid, 0) };
        Some(answer == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM))
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_masked() {
        let key = "enig_abcdefghijklmnopqrstuvwxyz12";
        let line = format!("enigma run --api-key {key} x --other enig_ZZZZZZZZZZ enig_ ok");
        let masked = mask_keys(&line, Some(key));
        assert_eq!(masked, "enigma run --api-key enig_… x --other enig_… enig_ ok");
        assert_eq!(mask_keys("python run.py --key sk-secret", Some("sk-secret")), "python run.py --key enig_…");
    }

    #[test]
    fn this_process_is_alive() {
        assert_ne!(is_alive(std::process::id()), Some(false));
    }
}
