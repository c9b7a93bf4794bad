// Interop server for the Rust Socket.IO client (crates/enigma/src/live/socketio).
//
// Uses the OFFICIAL `socket.io` v4 server so the client is checked against the
// real protocol implementation, not against our own understanding of it.
// It mimics the Enigma service API (docs: enigma-api.md §4):
//   - handshake `auth: {sessionId}`; "unknown" is rejected with connect_error;
//     "oneshot" is accepted once and rejected on every later attempt (lets the
//     test exercise "connect_error during reconnection stops reconnecting").
//   - on connection, emits one of each documented server event, in order.
//   - echoes every `message` back as `{type:"echo", received: <payload>}`.
//   - test controls via `message` payloads:
//       {actionType:"dropme"} -> socket.conn.close()  (transport loss, client must reconnect)
//       {actionType:"kickme"} -> socket.disconnect(true) (server disconnect, no reconnect)
//
// Protocol for the test harness: prints `listening <port>` once on stdout, then
// one line per lifecycle event (`connect <sessionId>`, `disconnect <sessionId> <reason>`).
// Short heartbeat (env PING_INTERVAL / PING_TIMEOUT, ms) so the tests also
// exercise the client's pong replies.
// With env TLS=1 it serves https/wss using tls/server.pem (for 127.0.0.1 and
// localhost), signed by the test-only CA tls/ca.pem, so the client's
// "extra root CA" option is exercised too.
"use strict";

const fs = require("fs");
const http = require("http");
const https = require("https");
const path = require("path");
const { Server } = require("socket.io");

const pingInterval = Number(process.env.PING_INTERVAL || 300);
const pingTimeout = Number(process.env.PING_TIMEOUT || 400);

const httpServer =
  process.env.TLS === "1"
    ? https.createServer({
        cert: fs.readFileSync(path.join(__dirname, "tls", "server.pem")),
        key: fs.readFileSync(path.join(__dirname, "tls", "server.key")),
      })
    : http.createServer();
const io = new Server(httpServer, {
  transports: ["websocket"],
  pingInterval,
  pingTimeout,
});

const seenOneshot = new Set();

io.use((socket, next) => {
  const sessionId = socket.handshake.auth && socket.handshake.auth.sessionId;
  if (typeof sessionId !== "string" || sessionId === "unknown") {
    return next(new Error(`Session ${sessionId} does not exist`));
  }
  if (sessionId === "oneshot") {
    if (seenOneshot.has(sessionId)) {
      return next(new Error(`Session ${sessionId} does not exist`));
    }
    seenOneshot.add(sessionId);
  }
  next();
});

// One of each event documented in enigma-api.md §4, plus an unknown type.
function initialEvents(sessionId) {
  const taskId = "task-1";
  return [
    ["message", { type: "agent", content: "thinking about " + sessionId, taskId }],
    ["message", { type: "action", data: { name: "click_element", target: "search button" }, taskId }],
    ["message", { type: "response_update", data: { message: "half way" }, taskId }],
    [
      "message",
      {
        type: "task_completed",
        taskId,
        data: {
          message: "done",
          prompt_tokens: 10,
          completion_tokens: 5,
          total_tokens: 15,
          completion_time: 1.5,
        },
        usage: { cost: 0.0123 },
      },
    ],
    ["message", { type: "guardrail_trigger", data: { type: "human_input_needed", value: "need a password" }, taskId }],
    ["message", { type: "error", error: "something failed", code: "SOME_CODE", taskId }],
    ["message", { type: "mystery", weird: [1, 2, 3] }],
    ["instance:disconnected", { type: "instance:disconnected", message: "instance lost", gracePeriod: 300000 }],
    ["instance:reconnected", { type: "instance:reconnected", message: "instance back" }],
    ["end_session", { type: "end_session", reason: "completed", message: "bye" }],
  ];
}

io.on("connection", (socket) => {
  const sessionId = socket.handshake.auth.sessionId;
  console.log(`connect ${sessionId}`);

  for (const [name, payload] of initialEvents(sessionId)) {
    socket.emit(name, payload);
  }

  socket.on("message", (payload) => {
    const actionType = payload && payload.actionType;
    if (actionType === "dropme") {
      // Abrupt transport close: no Socket.IO DISCONNECT packet is sent.
      socket.conn.close();
      return;
    }
    if (actionType === "kickme") {
      // Proper server-side disconnect: sends `41` then closes.
      socket.disconnect(true);
      return;
    }
    socket.emit("message", { type: "echo", received: payload });
  });

  socket.on("disconnect", (reason) => {
    console.log(`disconnect ${sessionId} ${reason}`);
  });
});

httpServer.listen(0, "127.0.0.1", () => {
  console.log(`listening ${httpServer.address().port}`);
});

// Die with the test process: the harness closes our stdin when it is done
// (also covers a crashed test that never reaches its cleanup).
process.stdin.on("end", () => process.exit(0));
process.stdin.on("error", () => process.exit(0));
process.stdin.resume();
