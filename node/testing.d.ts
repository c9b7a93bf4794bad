/// <reference path="./disposable.d.ts" />
/**
 * enigma-click/testing: the Enigma simulator, in-process, for your own tests. It serves the
 * service's REST API (and live events) on loopback with a scripted agent steered by `#sim`
 * directives in the task text (`#sim duration=8 cost=0.01`, `#sim guardrail="Which size?"`,
 * `#sim fail=NAVIGATION_TIMEOUT`). Any key starting `enig_` is accepted.
 *
 * ```js
 * import { Client } from 'enigma-click'
 * import { startSimulator } from 'enigma-click/testing'
 * const sim = await startSimulator({ timeScale: 0.01, rateLimit: 0 })
 * const client = new Client({ apiKey: 'enig_test', baseUrl: sim.url })
 * // ... sim.stats().sessions.open === 0 ...
 * await sim.shutdown()
 * ```
 * @packageDocumentation
 */

/** Simulator settings. Durations are simulated milliseconds; unset ones keep the defaults. */
export interface SimulatorOptions {
  /** Listen host (default `127.0.0.1`). */
  host?: string
  /** Listen port (default 0: any free port). */
  port?: number
  /** Wall seconds per simulated second (default 1; 0.01 makes a 3 s task take 30 ms). Not the rate-limit window. */
  timeScale?: number
  /** How long newTask / run-task wait before answering "pending" (default 50 000). */
  inlineWaitMs?: number
  /** A session without a task this long ends as `expired` (default 300 000). */
  idleTimeoutMs?: number
  /** Grace period of a lost instance (default 300 000). */
  instanceGraceMs?: number
  /** POST requests per key per sliding minute of wall time (default 10); 0 turns the limiter off. */
  rateLimit?: number
  /** One budget for all POST endpoints (`shared`, default) or one per endpoint. */
  rateLimitScope?: 'shared' | 'perEndpoint'
  /** Concurrent open sessions per key (default 5). */
  maxSessions?: number
  /** USD per key at start (default 100). */
  initialBalance?: number
  /** Ids are deterministic for a seed and a request sequence (default 0). */
  seed?: number
  /**
   * Documented-only mode (default false): send exactly what the service's docs promise and none
   * of the simulator's extras (no `taskId` for start-session's initial task, no ids on events
   * except `task_completed`, no socket acks, no `task_stopped`, no `paused` / `queued` in polls;
   * the list is in docs/api-contract.md). For tests that assume no more than the docs.
   */
  strictDocs?: boolean
  /**
   * Documented variants to answer in (default none): each turns one task answer into one
   * alternative shape the service's docs give for it, for tests that a client reads every shape
   * (the list is in docs/api-contract.md). The two pending markers exclude each other.
   */
  answerVariants?: AnswerVariant[]
  /**
   * Serve a recording of the flight recorder (a file, or a folder of them: the client's
   * `record` setting, `ENIGMA_RECORD`) instead of the scripted agent: the same answers and
   * events in order, the recorded timing scaled by `timeScale`. A request the recording does
   * not have gets a 400 `REPLAY_MISMATCH` naming the first difference (`replayStats()`).
   * See docs/recording.md.
   */
  replay?: string
}

/** How a replay went (`stats().replay`). */
export interface ReplayStats {
  recordings: number
  sessionsStarted: number
  writesServed: number
  readsServed: number
  /** Every difference: `{ sessionId, difference }`. */
  differences: Array<{ sessionId: string | null; difference: string }>
  /** `expected POST /start/send-message state:terminate, got POST /start/send-message newTask`; null while the program does what the recording did. */
  firstDifference: string | null
  /** Every recording started, every recorded request served, no difference. */
  complete: boolean
  sessions: Array<Record<string, unknown>>
}

/** A documented alternative shape of a task answer (see `SimulatorOptions.answerVariants`). */
export type AnswerVariant =
  | 'inline_without_status'
  | 'result_without_type'
  | 'pending_flag_only'
  | 'pending_status_only'
  | 'usage_in_data'
  | 'snake_case_usage'


/** A fault for the next requests to one endpoint (see the simulator's README). */
export interface FaultRule {
  endpoint:
    | 'POST /start/start-session' | 'POST /start/send-message' | 'POST /start/run-task'
    | 'GET /task' | 'GET /start/health' | 'GET /start/active-sockets'
  /** `error` (default): answer `status`; `hang`: never answer; `drop`: close the connection. */
  action?: 'error' | 'hang' | 'drop'
  status?: number
  code?: string
  message?: string
  /** How many requests it applies to (default 1). */
  count?: number
  /** Seconds, sent as `Retry-After`. */
  retryAfter?: number
  /** Process the request for real first, then answer the error. */
  afterProcessing?: boolean
}

/** What the simulator saw (`GET /_sim/stats`). */
export interface SimulatorStats {
  sessions: { open: number; total: number }
  tasks: { started: number; running: number; completed: number; failed: number; stopped: number }
  requests: {
    total: number
    byEndpoint: Record<string, number>
    byActionType: Record<string, number>
    byMessage: Record<string, number>
  }
  [more: string]: unknown
}

/** A running simulator. */
export declare class Simulator implements AsyncDisposable {
  private constructor()
  /** Base URL, e.g. `http://127.0.0.1:PORT`: pass it as the client's `baseUrl`. */
  readonly url: string
  /** What the server saw. @throws after shutdown. */
  stats(): SimulatorStats
  /** How a replay went (`stats().replay`); null when it serves no recording. */
  replayStats(): ReplayStats | null
  /** Arms a fault for the next requests to one endpoint. */
  injectFault(rule: FaultRule): Promise<void>
  /** Clears every armed fault. */
  clearFaults(): Promise<void>
  /** Stops the server (open requests get up to 3 s). Later calls do nothing. */
  shutdown(): Promise<void>
  [Symbol.asyncDispose](): Promise<void>
}

/** Starts a simulator in this process, on loopback. */
export declare function startSimulator(options?: SimulatorOptions): Promise<Simulator>
