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

// The data and error types (results, statuses, usage, live events, error classes) are generated
// from the core's types (scripts/gen_types.py); this file declares the handles and options.
import type {
  ActiveSockets, BatchItem, BatchProgress, BatchQuestion, BatchSummary, EnigmaEvent, Health, TaskResult, TaskStatus,
  UnendedSession,
} from './lib/generated/types'
export * from './lib/generated/types'

declare module './lib/generated/types' {
  interface WaitTimeout {
    /**
     * The task, still running: wait on it again. From `task.result()` it is that same task; from
     * `runTask`, the task re-attached by its ids, or `null` when the service had not named it yet
     * (its create's answer had not come; `sessionId` is set).
     */
    readonly task: Task | null
    /** How long the wait lasted, whole ms (`waited`: the same in seconds). */
    readonly waitedMs?: number
  }
  interface CostLimitExceeded {
    /** The task the SDK stopped (as on {@link WaitTimeout}). */
    readonly task: Task | null
  }
}

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
   * The flight recorder (default: `ENIGMA_RECORD`, else off): a folder where every session is
   * written as one JSONL file (requests, answers, events, commands; never the key), which
   * `startSimulator({ replay })` serves back. See docs/recording.md.
   */
  record?: string
  /** The size bound of one recorded session's file, bytes (default: `ENIGMA_RECORD_MAX_BYTES`, else 64 MiB). */
  recordMaxBytes?: number
  /** Live events kept per reader of a session's events before a slow one misses the oldest (default: `ENIGMA_EVENT_BUFFER`, else 128). */
  eventBuffer?: number
  /** First size of a session's WebSocket read buffer, bytes (default: `ENIGMA_SOCKET_READ_BUFFER_BYTES`, else 8 KiB). */
  socketReadBufferBytes?: number
  /** Records a session keeps for its timeline (default: `ENIGMA_TIMELINE_RECORDS`, else 1000; 0 keeps none). */
  timelineRecords?: number
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
  /** The flight recorder's folder, or null. */
  record: string | null
  /** The size bound of one recorded session's file, bytes. */
  recordMaxBytes: number
  /** Live events kept per reader of a session's events. */
  eventBuffer: number
  /** First size of a session's WebSocket read buffer, bytes. */
  socketReadBufferBytes: number
  /** Records a session keeps for its timeline. */
  timelineRecords: number
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
  /**
   * The task behind an answer of the OpenAI-compatible endpoint (`/v1/chat/completions`): a
   * completion or a stream chunk of the official `openai` package (the first chunk names the
   * task), its `APIError` (a guardrail), or the same as plain JSON; read from its `enigma` block
   * `{ sessionId, taskId, cost }`. No request. @throws {ValidationError} without the block
   */
  taskFromCompletion(completion: object): Task
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

/** A session's live view, ready to embed: see {@link Session.liveView}. */
export interface LiveView {
  /** The service's `webViewURL`. */
  url: string
  /** An `<iframe>` of the viewport's size showing `url`, with a link to open it in a tab. */
  html: string
  /** Whether the frame takes no input. */
  readOnly: boolean
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
  /**
   * The live view to embed: `url` (the service's `webViewURL`) and `html`, an `<iframe>` of the
   * viewport's size (1024×600). With `readOnly: true` the frame takes no pointer or keyboard
   * input (a layer over it catches clicks; its sandbox allows no forms, popups or navigation).
   * `null` on a re-attached handle.
   */
  liveView(options?: { readOnly?: boolean }): LiveView | null
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
