// What a gateway file supplies to the shared runner (docs/architecture.md §6): its wire format, its
// statuses, its advice, and — where the gateway has them — a task list and a returned last frame.
// Everything else (journal, polling, downloads, verification, error wording) is the runner's.
import type { GatewayName } from '../../../shared/seedance/capabilities';
import type { ErrorCategory } from '../remote/advice';
import type { GatewayDialect, JsonCall, RetryInfo, RetryPolicy } from '../remote/http';
import type { MediaHostConfig } from '../remote/media-host';
import type { Backoff, Sleep } from '../remote/timing';
import type { ShotRequest } from '../types';
import type { Opened } from './envelope';
import type { NetworkLimits } from './limits';

/** A gateway task, normalised (docs/gateways.md §2.5). */
export interface TaskView {
  id: string;
  /** The gateway's own word for the state, for progress messages. */
  status: string;
  state: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'expired';
  /** 0–1, when the gateway reports progress. */
  progress?: number;
  videoUrl?: string;
  /** The clip's last frame, on gateways that hand it back (Ark's `return_last_frame`). */
  lastFrameUrl?: string;
  /** Free text of a failure, and its code where the gateway has codes. */
  error?: string;
  code?: string;
  durationSec?: number;
  tokens?: number;
  costUsd?: number;
  /** Server clock, epoch ms: when the task was made, last changed, and when it expires unfinished. */
  createdAtMs?: number;
  updatedAtMs?: number;
  expiresAtMs?: number;
  /** The marker sent with the create (Ark's `safety_identifier`), as the task list reports it. */
  marker?: string;
}

/** What an adapter gets to talk to its gateway. */
export interface GatewayCalls {
  baseUrl: string;
  signal: AbortSignal;
  json<T>(call: Omit<JsonCall<T>, 'signal'>): Promise<T>;
  /** A call whose answer wraps errors in a 200 envelope. */
  enveloped<E, T>(call: Omit<JsonCall<E>, 'signal'>, open: (body: E) => Opened<T>): Promise<T>;
  /** Server clock minus ours (ms), once an answer carried a Date header. */
  clockOffsetMs(): number | undefined;
}

/** A gateway that lists its tasks: the record of what was paid for, whatever happened locally. */
export interface TaskListAdapter {
  /** The marker a create carries, so this shot's tasks can be found again (hash of the shot key). */
  marker(req: ShotRequest): string;
  /** One page of this model's tasks; `total` counts every match. */
  page(
    g: GatewayCalls,
    modelId: string,
    pageNum: number,
    pageSize: number,
  ): Promise<{ items: TaskView[]; total: number }>;
  pageSize: number;
  /** How long the gateway keeps task records (Ark: 7 days). */
  retentionMs: number;
  /** How long a finished task's result links stay valid (Ark: 24 h). */
  linkLifeMs: number;
}

export interface GatewayAdapter<Body = unknown> {
  readonly name: GatewayName;
  readonly dialect: GatewayDialect;
  /** Poll schedule suited to the gateway's advice (overridden by SHOTGRAPH_POLL_MS). */
  readonly poll: Backoff;
  authHeaders(apiKey: string): Record<string, string>;
  /** The id sent for a shot's model; by default the capability matrix's alias. */
  modelId?(model: string, baseUrl: string): string;
  /** Refusals worded for this gateway, before the shared capability check runs. */
  precheck?(req: ShotRequest): void;
  buildBody(req: ShotRequest, modelId: string): Promise<Body>;
  /** The paid call: resolves with the task id. */
  create(g: GatewayCalls, body: Body, timeoutMs: number): Promise<string>;
  /** The task now; undefined when the gateway says there is no such task. */
  get(g: GatewayCalls, taskId: string): Promise<TaskView | undefined>;
  /** Best-effort cancel after the user aborted; true only when the task will certainly not be billed. */
  cancel?(g: GatewayCalls, taskId: string): Promise<boolean>;
  /** The gateway's task list, where it has one (Ark); without it the journal is the only record. */
  taskList?: TaskListAdapter;
  /** Error category from what the gateway said; by default the free text and status are read. */
  category?(
    e: { status?: number; code?: string; text: string },
    failedTask: boolean,
  ): ErrorCategory | undefined;
  /** The shot field an error is about; by default a wire name from `fields` found in the text. */
  fieldOf?(e: { param?: string; text: string }, body: Body | undefined): string | undefined;
  advice: Partial<Record<ErrorCategory, string>>;
  /** Wire field names → the shot field they come from, to point errors at the right port. */
  fields: Record<string, string>;
  /** Where the user can see tasks (console or dashboard). */
  dashboard: string;
  /** Said after a failed task, only where the gateway documents it. */
  refund?: string;
  /** Gateway facts that make a message clearer: why a task expires, how long records and links last. */
  notes?: { expired?: string; cancelled?: string; records?: string; links?: string };
  /** How the user can look for a task that a lost create answer may have made. */
  howToCheck?(info: { sinceMs: number; req: ShotRequest; modelId: string; baseUrl: string }): string;
}

export interface GatewayOptions {
  apiKey: string;
  baseUrl?: string;
  poll?: Backoff;
  retry?: RetryPolicy;
  download?: { attempts?: number; backoff?: Backoff };
  timeoutMs?: number;
  concurrency?: number;
  sleep?: Sleep;
  random?: () => number;
  /** Every retry the runner makes (tests count them; the CLI shows them as progress). */
  onRetry?: (info: RetryInfo) => void;
  /** The user's media host (SHOTGRAPH_MEDIA_HOST): URL-only gateways upload local inputs there. */
  mediaHost?: MediaHostConfig;
  /** Deadlines on the network; each unset one keeps its default (gateways/limits.ts). */
  limits?: Partial<NetworkLimits>;
}
