//! Engine.IO v4 and Socket.IO v5 (the wire protocol of Socket.IO 4.x) packet codec.
//!
//! Pure functions, no I/O: everything here is fed untrusted server text, so every
//! parse path returns a [`PacketError`] instead of panicking.
//!
//! Engine.IO over WebSocket carries exactly one packet per text frame:
//! `<type digit><data>`, e.g. `0{"sid":..}` (open), `2` (ping), `4<socket.io packet>`.
//! A Socket.IO packet is `<type digit>[<attachments>-][<namespace>,][<ack id>][<json>]`.

use std::time::Duration;

use serde::Deserialize;
use serde_json::Value;

/// Why a frame could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum PacketError {
    #[error("empty packet")]
    Empty,
    #[error("unknown {layer} packet type {ty:?}")]
    UnknownType { layer: &'static str, ty: char },
    #[error("invalid {what}: {detail}")]
    Invalid { what: &'static str, detail: String },
}

fn invalid(what: &'static str, detail: impl ToString) -> PacketError {
    PacketError::Invalid { what, detail: detail.to_string() }
}

/// Contents of the Engine.IO open packet (`0{...}`), sent by the server first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OpenPacket {
    pub sid: String,
    pub upgrades: Vec<String>,
    pub ping_interval: Duration,
    pub ping_timeout: Duration,
    /// Only meaningful for HTTP long-polling; kept for logging.
    pub max_payload: u64,
}

/// Raw shape of the open JSON; converted into [`OpenPacket`] so the rest of the
/// client deals in `Duration`s.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OpenJson {
    sid: String,
    #[serde(default)]
    upgrades: Vec<String>,
    ping_interval: u64,
    ping_timeout: u64,
    #[serde(default)]
    max_payload: u64,
}

/// One Engine.IO packet (one WebSocket text frame).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum EnginePacket {
    Open(OpenPacket),
    Close,
    /// Server heartbeat; data is `"probe"` only during transport upgrades.
    Ping(String),
    Pong(String),
    /// Payload is a Socket.IO packet.
    Message(String),
    Upgrade,
    Noop,
}

impl EnginePacket {
    /// Decodes one text frame.
    pub(crate) fn parse(frame: &str) -> Result<Self, PacketError> {
        let mut chars = frame.chars();
        let ty = chars.next().ok_or(PacketError::Empty)?;
        let data = chars.as_str();
        Ok(match ty {
            '0' => {
                let open: OpenJson = serde_json::from_str(data).map_err(|e| invalid("open packet", e))?;
                EnginePacket::Open(OpenPacket {
                    sid: open.sid,
                    upgrades: open.upgrades,
                    ping_interval: Duration::from_millis(open.ping_interval),
                    ping_timeout: Duration::from_millis(open.ping_timeout),
                    max_payload: open.max_payload,
                })
            }
            '1' => EnginePacket::Close,
            '2' => EnginePacket::Ping(data.to_owned()),
            '3' => EnginePacket::Pong(data.to_owned()),
            '4' => EnginePacket::Message(data.to_owned()),
            '5' => EnginePacket::Upgrade,
            '6' => EnginePacket::Noop,
            other => {
                return Err(PacketError::UnknownType { layer: "engine.io", ty: other });
            }
        })
    }

    /// Encodes into the text of one WebSocket frame.
    pub(crate) fn encode(&self) -> String {
        match self {
            EnginePacket::Open(open) => {
                let json = serde_json::json!({
                    "sid": open.sid,
                    "upgrades": open.upgrades,
                    "pingInterval": open.ping_interval.as_millis() as u64,
                    "pingTimeout": open.ping_timeout.as_millis() as u64,
                    "maxPayload": open.max_payload,
                });
                format!("0{json}")
            }
            EnginePacket::Close => "1".to_owned(),
            EnginePacket::Ping(data) => format!("2{data}"),
            EnginePacket::Pong(data) => format!("3{data}"),
            EnginePacket::Message(data) => format!("4{data}"),
            EnginePacket::Upgrade => "5".to_owned(),
            EnginePacket::Noop => "6".to_owned(),
        }
    }
}

/// The default (and only used) namespace.
pub(crate) const ROOT_NSP: &str = "/";

/// One Socket.IO packet (the payload of an Engine.IO message).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum SioPacket {
    /// Client → server: auth payload (or none). Server → client: `{"sid": ...}`.
    Connect {
        nsp: String,
        data: Option<Value>,
    },
    Disconnect {
        nsp: String,
    },
    /// `args[0]` is the event name on the wire; here it is split out.
    Event {
        nsp: String,
        id: Option<u64>,
        name: String,
        args: Vec<Value>,
    },
    Ack {
        nsp: String,
        id: u64,
        args: Vec<Value>,
    },
    /// v5 sends `{"message", "data"?}`; v4-era servers sent a bare string.
    ConnectError {
        nsp: String,
        data: Value,
    },
    /// BINARY_EVENT / BINARY_ACK: the JSON part only. The binary attachments
    /// follow as separate frames; this client does not reassemble them.
    Binary {
        nsp: String,
        attachments: u64,
        is_ack: bool,
    },
}

impl SioPacket {
    /// Decodes the payload of an Engine.IO `4` packet.
    pub(crate) fn parse(text: &str) -> Result<Self, PacketError> {
        let mut chars = text.chars();
        let ty = chars.next().ok_or(PacketError::Empty)?;
        let mut rest = chars.as_str();

        let attachments = if matches!(ty, '5' | '6') {
            let (count, after) =
                rest.split_once('-').ok_or_else(|| invalid("binary packet", "missing attachment count"))?;
            rest = after;
            Some(count.parse::<u64>().map_err(|e| invalid("attachment count", e))?)
        } else {
            None
        };

        // A namespace other than "/" always starts with '/' and ends at ','.
        let nsp = if rest.starts_with('/') {
            match rest.split_once(',') {
                Some((nsp, after)) => {
                    rest = after;
                    nsp.to_owned()
                }
                None => {
                    // `41/admin` (disconnect with no payload) has no trailing comma.
                    let nsp = rest.to_owned();
                    rest = "";
                    nsp
                }
            }
        } else {
            ROOT_NSP.to_owned()
        };

        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let id = if digits > 0 {
            let (num, after) = rest.split_at(digits);
            rest = after;
            Some(num.parse::<u64>().map_err(|e| invalid("ack id", e))?)
        } else {
            None
        };

        let data: Option<Value> = if rest.is_empty() {
            None
        } else {
            Some(serde_json::from_str(rest).map_err(|e| invalid("packet json", e))?)
        };

        match ty {
            '0' => Ok(SioPacket::Connect { nsp, data }),
            '1' => Ok(SioPacket::Disconnect { nsp }),
            '2' => {
                let (name, args) = split_event(data)?;
                Ok(SioPacket::Event { nsp, id, name, args })
            }
            '3' => {
                let id = id.ok_or_else(|| invalid("ack", "missing ack id"))?;
                let args = match data {
                    Some(Value::Array(args)) => args,
                    _ => return Err(invalid("ack", "payload is not an array")),
                };
                Ok(SioPacket::Ack { nsp, id, args })
            }
            '4' => Ok(SioPacket::ConnectError { nsp, data: data.unwrap_or(Value::Null) }),
            '5' | '6' => Ok(SioPacket::Binary { nsp, attachments: attachments.unwrap_or(0), is_ack: ty == '6' }),
            other => Err(PacketError::UnknownType { layer: "socket.io", ty: other }),
        }
    }

    /// Encodes into the payload of an Engine.IO `4` packet (without the `4`).
    pub(crate) fn encode(&self) -> String {
        fn nsp_prefix(nsp: &str, has_more: bool) -> String {
            if nsp == ROOT_NSP || nsp.is_empty() {
                String::new()
            } else if has_more {
                format!("{nsp},")
            } else {
                nsp.to_owned()
            }
        }
        match self {
            SioPacket::Connect { nsp, data } => match data {
                Some(data) => format!("0{}{data}", nsp_prefix(nsp, true)),
                None => format!("0{}", nsp_prefix(nsp, false)),
            },
            SioPacket::Disconnect { nsp } => format!("1{}", nsp_prefix(nsp, false)),
            SioPacket::Event { nsp, id, name, args } => {
                let mut all = Vec::with_capacity(args.len() + 1);
                all.push(Value::String(name.clone()));
                all.extend(args.iter().cloned());
                let id = id.map(|id| id.to_string()).unwrap_or_default();
                format!("2{}{id}{}", nsp_prefix(nsp, true), Value::Array(all))
            }
            SioPacket::Ack { nsp, id, args } => {
                format!("3{}{id}{}", nsp_prefix(nsp, true), Value::Array(args.clone()))
            }
            SioPacket::ConnectError { nsp, data } => {
                format!("4{}{data}", nsp_prefix(nsp, true))
            }
            SioPacket::Binary { nsp, attachments, is_ack } => {
                // Only used for completeness/tests: placeholder-free header.
                let ty = if *is_ack { '6' } else { '5' };
                format!("{ty}{attachments}-{}", nsp_prefix(nsp, false))
            }
        }
    }

    /// Convenience: an EVENT on the root namespace, no ack requested.
    pub(crate) fn event(name: &str, payload: Value) -> Self {
        SioPacket::Event { nsp: ROOT_NSP.to_owned(), id: None, name: name.to_owned(), args: vec![payload] }
    }
}

/// EVENT data must be a non-empty array whose first element is the name.
fn split_event(data: Option<Value>) -> Result<(String, Vec<Value>), PacketError> {
    let Some(Value::Array(mut args)) = data else {
        return Err(invalid("event", "payload is not an array"));
    };
    if args.is_empty() {
        return Err(invalid("event", "missing event name"));
    }
    match args.remove(0) {
        Value::String(name) => Ok((name, args)),
        other => Err(invalid("event", format!("event name is not a string: {other}"))),
    }
}

/// Splits a CONNECT_ERROR payload into (message, data) for both the v5 object
/// form and the legacy bare-string form.
pub(crate) fn connect_error_parts(data: Value) -> (String, Option<Value>) {
    match data {
        Value::String(message) => (message, None),
        Value::Object(mut map) => {
            let message = match map.remove("message") {
                Some(Value::String(m)) => m,
                Some(other) => other.to_string(),
                None => "connect_error".to_owned(),
            };
            (message, map.remove("data"))
        }
        Value::Null => ("connect_error".to_owned(), None),
        other => (other.to_string(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn engine_open_parses() {
        let p = EnginePacket::parse(
            r#"0{"sid":"abc","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}"#,
        )
        .unwrap();
        let EnginePacket::Open(open) = &p else { panic!("not open: {p:?}") };
        assert_eq!(open.sid, "abc");
        assert_eq!(open.ping_interval, Duration::from_millis(25000));
        assert_eq!(open.ping_timeout, Duration::from_millis(20000));
        assert_eq!(open.max_payload, 1_000_000);
        // Round trip through encode.
        assert_eq!(EnginePacket::parse(&p.encode()).unwrap(), p);
    }

    #[test]
    fn engine_open_tolerates_missing_optional_fields() {
        let p = EnginePacket::parse(r#"0{"sid":"x","pingInterval":1,"pingTimeout":2}"#).unwrap();
        assert!(matches!(p, EnginePacket::Open(o) if o.upgrades.is_empty() && o.max_payload == 0));
    }

    #[test]
    fn engine_simple_packets_round_trip() {
        let cases = [
            ("1", EnginePacket::Close),
            ("2", EnginePacket::Ping(String::new())),
            ("2probe", EnginePacket::Ping("probe".into())),
            ("3", EnginePacket::Pong(String::new())),
            ("3probe", EnginePacket::Pong("probe".into())),
            ("440", EnginePacket::Message("40".into())),
            ("5", EnginePacket::Upgrade),
            ("6", EnginePacket::Noop),
        ];
        for (text, packet) in cases {
            assert_eq!(EnginePacket::parse(text).unwrap(), packet, "{text}");
            assert_eq!(packet.encode(), text);
        }
    }

    #[test]
    fn engine_malformed_is_error() {
        assert_eq!(EnginePacket::parse(""), Err(PacketError::Empty));
        assert!(matches!(EnginePacket::parse("7"), Err(PacketError::UnknownType { ty: '7', .. })));
        assert!(matches!(EnginePacket::parse("é"), Err(PacketError::UnknownType { .. })));
        for bad in ["0", "0{", "0{}", r#"0{"sid":1,"pingInterval":1,"pingTimeout":1}"#, "0[]"] {
            assert!(EnginePacket::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn sio_connect() {
        let p = SioPacket::Connect { nsp: "/".into(), data: Some(json!({"sessionId": "s1"})) };
        assert_eq!(p.encode(), r#"0{"sessionId":"s1"}"#);
        assert_eq!(SioPacket::parse(&p.encode()).unwrap(), p);

        let ack = SioPacket::parse(r#"0{"sid":"xyz"}"#).unwrap();
        assert_eq!(ack, SioPacket::Connect { nsp: "/".into(), data: Some(json!({"sid": "xyz"})) });

        let bare = SioPacket::Connect { nsp: "/".into(), data: None };
        assert_eq!(bare.encode(), "0");
        assert_eq!(SioPacket::parse("0").unwrap(), bare);

        let admin = SioPacket::Connect { nsp: "/admin".into(), data: Some(json!({"a": 1})) };
        assert_eq!(admin.encode(), r#"0/admin,{"a":1}"#);
        assert_eq!(SioPacket::parse(&admin.encode()).unwrap(), admin);
    }

    #[test]
    fn sio_disconnect() {
        let p = SioPacket::Disconnect { nsp: "/".into() };
        assert_eq!(p.encode(), "1");
        assert_eq!(SioPacket::parse("1").unwrap(), p);
        let admin = SioPacket::Disconnect { nsp: "/admin".into() };
        assert_eq!(admin.encode(), "1/admin");
        assert_eq!(SioPacket::parse("1/admin").unwrap(), admin);
        assert_eq!(SioPacket::parse("1/admin,").unwrap(), admin);
    }

    #[test]
    fn sio_event() {
        let p = SioPacket::event("message", json!({"type": "agent", "content": "hi"}));
        assert_eq!(p.encode(), r#"2["message",{"content":"hi","type":"agent"}]"#);
        assert_eq!(SioPacket::parse(&p.encode()).unwrap(), p);

        let named = SioPacket::parse(r#"2["instance:disconnected",{"gracePeriod":300000}]"#).unwrap();
        assert_eq!(
            named,
            SioPacket::Event {
                nsp: "/".into(),
                id: None,
                name: "instance:disconnected".into(),
                args: vec![json!({"gracePeriod": 300000})],
            }
        );

        let no_args = SioPacket::parse(r#"2["ping"]"#).unwrap();
        assert!(matches!(no_args, SioPacket::Event { ref args, .. } if args.is_empty()));

        let with_id = SioPacket::parse(r#"2/chat,12["m",1,2]"#).unwrap();
        assert_eq!(
            with_id,
            SioPacket::Event { nsp: "/chat".into(), id: Some(12), name: "m".into(), args: vec![json!(1), json!(2)] }
        );
        assert_eq!(with_id.encode(), r#"2/chat,12["m",1,2]"#);
    }

    #[test]
    fn sio_ack() {
        let p = SioPacket::parse(r#"35["ok"]"#).unwrap();
        assert_eq!(p, SioPacket::Ack { nsp: "/".into(), id: 5, args: vec![json!("ok")] });
        assert_eq!(p.encode(), r#"35["ok"]"#);
        assert!(SioPacket::parse(r#"3["ok"]"#).is_err());
        assert!(SioPacket::parse(r#"35{"ok":1}"#).is_err());
    }

    #[test]
    fn sio_connect_error() {
        let p = SioPacket::parse(r#"4{"message":"Session unknown does not exist","data":{"code":1}}"#).unwrap();
        let SioPacket::ConnectError { data, .. } = p.clone() else { panic!("{p:?}") };
        assert_eq!(connect_error_parts(data), ("Session unknown does not exist".to_owned(), Some(json!({"code": 1}))));
        assert_eq!(SioPacket::parse(&p.encode()).unwrap(), p);

        // Legacy string form and no payload at all.
        let SioPacket::ConnectError { data, .. } = SioPacket::parse(r#"4"nope""#).unwrap() else { panic!() };
        assert_eq!(connect_error_parts(data), ("nope".to_owned(), None));
        let SioPacket::ConnectError { data, .. } = SioPacket::parse("4").unwrap() else { panic!() };
        assert_eq!(connect_error_parts(data).0, "connect_error");
    }

    #[test]
    fn sio_binary_header() {
        let p = SioPacket::parse(r#"51-["file",{"_placeholder":true,"num":0}]"#).unwrap();
        assert_eq!(p, SioPacket::Binary { nsp: "/".into(), attachments: 1, is_ack: false });
        let ack = SioPacket::parse(r#"62-/x,7[{"_placeholder":true,"num":0}]"#).unwrap();
        assert_eq!(ack, SioPacket::Binary { nsp: "/x".into(), attachments: 2, is_ack: true });
        assert_eq!(SioPacket::parse(&ack.encode()).unwrap(), ack);
        assert!(SioPacket::parse(r#"5["no count"]"#).is_err());
        assert!(SioPacket::parse(r#"5x-["bad count"]"#).is_err());
    }

    #[test]
    fn sio_malformed_is_error() {
        let bad = [
            "",
            "7",
            "x",
            "2",
            "2{}",
            "2[]",
            r#"2[1,2]"#,
            r#"2["unterminated"#,
            "0{not json",
            "299999999999999999999999[\"a\"]",
            "2/nsp,",
        ];
        for text in bad {
            assert!(SioPacket::parse(text).is_err(), "{text:?} should fail");
        }
    }

    #[test]
    fn never_panics_on_garbage() {
        // Cheap fuzz: every prefix of a few tricky inputs, plus odd unicode.
        let seeds = [
            r#"0{"sid":"abc","upgrades":[],"pingInterval":25000,"pingTimeout":20000}"#,
            r#"42/admin,17["message",{"type":"é✓"}]"#,
            r#"451-/x,3["a",{"_placeholder":true,"num":0}]"#,
            "4\u{0}\u{ffff}😀",
        ];
        for seed in seeds {
            for end in (0..=seed.len()).filter(|i| seed.is_char_boundary(*i)) {
                let prefix = &seed[..end];
                let _ = EnginePacket::parse(prefix);
                if let Some(rest) = prefix.get(1..) {
                    let _ = SioPacket::parse(rest);
                }
                let _ = SioPacket::parse(prefix);
            }
        }
    }
}
