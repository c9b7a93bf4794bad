/// <reference path="./disposable.d.ts" />
/**
 * enigma-click: the Node.js SDK of [Enigma](https://enigma.click), a hosted service where an AI
 * agent drives a real browser. Open a {@link Session}, give it tasks in plain language, pause,
 * resume, stop or terminate it, and collect {@link TaskResult}s. A thin layer over the Rust core.
 *
 * ```js
 * import { Client } from 'enigma-click'
 * const client = new Client()                      // ENIGMA_API_KEY / ENIGMA_BASE_URL
 * const result = await client.withSession({ startingUrl: 'https://amazon.com' }, async (session) => {
 *   const task = await session.newTask({ taskDetails: "Search for 'mechanical keyboard'" })
 *   return task.result({ timeoutMs: 120_000, maxCost: 0.5 })
 * })                                               // the session is terminated here, always
 * ```
 *
 * Durations are milliseconds where the name ends in `Ms`; costs are USD.
 * @packageDocumentation
 */

/**
 * Client settings: the core's list (native `optionFields().client`, the same in Rust and
 * Python), plus Node's own `handleSignals` and `terminateOnExit`. Unset ones come from
 * `ENIGMA_*` environment variables, then the defaults.
 */
export interface ClientOptions {
  /** The API key (`enig_…`). Default: `ENIGMA_API_KEY`. Never printed or serialised. */
  apiKey?: string
  /** The service's base URL. Default: `ENIGMA_BASE_URL`, else `https://connect.enigma.click`. */
  baseUrl?: string
  /** Whole-request timeout (default: `ENIGMA_REQUEST_TIMEOUT` seconds, or 75 000 ms, above the service's 50 s inline wait). */
  requestTimeoutMs?: number
  /** Connect timeout (default 10 000 ms). */
  connectTimeoutMs?: number
  /** Retries of requests that are safe to retry (default: `ENIGMA_MAX_RETRIES`, or 2). Creates are never blindly resent. */
  maxRetries?: number
  /** First delay between retries (default 500 ms); doubled each retry, with jitter, up to `retryBackoffMaxMs`. */
  retryBackoffMs?: number
  /** Longest delay between retries the SDK chooses itself (default 30 000 ms). */
  retryBackoffMaxMs?: number
  /** Longest `Retry-After` waited out before a retry (default: `ENIGMA_RETRY_AFTER_MAX` seconds, or 60 000 ms); past it the error comes at once with `retryAfter`. */
  retryAfterMaxMs?: number
  /** Most bytes read of one answer (default: `ENIGMA_MAX_RESPONSE_BYTES`, or 16 MiB); past it the answer is a `decode` error. */
  maxResponseBytes?: number
  /** Default poll interval of waits (default: `ENIGMA_POLL_INTERVAL` seconds, or 2 000 ms). */
  pollIntervalMs?: number
  /** Allow sending the key over plain `http://` to a non-loopback host (default false). */
  allowInsecureHttp?: boolean
  /** Extra trusted root certificates (PEM), e.g. a corporate proxy's CA (`ENIGMA_CA_BUNDLE` names a file). */
  extraRootCaPem?: string
  /** Use the Socket.IO connection for waits and commands (default true; `ENIGMA_LIVE_EVENTS=0` turns it off). */
  liveEvents?: boolean
  /** Prepended to the User-Agent (default `enigma-node/<version>`). */
  userAgentPrefix?: string
  /** The session ledger's file, or `'off'` (default: `ENIGMA_LEDGER`, else the user's state directory). */
  ledger?: string
  /**
   * While this client has sessions open or a call that opens one running, SIGINT and SIGTERM
   * first end them (within 5 s), then the process exits as the signal would have ended it; with
   * listeners of your own on the signal, the exit is left to them. Default true;
   * `ENIGMA_HANDLE_SIGNALS=0` turns the default off. See the README's "Signals".
   */
  handleSignals?: boolean
  /**
   * Terminate the sessions this client still has open when `close()` is called, and when the
   * process runs out of work (`beforeExit`; not on `process.exit()` or a crash). Default false:
   * they stay open, as in Python (`terminate_on_exit`).
   */
  terminateOnExit?: boolean
}

/** The configuration a client uses; the key only in redacted form. */
export interface ClientConfig {
  baseUrl: string
  /** Redacted (`enig_…[redacted]`), or null without a key. */
  apiKey: string | null
  requestTimeoutMs: number
  connectTimeoutMs: number
  maxRetries: number
  retryBackoffMs: number
  retryBackoffMaxMs: number
  retryAfterMaxMs: number
  maxResponseBytes: number
  pollIntervalMs: number
  allowInsecureHttp: boolean
  /** The extra root certificates given (PEM), or null. */
  extraRootCaPem: string | null
  liveEvents: boolean
  userAgentPrefix: string | null
  /** The session ledger's file, `'off'`, or null for the default place. */
  ledger: string | null
}

/** Options every waiting call takes. */
export interface Abortable {
  /** Aborting rejects the call with {@link AbortError} at once and drops its native work. */
  signal?: AbortSignal
}

/** Options of a new session (`POST /start/start-session`). Every field is optional. */
export interface SessionOptions extends Abortable {
  /** An initial task that starts at once (its handle is {@link Session.initialTask}). */
  taskDetails?: string
  /** The http(s) URL the browser opens first. */
  startingUrl?: string
  /** Session lifetime in ms, 1..300 000 (service default 300 000). */
  maxDuration?: number
  /** Input token budget (service default 100 000). */
  maxInputTokens?: number
  /** Output token budget (service default 100 000). */
  maxOutputTokens?: number
  /** Domains the agent must not visit. */
  avoidDomains?: string[]
  /** End the session after its first task. */
  terminateOnCompletion?: boolean
  /** Use the live connection for this session's waits, commands and events; overrides the client's `liveEvents` (false: REST only). */
  liveEvents?: boolean
}

/** Options of a new task (`newTask`). */
export interface TaskOptions extends Abortable {
  /** What the agent should do (required, non-empty). */
  taskDetails: string
  /** Task time limit in ms, 1..300 000. */
  maxDuration?: number
  maxInputTokens?: number
  maxOutputTokens?: number
  /** An http(s) URL to open first. */
  startingUrl?: string
  avoidDomains?: string[]
  /** End the session after this task. */
  terminateOnCompletion?: boolean
}

/** How to wait for a result. */
export interface WaitOptions extends Abortable {
  /** Give up after this long with {@link WaitTimeout} (the task goes on). Default: no limit. */
  timeoutMs?: number
  /** Stop the task (and reject with {@link CostLimitExceeded}) when its cost passes this many USD. */
  maxCost?: number
  /** Called with every status polled while waiting (progress displays). Exceptions are ignored. */
  onStatus?: (status: TaskStatus) => void
}

/** Options of {@link Client.runTask}: a session with its (required) task, and how to wait. */
export interface RunTaskOptions extends Omit<SessionOptions, 'taskDetails'>, Omit<WaitOptions, 'onStatus'> {
  /** What the agent should do (required). */
  taskDetails: string
}

/** Tokens, time and cost. Every field is null when the service did not report it. */
export interface Usage {
  /** Cost in USD. */
  cost: number | null
  inputTokens: number | null
  outputTokens: number | null
  totalTokens: number | null
  /** Agent compute time, seconds. */
  computeTime: number | null
  /** Wall time to completion, seconds. */
  completionTime: number | null
}

/** How a wait ended. A failure is not an outcome but a {@link TaskFailedError}. */
export type Outcome = 'completed' | 'guardrail' | 'stopped'

/** The result of a wait: a plain data object (prints fully, serialises with `JSON.stringify`). */
export interface TaskResult {
  outcome: Outcome
  /** The agent's final message (`completed`). */
  message: string | null
  /** The agent's question (`guardrail`): answer it with {@link Session.answerGuardrail} and wait again. */
  question: string | null
  usage: Usage
  taskId: string
  sessionId: string
  /** When it completed (ISO 8601), when the service said. */
  completedAt: string | null
  /** The body the result was read from. */
  raw: any
}

/** Where a task stands. */
export type TaskState = 'running' | 'completed' | 'guardrail' | 'failed' | 'stopped' | 'terminated'

/** One look at a task ({@link Task.poll}). */
export interface TaskStatus {
  state: TaskState
  /** `running` only: the task is paused (or under manual control). */
  paused: boolean
  message: string | null
  question: string | null
  completedAt: string | null
  /** `failed` only: the service's code, e.g. `NAVIGATION_TIMEOUT`. */
  errorCode: string | null
  /** `failed` only: the service's text. */
  error: string | null
  usage: Usage
  raw: any
}

/** What start-session answered. */
export interface SessionInfo {
  socketUrl: string | null
  webViewUrl: string | null
  webRtcUrl: string | null
  dimensions: { width: number; height: number } | null
  initialPrompt: string | null
  /** Lifetime, ms. */
  expiresIn: number | null
  /** Account balance, USD. */
  balance: number | null
  message: string | null
  raw: any
}

/** `GET /start/health`. */
export interface Health {
  status: string
  instancesAvailable: boolean | null
  instanceCount: number | null
  timestamp: string | null
  raw: any
}

/** `GET /start/active-sockets`. */
export interface ActiveSockets {
  sockets: string[]
  count: number
  raw: any
}

/**
 * A session the local ledger saw opened and never saw end (a process that died left it), and
 * what the service said of it ({@link Client.unendedSessions}).
 */
export interface UnendedSession {
  sessionId: string
  /**
   * `open` (it may still bill), `ended`, `terminated` (by this call), `unknown` (the service
   * could not be asked, or a terminate failed) or `other_key_or_host` (opened with another key
   * or base URL: not asked). The same words as Python and `enigma session list`.
   */
  state: 'open' | 'ended' | 'terminated' | 'unknown' | 'other_key_or_host'
  /** When it was opened, Unix time in seconds. */
  openedAt: number
  /** Seconds since it was opened. */
  ageSecs: number
  /** The last 4 characters of the key that opened it. */
  keyLast4: string | null
  /** The base URL it was opened on. */
  baseUrl: string
  /** The process that opened it, and whether a process with that id runs now (null: unknown). */
  pid: number
  processAlive: boolean | null
  /** That process's command line (any API key in it masked). */
  command: string
  /** More about the state: the service's refusal, a terminate's error, a session left alone. */
  detail: string | null
}

/** A batch task: its text, or its text with options and an id (echoed in its item). */
export type TaskSpec =
  | string
  | {
      taskDetails: string
      id?: string | number
      startingUrl?: string
      maxDuration?: number
      maxInputTokens?: number
      maxOutputTokens?: number
      avoidDomains?: string[]
      /** Stop the task when its cost passes this many USD. */
      maxCost?: number
      /** Give up waiting after this long (its session is then terminated). */
      timeoutMs?: number
    }

/** How a batch task ended. */
export type BatchOutcome = 'completed' | 'guardrail' | 'stopped' | 'failed' | 'unknown' | 'skipped'

/** One task's end. */
export interface BatchItem {
  /** The task's index in the input. */
  index: number
  id: string | null
  /** `unknown`: its create's answer was lost (it may have run); never resubmitted unless `retryUnknown`. */
  outcome: BatchOutcome
  message: string | null
  question: string | null
  usage: Usage
  /** What ended it: `code` (`task_failed`, `cost_limit`, `budget`, `outcome_unknown`...), `message`, `serverCode`. */
  error: { code: string; message: string; serverCode?: string } | null
  sessionId: string | null
  taskId: string | null
  timings: { startedAtMs: number; endedAtMs: number; durationSecs: number }
  /** Started by an earlier run (from the journal) and waited on by id. */
  reattached: boolean
}

/** Where a batch stands. */
export interface BatchProgress {
  total: number
  done: number
  failed: number
  running: number
  queued: number
  previouslyDone: number
  spent: number
  budget: number | null
  concurrency: number
  elapsedSecs: number
  /** The wait for the key's rate limit under way (nothing starts before it ends), else null. */
  rateLimitWait: RateLimitWait | null
  /** How many waits for the rate limit began during this batch. */
  rateLimitWaits: number
}

/** A wait for the key's rate limit (the batch pacer's, or a retry after a 429). */
export interface RateLimitWait {
  /** Requests the key may send per window, when the service said. */
  limit: number | null
  /** The window's length, seconds. */
  windowSecs: number
  /** What waits: `creates` or `requests`. */
  what: string
  /** When the next request may go, Unix ms. */
  untilMs: number
  /** What a display shows: `waiting for the rate limit: 10 creates/min, next in 5 s`. */
  message: string
}

/** A batch's end. */
export interface BatchSummary {
  total: number
  outcomes: Record<BatchOutcome, number>
  previouslyDone: number
  notStarted: number
  cancelled: number
  spent: number
  budget: number | null
  budgetReached: boolean
  wasCancelled: boolean
  wallSecs: number
  journalTornLine: number | null
  concurrencyEnd: number
}

/** A guardrail question of a batch task, as `onGuardrail` receives it. */
export interface BatchQuestion {
  /** The task's position in the input. */
  index: number
  /** The task's own `id`, when it has one. */
  id: string | null
  /** The agent's question. */
  question: string
  sessionId: string
  taskId: string
}

/** Options of {@link Client.runMany}. */
export interface BatchOptions extends Abortable {
  /** Sessions at once (default 5, the key's limit); lowered by itself on `SESSION_LIMIT_REACHED`. */
  concurrency?: number
  /** Total USD: when ended plus running tasks' cost reaches it, running tasks stop and no new one starts. */
  budget?: number
  /** A JSONL journal: a rerun with it skips what finished and re-attaches to what ran. */
  journal?: string
  /** Tasks run one after another in one session (default 1). */
  tasksPerSession?: number
  /** Resubmit the tasks the journal shows `unknown`. */
  retryUnknown?: boolean
  /** Run the valid tasks; invalid ones end `skipped`. */
  skipInvalid?: boolean
  /** Answers a question (a string resumes the task); `null` ends it with outcome `guardrail`. */
  onGuardrail?: (question: BatchQuestion) => string | null | undefined | Promise<string | null | undefined>
  /**
   * Called after each item with the progress and the item, and as each wait for the key's rate
   * limit begins with the progress and `null` (`progress.rateLimitWait.message` says it).
   */
  onProgress?: (progress: BatchProgress, item: BatchItem | null) => void
}

/** A running batch: an async iterator of {@link BatchItem}s. */
export declare class BatchRun implements AsyncIterableIterator<BatchItem> {
  [Symbol.asyncIterator](): BatchRun
  next(): Promise<IteratorResult<BatchItem, undefined>>
  /** Cancels the batch and waits until its sessions are terminated. */
  return(value?: unknown): Promise<IteratorResult<BatchItem, undefined>>
  /** The summary once the batch has ended, else null. */
  readonly summary: BatchSummary | null
  /** Where the batch stands (null before the first `next()`). */
  progress(): BatchProgress | null
  /** Stops the batch: no new task starts and every session it opened is terminated. */
  cancel(): void
}

/**
 * The entry point: one connection pool shared by every session and task made from it. Never
 * shows its key in `util.inspect` or JSON; never keeps the process alive.
 */
export declare class Client {
  /** @throws {ValidationError} bad settings; {@link InsecureTransportError} is raised on first use. */
  constructor(options?: ClientOptions)
  /** The service's base URL. */
  readonly baseUrl: string
  /** The configuration in use (key redacted). */
  readonly config: ClientConfig
  /** Whether SIGINT/SIGTERM end this client's open sessions first (option `handleSignals`). */
  readonly handleSignals: boolean
  /** Whether `close()` and the process's natural exit terminate open sessions (option `terminateOnExit`). */
  readonly terminateOnExit: boolean
  /** Starts a session. It bills until it ends: prefer {@link Client.withSession} or `await using`. */
  startSession(options?: SessionOptions): Promise<Session>
  /**
   * Starts a session, runs `work(session)`, and terminates the session afterwards whatever
   * happens: on success, on a throw, and when `options.signal` aborts (then rejects with
   * {@link AbortError} at once, even if `work` ignores the signal).
   */
  withSession<T>(options: SessionOptions, work: (session: Session) => Promise<T> | T): Promise<T>
  withSession<T>(work: (session: Session) => Promise<T> | T): Promise<T>
  /**
   * One-shot: a session that runs one task, ends by itself, and the task's result. Nothing is
   * left open: a `guardrail` outcome ends the session before the promise resolves (the result
   * still holds the `question`, which cannot be answered here: answer questions in a session of
   * your own, with {@link Client.withSession} and `newTask`), and aborting terminates the
   * one-shot session. A string is the task.
   */
  runTask(options: RunTaskOptions | string): Promise<TaskResult>
  /**
   * Runs many tasks under this key, within its limits: `for await (const item of
   * client.runMany(tasks, { concurrency, budget, journal }))`. Items come in completion order,
   * tagged with `index` (and the task's `id`). Bad tasks or options reject the first `next()`
   * with a {@link ValidationError} naming them (`tasks[3]`), before anything is sent. Leaving
   * the loop (`break`) or aborting `signal` cancels the batch and terminates its sessions.
   */
  runMany(tasks: Array<TaskSpec>, options?: BatchOptions): BatchRun
  /** One-shot without waiting: run-task, returning the task to wait on. */
  startTask(options: (SessionOptions & { taskDetails: string }) | string): Promise<Task>
  /** Re-attaches to a session by id (e.g. started in another process). @throws {ValidationError} */
  session(sessionId: string): Session
  /** Re-attaches to a task by ids. @throws {ValidationError} */
  task(sessionId: string, taskId: string): Task
  /** Service health (no key needed). */
  health(options?: Abortable): Promise<Health>
  /** Active instance connections (no key needed). */
  activeSockets(options?: Abortable): Promise<ActiveSockets>
  /**
   * The sessions the local ledger saw opened and never saw end (a process that died left them
   * billing), each checked against the service when opened with this client's key and base URL
   * (the others are `other_key_or_host`). With `terminate: true`, those still open whose process
   * is gone are terminated. The same as `enigma session list [--terminate]`.
   */
  unendedSessions(options?: { terminate?: boolean } & Abortable): Promise<UnendedSession[]>
  /** The session ledger's file (`ENIGMA_LEDGER`, else the user's state directory); null when off. */
  readonly ledgerPath: string | null
  /** Ids of the sessions started through this client and not terminated through it. */
  openSessionIds(): string[]
  /** Terminates every session in {@link Client.openSessionIds}; resolves to the ids that could not be. */
  terminateOpenSessions(): Promise<string[]>
  /**
   * Optional: later calls of the client reject (or throw) with {@link ValidationError} naming
   * `client`, as in Python; handles made before keep working. Open sessions are terminated only
   * with the `terminateOnExit` option (the promise settles once they are); otherwise they stay
   * open (see {@link Client.terminateOpenSessions}, which still works after it). Idempotent.
   */
  close(): Promise<void>
  /** Whether {@link Client.close} was called. */
  readonly closed: boolean
  toJSON(): { baseUrl: string }
}

/** Fields every live event of the agent carries. */
interface TaskEventBase {
  /** The task the event belongs to, when the service named it. */
  taskId: string | null
  /** The Socket.IO payload as received (the service's own spelling). */
  raw: Record<string, unknown>
}

/** The agent's live reasoning (`message` of type `agent`). */
export interface AgentThoughtEvent extends TaskEventBase {
  type: 'agentThought'
  /** The thought. */
  content: string
}

/** A browser action the agent takes (`message` of type `action`). */
export interface ActionEvent extends TaskEventBase {
  type: 'action'
  /** What it does, e.g. `click_element`. */
  name: string
  /** What it acts on, e.g. `search button`. */
  target: string | null
}

/** A progress message (`message` of type `response_update`). */
export interface ResponseUpdateEvent extends TaskEventBase {
  type: 'responseUpdate'
  message: string
}

/** The task finished (`message` of type `task_completed`). */
export interface TaskCompletedEvent extends TaskEventBase {
  type: 'taskCompleted'
  /** The agent's final message. */
  message: string
  /** Usage and cost. */
  usage: Usage
}

/** The agent needs a human (`guardrail_trigger`): answer with {@link Session.answerGuardrail}. */
export interface GuardrailEvent extends TaskEventBase {
  type: 'guardrail'
  /** The agent's question. */
  question: string
}

/** The task failed (`message` of type `error`). */
export interface TaskErrorEvent extends TaskEventBase {
  type: 'taskError'
  /** The service's code, e.g. `NAVIGATION_TIMEOUT`. */
  code: string
  /** The service's text. */
  error: string
}

/** The session ended (`end_session`); the stream ends soon after. */
export interface SessionEndedEvent {
  type: 'sessionEnded'
  /** `completed`, `terminated`, `expired`, `terminateOnCompletion` or `instance_lost`. */
  reason: 'completed' | 'terminated' | 'expired' | 'terminateOnCompletion' | 'instance_lost' | (string & {})
  message: string | null
  raw: Record<string, unknown>
}

/** The browser instance lost its connection (`instance:disconnected`). */
export interface InstanceDisconnectedEvent {
  type: 'instanceDisconnected'
  message: string | null
  /** How long the instance may stay away before the session ends, ms. */
  gracePeriodMs: number | null
  raw: Record<string, unknown>
}

/** The browser instance is back (`instance:reconnected`). */
export interface InstanceReconnectedEvent {
  type: 'instanceReconnected'
  message: string | null
  raw: Record<string, unknown>
}

/**
 * The live connection is (again) up: the first event of a stream that could connect. Events
 * missed while it was down are not replayed.
 */
export interface ConnectedEvent {
  type: 'connected'
}

/** The live connection dropped. */
export interface DisconnectedEvent {
  type: 'disconnected'
  /** Why, in Socket.IO's words (`transport close`, `io server disconnect`...). */
  reason: string
  /** Whether the SDK reconnects (with backoff). */
  willReconnect: boolean
}

/** A reconnection attempt starts. */
export interface ReconnectingEvent {
  type: 'reconnecting'
  /** 1-based attempt number. */
  attempt: number
}

/** The service refused the live connection (e.g. the session no longer exists); the stream ends. */
export interface ConnectErrorEvent {
  type: 'connectError'
  message: string
}

/**
 * This stream was read too slowly: it skipped `missed` events (the oldest unread ones; a stream
 * holds up to 1,024) and goes on with the newest. Waits on tasks are not affected: they check over
 * REST when they may have missed something.
 */
export interface LaggedEvent {
  type: 'lagged'
  /** How many events this stream skipped. */
  missed: number
}

/** An event this SDK does not know, passed through untouched. */
export interface RawEvent {
  type: 'raw'
  /** The Socket.IO event name. */
  name: string
  payload: unknown
}

/**
 * One live event of a session: a plain data object, discriminated by `type` (camelCase forms of
 * the core's event kinds). Switch on `event.type` to narrow it.
 */
export type EnigmaEvent =
  | AgentThoughtEvent
  | ActionEvent
  | ResponseUpdateEvent
  | TaskCompletedEvent
  | GuardrailEvent
  | TaskErrorEvent
  | SessionEndedEvent
  | InstanceDisconnectedEvent
  | InstanceReconnectedEvent
  | ConnectedEvent
  | DisconnectedEvent
  | ReconnectingEvent
  | ConnectErrorEvent
  | LaggedEvent
  | RawEvent

/** Every `type` of {@link EnigmaEvent}. */
export type EnigmaEventType = EnigmaEvent['type']

/**
 * The live events of a session, from {@link Session.events}: an async iterator for
 * `for await (const event of session.events())`. It ends after the session ends; `break` (or
 * `return()`) closes it and drops the native stream, so an abandoned stream never keeps the
 * process alive.
 */
export interface EventStream extends AsyncIterableIterator<EnigmaEvent>, AsyncDisposable {
  /**
   * The next event; `{ done: true }` once the session has ended or the stream was closed.
   * `options.signal` cancels this one call and keeps the stream: no event is lost, the next
   * call gets the event that came meanwhile.
   * @throws {AbortError} when the stream's signal or this call's fired.
   */
  next(options?: Abortable): Promise<IteratorResult<EnigmaEvent, undefined>>
  /** Closes the stream (what `break` calls). */
  return(value?: unknown): Promise<IteratorResult<EnigmaEvent, undefined>>
  /** Whether the stream has ended or was closed. */
  readonly closed: boolean
}

/**
 * A browser session. Sessions bill while open: end them with {@link Session.terminate}, use
 * {@link Client.withSession}, or `await using session = await client.startSession()`.
 */
export declare class Session implements AsyncDisposable {
  private constructor()
  /** The session id (12 lowercase alphanumerics). */
  readonly id: string
  /** The live view page, when known. */
  readonly liveViewUrl: string | null
  /** The start answer; null on a re-attached handle. */
  readonly info: SessionInfo | null
  /** The task started by `taskDetails` at start, when the service named it. */
  readonly initialTask: Task | null
  /** Whether this handle terminated the session. */
  readonly terminated: boolean
  /**
   * The session's live events (over Socket.IO), from the moment the stream connects:
   * `for await (const event of session.events()) { ... }`. Ends after the session ends. Every
   * call gives an independent stream; all of them receive every event.
   * `options.signal` stops it: a pending or later `next()` rejects with {@link AbortError}.
   */
  events(options?: Abortable): EventStream
  /** A handle on a task of this session. @throws {ValidationError} */
  task(taskId: string): Task
  /**
   * Starts a task. One runs at a time; one more may wait queued; a third rejects with
   * {@link TaskAlreadyRunningError}. A string is the task.
   */
  newTask(options: TaskOptions | string): Promise<Task>
  /** Pauses the current task after its current action. */
  pause(options?: Abortable): Promise<void>
  /** Resumes a paused task. */
  resume(options?: Abortable): Promise<void>
  /** Stops the current task; the session stays usable for new tasks. */
  stop(options?: Abortable): Promise<void>
  /** Ends the session (final). Safe to call twice; a session already ended counts as terminated. */
  terminate(): Promise<void>
  /** Takes manual control of the browser (the agent pauses). */
  takeOver(options?: Abortable): Promise<void>
  /** Gives control back to the agent. */
  release(options?: Abortable): Promise<void>
  /** Clicks at window coordinates: x 0–1024, y 155–755 (below the 155 px browser chrome). */
  click(x: number, y: number, options?: Abortable): Promise<void>
  /** Double-clicks at window coordinates. */
  doubleClick(x: number, y: number, options?: Abortable): Promise<void>
  /** Types text, optionally with human-like timing. */
  typeText(text: string, options?: Abortable & { humanLike?: boolean }): Promise<void>
  /** Presses one key: Enter, Escape, Tab, Backspace, Delete, arrows, PageUp/PageDown, Home, End, or one character. */
  pressKey(key: string, options?: Abortable): Promise<void>
  /** Answers a guardrail question: `resume: true` (default) goes on with the answer, `false` ends the task. */
  answerGuardrail(text: string, options?: Abortable & { resume?: boolean }): Promise<void>
  /** Terminates the session (`await using`). */
  [Symbol.asyncDispose](): Promise<void>
  toJSON(): { id: string; liveViewUrl: string | null; terminated: boolean }
}

/** A task of a session: ids plus the client. Re-made from ids with {@link Client.task}. */
export declare class Task {
  private constructor()
  /**
   * The task id; `null` until the service names the task. The service holds the answer to a
   * new task up to 50 s; some services name it earlier, on its first event.
   */
  readonly id: string | null
  /** The task id, once the service names the task (at once if it already did). */
  waitForId(options?: Abortable): Promise<string>
  readonly sessionId: string
  /** A handle on the task's session (re-attached by id). */
  session(): Session
  /** One look at the task. */
  poll(options?: Abortable): Promise<TaskStatus>
  /**
   * Waits for the outcome. Rejects with {@link TaskFailedError} (the agent failed),
   * {@link WaitTimeout} (`timeoutMs` passed; holds this task), {@link CostLimitExceeded} (the
   * task was stopped), {@link SessionEndedError} or {@link AbortError}.
   */
  result(options?: WaitOptions): Promise<TaskResult>
  toJSON(): { id: string | null; sessionId: string }
}

/** The core's stable error codes. */
export type ErrorCode =
  | 'authentication' | 'permission_denied' | 'insufficient_balance' | 'rate_limited' | 'session_limit'
  | 'session_not_found' | 'task_not_found' | 'task_already_running' | 'validation' | 'task_failed'
  | 'wait_timeout' | 'cost_limit' | 'session_ended' | 'connection' | 'server' | 'decode'
  | 'insecure_transport' | 'outcome_unknown' | 'cancelled'

/** Fields an error may carry (all but `code` optional). */
export interface EnigmaErrorFields {
  code?: ErrorCode | string
  status?: number | null
  retryAfter?: number | null
  serverCode?: string | null
  serverMessage?: string | null
  retryable?: boolean
  sessionId?: string | null
  taskId?: string | null
  [extra: string]: unknown
}

/** Base class of every error of the SDK. Subclasses map the core's codes one to one. */
export declare class EnigmaError extends Error {
  constructor(message: string, fields?: EnigmaErrorFields, options?: ErrorOptions)
  /** The core's stable code. */
  readonly code: ErrorCode
  /** HTTP status, for errors the service answered. */
  readonly status: number | null
  /** Seconds the service asked to wait before retrying (`Retry-After`). */
  readonly retryAfter: number | null
  /** The service's own code, e.g. `SESSION_NOT_FOUND` or `NAVIGATION_TIMEOUT`. */
  readonly serverCode: string | null
  /** The service's own text. */
  readonly serverMessage: string | null
  /** Whether trying again later may succeed (the SDK already retried what was safe). */
  readonly retryable: boolean
  /** The session concerned, when the error names one. */
  readonly sessionId: string | null
  /** The task concerned, when the error names one. */
  readonly taskId: string | null
  /** `details` of the error answer (e.g. `{ current, limit }` on a session limit). */
  readonly details?: unknown
  /** The raw error body the service sent. */
  readonly body?: string
  /** The rate-limit headers of the failed response. */
  readonly rateLimit?: { limit: number | null; remaining: number | null; reset: number | null }
}
/** 401: no key, bad, revoked or expired key. */
export declare class AuthenticationError extends EnigmaError {}
/** 403: account deactivated. */
export declare class PermissionDeniedError extends EnigmaError {}
/** 402: balance exhausted or payment failed. */
export declare class InsufficientBalanceError extends EnigmaError {
  /** The account balance, USD. */
  readonly balance?: number
}
/** 429 `RATE_LIMIT_EXCEEDED` (after the SDK's own retries). See `retryAfter`. */
export declare class RateLimitError extends EnigmaError {}
/** 429 `SESSION_LIMIT_REACHED`: too many concurrent sessions. */
export declare class SessionLimitError extends EnigmaError {}
/** 404: the session does not exist or has ended. */
export declare class SessionNotFoundError extends EnigmaError {}
/** 404: no such task. */
export declare class TaskNotFoundError extends EnigmaError {}
/** 409: a task runs and another is already queued. */
export declare class TaskAlreadyRunningError extends EnigmaError {}
/**
 * Bad input. Refused locally, before anything was sent: no `status`, `field` names the option.
 * Or refused by the service (400/422): `status`, `serverCode` and `serverMessage` set, no `field`.
 */
export declare class ValidationError extends EnigmaError {
  /** The offending parameter, Node spelling (local refusals only). */
  readonly field?: string
  /** Why it was refused (local refusals only). */
  readonly reason?: string
}
/** The agent failed the task. */
export declare class TaskFailedError extends EnigmaError {
  readonly usage?: Usage
}
/**
 * The wait's deadline passed; the task goes on: wait on `task` again. From `task.result()`,
 * `task` is that same task; from `runTask`, the task re-attached by its ids, or `null` when the
 * service had not named it yet (its create's answer had not come; `sessionId` is set).
 */
export declare class WaitTimeout extends EnigmaError {
  readonly task: Task | null
  /** How long the wait lasted, whole ms (`waited`: the same in seconds). */
  readonly waitedMs?: number
  readonly waited?: number
}
/** The wait's cost ceiling was passed; the SDK stopped the task (`task`: as on {@link WaitTimeout}). */
export declare class CostLimitExceeded extends EnigmaError {
  readonly task: Task | null
  readonly usage?: Usage
  /** The ceiling, USD. */
  readonly limit?: number
}
/** The session ended (terminated, expired, lost) under the task or before a command. */
export declare class SessionEndedError extends EnigmaError {}
/** The service could not be reached. */
export declare class ConnectionError extends EnigmaError {
  /** Whether the request provably never reached the service. */
  readonly neverSent?: boolean
}
/** 5xx or an unexpected status. */
export declare class ServerError extends EnigmaError {}
/** The service answered something the SDK cannot read. */
export declare class DecodeError extends EnigmaError {}
/** The key would have gone over plain http to a non-loopback host. */
export declare class InsecureTransportError extends EnigmaError {
  readonly url?: string
}
/**
 * A create (session, task) was sent and nothing that came back proves it did not take effect
 * (lost or unreadable answer, a 502/504 or other 5xx but 503): it may have started. Never resent.
 */
export declare class OutcomeUnknownError extends EnigmaError {
  /** `start-session`, `run-task` or `newTask`. */
  readonly operation?: string
}
/** An `AbortSignal` fired: the call was cancelled (code `cancelled`); `cause` is the signal's reason. */
export declare class AbortError extends EnigmaError {}

/** The error class of each core code. */
export declare const errorClasses: Readonly<Record<ErrorCode, typeof EnigmaError>>
/** The package version. */
export declare const version: string

/** One log record of the SDK (from the Rust core). */
export interface LogRecord {
  level: 'error' | 'warn' | 'info' | 'debug' | 'trace'
  /** Where it comes from: `enigma::rest::http`, `enigma::live::socketio::handshake`, ... */
  target: string
  /** The message, then its fields as `key=value` (session and task ids, status, attempt...). */
  message: string
}

/** What {@link setLogger} takes: console-like methods (e.g. `console`, pino, winston), or a function. */
export type Logger =
  | Partial<Record<LogRecord['level'] | 'log', (line: string, record: LogRecord) => void>>
  | ((line: string, record: LogRecord) => void)

/**
 * Sends the SDK's log records (requests, retries, socket (re)connects, classifier decisions)
 * at `level` and above to `logger`, or stops (`null`). Process-wide. The API key is never in
 * them. `ENIGMA_LOG=debug` prints the same records to stderr without this.
 */
export declare function setLogger(logger: Logger | null, options?: { level?: LogRecord['level'] }): void
