// Every contract operation, implemented once for both transports. Electron's ipc.ts and web
// mode's WebSocket only validate the caller and hand the raw input to `dispatch`.
import path from 'node:path';
import type { z } from 'zod';
import {
  contract,
  ContractError,
  type ContractErrorShape,
  type HostMessage,
  type Operation,
  type OpOutput,
} from '../../shared/contract';
import type { Graph } from '../../shared/graph/schema';
import type { Problem } from '../../shared/problems';
import { trustedMediaOrigins } from '../engine/media-hosts';
import { expandSequences, readSequenceLibrary } from '../engine/sequences';
import { validateGraph } from '../engine/validate';
import { defaultProviderName, knownProviders, PROVIDER_KEYS } from '../providers';
import { redactorForEnv } from '../providers/remote/redact';
import { createFolder, listFolder, openGraph, parseDoc, saveGraph } from './graph-files';
import { BatchManager } from './batches';
import { exportFilm } from './exports';
import { applyInputs } from '../../shared/graph/inputs';
import { inputsOf } from './film-inputs';
import { filmStatusFor } from './film-status';
import { keySources, type KeyStore } from './keys';
import { importMedia } from './media-import';
import { createPosters } from './posters';
import { RecentFiles } from './recent';
import { RecoveryStore } from './recovery';
import { RunManager } from './runs';
import { makeSequenceFor, readLibrarySequence, withInstanceInputs } from './sequences';
import { createFromTemplate, listTemplates, saveAsTemplate } from './templates';
import { approve, chooseTake, takesOf } from './takes';
import type { Workspace } from './workspace';

/** One connected editor window or tab: where pushed messages go. */
export interface Session {
  send(msg: HostMessage): void;
}

export interface HostOptions {
  workspace: Workspace;
  keys: KeyStore;
  version: string;
  /** Desktop: the renderer finished flushing after a before-quit message. */
  onQuitReady?: () => void;
}

type Handler<O extends Operation> = (
  input: z.output<(typeof contract)[O]['input']>,
  session: Session,
) => Promise<OpOutput<O>>;
export type Handlers = { [O in Operation]: Handler<O> };

export interface Host {
  handlers: Handlers;
  dispatch(
    op: string,
    raw: unknown,
    session: Session,
  ): Promise<{ ok: true; output: unknown } | { ok: false; error: ContractErrorShape }>;
  /** A connection closed: its session hears of no run any more (the runs go on). */
  detach(session: Session): void;
  close(): void;
}

export function createHost(opts: HostOptions): Host {
  const ws = opts.workspace;
  const recent = new RecentFiles(ws.stateDir);
  const recovery = new RecoveryStore(ws.stateDir);
  const env = async () => ({ ...process.env, ...(await opts.keys.env()) });
  const runs = new RunManager(ws, env);
  const poster = createPosters(ws);
  const batches = new BatchManager(ws, env);
  /** The film as Run with… values make it; a value that cannot apply refuses, naming the input. */
  /** Library sequences the film at `p` names (an input may set one's value); none for an unsaved film. */
  const libraryOf = async (p: string | null | undefined, graph: Graph) =>
    p ? readSequenceLibrary(graph, path.dirname(ws.resolve(p))) : new Map();
  const applied = async (p: string | null, graph: Graph, values: Record<string, string> | undefined) => {
    if (!values || !Object.keys(values).length) return graph;
    const r = applyInputs(graph, values, await libraryOf(p, graph));
    if (r.problems.length)
      throw new ContractError('input.invalid', r.problems.map((p) => p.message).join('; '), r.problems);
    return r.graph;
  };

  const handlers: Handlers = {
    'app.info': async () => {
      const sources = await keySources(opts.keys, process.env);
      return {
        version: opts.version,
        workspace: ws.show(ws.root) || '.',
        providers: knownProviders(),
        defaultProvider: defaultProviderName(await env()),
        canStoreKeys: opts.keys.canStore,
        keysPersist: opts.keys.persistent,
        trustedMediaOrigins: trustedMediaOrigins(await env()),
        keys: Object.entries(PROVIDER_KEYS).map(([provider, envVar]) => ({
          provider,
          envVar,
          source: sources[provider] ?? null,
        })),
      };
    },
    'files.list': async ({ folder }) => listFolder(ws, folder),
    'files.createFolder': async ({ parent, name }) => createFolder(ws, parent, name),
    'graph.open': async ({ path: p }) => {
      const opened = await openGraph(ws, p);
      await recent.touch(opened.path, opened.graph.name);
      return opened;
    },
    'graph.save': async ({ path: p, graph }) => {
      const saved = await saveGraph(ws, p, graph);
      await recent.touch(saved.path, parseDoc(graph).name);
      return saved;
    },
    'graph.validate': async ({ path: p, graph }) => {
      const dir = p ? path.dirname(ws.resolve(p)) : ws.root;
      const expanded = await expandSequences(parseDoc(graph), dir);
      if (expanded.problems.length) return { problems: expanded.problems };
      return { problems: await validateGraph(expanded.graph, dir) };
    },
    'film.status': async ({ path: p, graph, values }) => {
      const doc = parseDoc(graph);
      const r = values ? applyInputs(doc, values, await libraryOf(p, doc)) : { graph: doc, problems: [] };
      const status = await filmStatusFor(ws, p, r.graph, await env());
      return { ...status, problems: [...r.problems, ...status.problems] };
    },
    'recent.list': async () => ({ files: await recent.list() }),
    'recovery.save': async ({ path: p, graph }) => {
      await recovery.save(p, graph);
      return {};
    },
    'recovery.list': async () => ({ items: await recovery.list() }),
    'recovery.discard': async ({ path: p }) => {
      await recovery.discard(p);
      return {};
    },
    'media.import': async ({ graphPath, name, dataBase64 }) =>
      importMedia(ws.resolve(graphPath), name, Buffer.from(dataBase64, 'base64')),
    'run.start': async ({ path: p, graph, until, values }, session) =>
      runs.start(p, await applied(p, parseDoc(graph), values), until, session),
    'run.attach': async ({ runId, path: p }, session) => {
      const attached = runs.attach(session, { ...(runId ? { runId } : {}), ...(p ? { path: p } : {}) });
      return attached ?? { runId: null, running: false };
    },
    'run.cancel': async ({ runId }) => ({ cancelled: runs.cancel(runId) }),
    'media.poster': async ({ path: p, base }) => poster(p, base),
    'takes.list': async ({ path: p, nodeId }) => ({ takes: await takesOf(ws, p, nodeId) }),
    'takes.setActive': async ({ path: p, nodeId, take }) => ({ take: await chooseTake(ws, p, nodeId, take) }),
    'takes.new': async ({ path: p, nodeId }) => ({ take: await chooseTake(ws, p, nodeId, 'new') }),
    'takes.approve': async ({ path: p, nodeId, take }) => ({ take: await approve(ws, p, nodeId, take) }),
    'export.otio': async ({ path: p, graph, cut }) =>
      exportFilm(ws, p, parseDoc(graph), await env(), 'otio', cut),
    'export.storyboard': async ({ path: p, graph, cut, format }) =>
      exportFilm(
        ws,
        p,
        parseDoc(graph),
        await env(),
        format === 'pdf' ? 'storyboard-pdf' : 'storyboard-png',
        cut,
      ),
    'sequence.make': async ({ graph, nodeIds, name }) => {
      const film = parseDoc(graph);
      // What a user sets per instance becomes the definition's own inputs (services/sequences.ts).
      return withInstanceInputs(film, nodeIds, makeSequenceFor(film, nodeIds, name));
    },
    'sequence.read': async ({ path: p, sequence }) =>
      readLibrarySequence(path.dirname(ws.resolve(p)), sequence),
    'keys.set': async ({ provider, key }) => ({ stored: await opts.keys.set(provider, key) }),
    'app.quitReady': async () => {
      opts.onQuitReady?.();
      return {};
    },
    'inputs.list': async ({ graph, path: p }) => {
      const doc = parseDoc(graph);
      return inputsOf(doc, await libraryOf(p, doc));
    },
    'templates.list': async () => ({ templates: await listTemplates() }),
    'templates.create': async ({ name, folder }) => {
      const created = await createFromTemplate(ws, name, folder);
      return { path: created };
    },
    'templates.save': async ({ path: p, name }) => ({ name: await saveAsTemplate(ws, p, name) }),
    'batch.start': async ({ path: p, graph, csv, outDir }, session) =>
      batches.start(p, parseDoc(graph), csv, outDir, session),
    'batch.cancel': async ({ batchId }) => ({ cancelled: batches.cancel(batchId) }),
  };

  const dispatch: Host['dispatch'] = async (op, raw, session) => {
    let result: Awaited<ReturnType<Host['dispatch']>>;
    try {
      result = await answer(op, raw, session);
    } catch (e) {
      // Whatever a hostile input does to a parser (a stack overflow on deep JSON), it is one answer.
      result = { ok: false, error: { code: 'host.error', message: (e as Error)?.message ?? String(e) } };
    }
    if (result.ok) return result;
    // An error may echo anything a gateway or a tool said: no key of this host leaves in it.
    const redact = redactorForEnv(await env());
    const { problems, ...error } = result.error;
    return {
      ok: false,
      error: {
        ...error,
        message: redact(error.message),
        ...(problems ? { problems: problems.map((p) => ({ ...p, message: redact(p.message) })) } : {}),
      },
    };
  };

  const answer: Host['dispatch'] = async (op, raw, session) => {
    if (!Object.prototype.hasOwnProperty.call(contract, op)) {
      return { ok: false, error: { code: 'op.unknown', message: `unknown operation "${op}"` } };
    }
    const spec = contract[op as Operation];
    const parsed = spec.input.safeParse(raw ?? {});
    if (!parsed.success) {
      const problems: Problem[] = parsed.error.issues.map((i) => ({
        code: 'input',
        field: i.path.join('.'),
        message: i.message,
      }));
      return { ok: false, error: { code: 'input.invalid', message: `bad input for ${op}`, problems } };
    }
    try {
      const output = await (handlers[op as Operation] as Handler<Operation>)(parsed.data as never, session);
      return { ok: true, output };
    } catch (e) {
      if (e instanceof ContractError) return { ok: false, error: e.toShape() };
      return { ok: false, error: { code: 'host.error', message: (e as Error)?.message ?? String(e) } };
    }
  };

  return {
    handlers,
    dispatch,
    detach: (session) => runs.detach(session),
    close: () => {
      runs.cancelAll();
      batches.cancelAll();
    },
  };
}
