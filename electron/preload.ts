// The renderer's only door to the app: one function per contract operation, plus a listener for
// pushed messages. ipcRenderer itself is never exposed (contextIsolation keeps it out of reach).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { HostMessage, Operation } from '../shared/contract';

const OPERATIONS = [
  'app.info',
  'files.list',
  'files.createFolder',
  'graph.open',
  'graph.save',
  'graph.validate',
  'film.status',
  'recent.list',
  'recovery.save',
  'recovery.list',
  'recovery.discard',
  'media.import',
  'run.start',
  'run.attach',
  'run.cancel',
  'media.poster',
  'takes.list',
  'takes.setActive',
  'takes.new',
  'takes.approve',
  'export.otio',
  'export.storyboard',
  'keys.set',
  'app.quitReady',
  'inputs.list',
  'templates.list',
  'templates.create',
  'templates.save',
  'sequence.make',
  'sequence.read',
  'batch.start',
  'batch.cancel',
] as const satisfies readonly Operation[];

// Compile-time check that the list above names every operation of the contract.
type Missing = Exclude<Operation, (typeof OPERATIONS)[number]>;
const complete: [Missing] extends [never] ? true : Missing = true;
void complete;

const ops = Object.fromEntries(
  OPERATIONS.map((op) => [op, (input: unknown) => ipcRenderer.invoke(`shotgraph:${op}`, input)]),
);

contextBridge.exposeInMainWorld('shotgraph', {
  ops,
  onHostMessage(listener: (msg: HostMessage) => void): () => void {
    const forward = (_event: IpcRendererEvent, msg: HostMessage) => listener(msg);
    ipcRenderer.on('shotgraph:host-message', forward);
    return () => ipcRenderer.removeListener('shotgraph:host-message', forward);
  },
});
