// The "Control Flow Example" of the service's session-control page
// (shared/seed/session-control-commands.txt), verbatim except for BASE and API_KEY, which come
// from the environment. Run against the simulator by crates/enigma-cli/tests/seed_example.rs
// with Node's built-in fetch: it proves the simulator answers real clients as the service does.
const API_KEY = process.env.ENIGMA_API_KEY;
const BASE = process.env.ENIGMA_BASE_URL;
async function controlFlowDemo() {
// Create session
const session = await fetch(`${BASE}/start/start-session`, {
method: "POST",
headers: {
"Content-Type": "application/json",
"Authorization": `Bearer ${API_KEY}`
},
body: JSON.stringify({
taskDetails: "Go to amazon.com",
startingUrl: "https://amazon.com"
})
}).then(r => r.json());
const sessionId = session.sessionId;
// Start a task
const task = await sendMessage(sessionId, {
actionType: "newTask",
newState: "start",
taskDetails: "Search for 'mechanical keyboard'"
});
// Wait a bit, then pause to inspect
await new Promise(r => setTimeout(r, 5000));
await sendMessage(sessionId, { actionType: "state", newState: "pause" });
console.log("Task paused for inspection");
// Check something (e.g., video stream, task status)
await new Promise(r => setTimeout(r, 3000));
// Decision point
const shouldContinue = true; // Your logic here
if (shouldContinue) {
// Resume the task
await sendMessage(sessionId, { actionType: "state", newState: "resume" });
console.log("Task resumed");
// Wait for completion
await pollForResult(sessionId, task.taskId);
} else {
// Stop and try something different
await sendMessage(sessionId, { actionType: "state", newState: "stop" });
console.log("Task stopped");
// Start different task
await sendMessage(sessionId, {
actionType: "newTask",
newState: "start",
taskDetails: "Navigate to homepage instead"
});
}
// Terminate when done
await sendMessage(sessionId, { actionType: "state", newState: "terminate" });
console.log("Session terminated");
}
async function sendMessage(sessionId, message) {
return fetch(`${BASE}/start/send-message`, {
method: "POST",
headers: {
"Content-Type": "application/json",
"Authorization": `Bearer ${API_KEY}`
},
body: JSON.stringify({ sessionId, message })
}).then(r => r.json());
}
async function pollForResult(sessionId, taskId) {
const maxAttempts = 60;
const interval = 2000;
for (let i = 0; i < maxAttempts; i++) {
const res = await fetch(`${BASE}/task/${sessionId}/${taskId}`, {
headers: { "Authorization": `Bearer ${API_KEY}` }
});
const data = await res.json();
if (data.type === "task_completed") return data;
if (data.type === "guardrail_trigger") throw new Error(`Guardrail: ${data.data.value}`);
if (data.status === "failed") throw new Error(data.error);
if (data.pending) {
await new Promise(r => setTimeout(r, interval));
continue;
}
return data;
}
throw new Error("Polling timeout");
}
controlFlowDemo();
