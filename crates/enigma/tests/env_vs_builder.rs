//! A setting given in code never reads its `ENIGMA_*` variable: for every variable the core lists
//! ([`ClientConfig::ENV_VARS`]), a value that fails the build (or differs) is read when the
//! setting is not given, and is ignored when the builder sets it. One test in a binary of its own:
//! it changes the process's environment.

use std::time::Duration;

use enigma::{Client, ClientBuilder, ClientConfig, ClientSettings, LedgerSetting};

/// How one setting is checked: the variable's value, the builder call that gives the setting in
/// code, and what the configuration holds when the builder's value won.
struct Case {
    env_value: &'static str,
    set: fn(ClientBuilder) -> ClientBuilder,
    builder_won: fn(&ClientConfig) -> bool,
}

const TEST_CA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/interop/socketio-server/tls/ca.pem");

fn case(setting: &str) -> Option<Case> {
    let case = match setting {
        "api_key" => Case {
            env_value: "enig_bad\nkey",
            set: |b| b.api_key("enig_from_code"),
            builder_won: |c| c.api_key.as_ref().is_some_and(|k| k.expose() == "enig_from_code"),
        },
        "base_url" => Case {
            env_value: "not a url",
            set: |b| b.base_url("http://127.0.0.1:9"),
            builder_won: |c| c.base_url.as_str() == "http://127.0.0.1:9/",
        },
        "request_timeout" => Case {
            env_value: "abc",
            set: |b| b.request_timeout(Duration::from_secs(5)),
            builder_won: |c| c.request_timeout == Duration::from_secs(5),
        },
        "poll_interval" => Case {
            env_value: "-1",
            set: |b| b.poll_interval(Duration::from_millis(250)),
            builder_won: |c| c.poll_interval == Duration::from_millis(250),
        },
        "max_retries" => Case { env_value: "many", set: |b| b.max_retries(7), builder_won: |c| c.max_retries == 7 },
        "retry_after_max" => Case {
            env_value: "soon",
            set: |b| b.retry_after_max(Duration::from_secs(3)),
            builder_won: |c| c.retry_after_max == Duration::from_secs(3),
        },
        "max_response_bytes" => Case {
            env_value: "16MiB",
            set: |b| b.max_response_bytes(1024),
            builder_won: |c| c.max_response_bytes == 1024,
        },
        // Any value of this one parses: `0` differs from what the builder gives.
        "live_events" => Case { env_value: "0", set: |b| b.live_events(true), builder_won: |c| c.live_events },
        "extra_root_ca_pem" => Case {
            env_value: "/nonexistent/enigma-ca.pem",
            set: |b| b.extra_root_ca_pem(std::fs::read(TEST_CA).expect("the test CA")),
            builder_won: |c| {
                c.extra_root_ca_pem.as_deref() == Some(std::fs::read(TEST_CA).expect("the test CA").as_slice())
            },
        },
        // Any value of this one reads: `off` differs from the file the builder gives.
        "ledger" => Case {
            env_value: "off",
            set: |b| b.ledger(LedgerSetting::At("/nonexistent/enigma-ledger.jsonl".into())),
            builder_won: |c| c.ledger == LedgerSetting::At("/nonexistent/enigma-ledger.jsonl".into()),
        },
        // Any value of this one reads: a folder differs from the one the builder gives.
        "record" => Case {
            env_value: "/nonexistent/enigma-env-recording",
            set: |b| b.record("/nonexistent/enigma-code-recording"),
            builder_won: |c| c.record.as_deref() == Some(std::path::Path::new("/nonexistent/enigma-code-recording")),
        },
        "record_max_bytes" => {
            Case { env_value: "64MiB", set: |b| b.record_max_bytes(4096), builder_won: |c| c.record_max_bytes == 4096 }
        }
        "event_buffer" => Case { env_value: "0", set: |b| b.event_buffer(64), builder_won: |c| c.event_buffer == 64 },
        "socket_read_buffer_bytes" => Case {
            env_value: "lots",
            set: |b| b.socket_read_buffer_bytes(4096),
            builder_won: |c| c.socket_read_buffer_bytes == 4096,
        },
        "timeline_records" => {
            Case { env_value: "-1", set: |b| b.timeline_records(10), builder_won: |c| c.timeline_records == 10 }
        }
        _ => return None,
    };
    Some(case)
}

fn set_env(name: &str, value: Option<&str>) {
    // SAFETY: the only test of this binary; nothing else reads or writes the environment meanwhile.
    unsafe {
        match value {
            Some(value) => std::env::set_var(name, value),
            None => std::env::remove_var(name),
        }
    }
}

#[test]
fn a_setting_given_in_code_never_reads_its_variable() {
    for (name, _) in ClientConfig::ENV_VARS {
        set_env(name, None);
    }
    for &(name, setting) in ClientConfig::ENV_VARS {
        let case = case(setting).unwrap_or_else(|| panic!("no case for {setting} ({name}): add one"));
        set_env(name, Some(case.env_value));

        // Not given in code: the variable is read (it fails the build, or its value is used).
        match Client::builder().build() {
            Err(err) => assert_eq!(err.code(), "validation", "{name}={:?}: {err}", case.env_value),
            Ok(client) => assert!(!(case.builder_won)(client.config()), "{name} is read when {setting} is not given"),
        }

        // Given in code: the builder's value, whatever the variable says.
        let client = (case.set)(Client::builder()).build().unwrap_or_else(|err| {
            panic!("{setting} given in code, {name}={:?} fails the build: {err}", case.env_value)
        });
        assert!((case.builder_won)(client.config()), "{setting} given in code loses to {name}");
        set_env(name, None);
    }

    // The bindings pass their settings through `ClientBuilder::settings`: the same rule holds.
    set_env("ENIGMA_REQUEST_TIMEOUT", Some("abc"));
    set_env("ENIGMA_BASE_URL", Some("not a url"));
    let settings = ClientSettings {
        request_timeout: Some(Duration::from_secs(5)),
        base_url: Some("http://127.0.0.1:9".to_owned()),
        ..ClientSettings::default()
    };
    let client = Client::builder().settings(settings).build().expect("settings given win over bad variables");
    assert_eq!(client.config().request_timeout, Duration::from_secs(5));
    assert_eq!(client.config().base_url.as_str(), "http://127.0.0.1:9/");
}
