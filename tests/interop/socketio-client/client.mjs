// Drives the simulator with the OFFICIAL socket.io-client v4:
//   node client.mjs <simulator URL>     (or ENIGMA_BASE_URL / SIM_URL)
// Starts a session over REST, connects with `auth: {sessionId}` over the websocket transport,
// sends a newTask as a socket `message`, and waits for its `task_completed` event.
// Exit 0 on success; 1 on connect_error, a failed task or a timeout. Prints what it saw.
import { io } from "socket.io-client";

const base = (process.argv[2] || process.env.SIM_URL || process.env.ENIGMA_BASE_URL || "").replace(/\/+$/, "");
const timeoutMs = Number(process.env.TIMEOUT_MS || 20000);
// TRANSPORTS=polling,websocket tries the client's default (long-polling, then upgrade).
const transports = (process.env.TRANSPORTS || "websocket").split(",");
if (!base) {
  console.error("usage: node client.mjs <simulator URL>");
  process.exit(2);
}

function fail(why) {
  console.log(`FAIL ${why}`);
  process.exit(1);
}

const timer = setTimeout(() => fail(`timeout after ${timeoutMs} ms`), timeoutMs);

const response = await fetch(`${base}/start/start-session`, {
  method: "POST",
  headers: { "Content-Type": "application/json", Authorization: "Bearer enig_interopclient000000000000000" },
  body: JSON.stringify({}),
});
const session = await response.json();
console.log(`start-session ${response.status} ${JSON.stringify(session)}`);
if (!response.ok || !session.sessionId) fail("no session");

const socket = io(session.socketURL || base, {
  auth: { sessionId: session.sessionId },
  transports,
  reconnection: false,
});

socket.on("connect_error", (err) => fail(`connect_error: ${err.message}`));
socket.on("connect", () => {
  console.log(`connect ${socket.id} over ${socket.io.engine.transport.name}`);
  socket.emit("message", {
    actionType: "newTask",
    newState: "start",
    taskDetails: "Search for wireless keyboards",
  });
});
for (const name of ["end_session", "instance:disconnected", "instance:reconnected"]) {
  socket.on(name, (data) => console.log(`${name} ${JSON.stringify(data)}`));
}
socket.on("disconnect", (reason) => console.log(`disconnect ${reason}`));
socket.on("message", (data) => {
  console.log(`message ${JSON.stringify(data)}`);
  if (data && (data.type === "error" || data.type === "command_error")) fail(`task error: ${data.error}`);
  if (data && data.type === "task_completed") {
    clearTimeout(timer);
    console.log(`OK task ${data.taskId} completed: ${data.data && data.data.message}`);
    socket.close();
    process.exit(0);
  }
});
