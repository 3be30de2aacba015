// Paid answers kept until their files are cached: `.shotgraph/receipts/<key>.json`. Seedream answers
// a keyframe at once and keeps no record of it (docs/gateways.md §7); the saved answer lets the next
// run make the files again (decode, or fetch within the links' 24 h) without paying again.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Receipt } from '../providers/types';
import { writeFileAtomic } from './atomic';

export function receiptFor(stateDir: string, key: string, readOnly = false): Receipt {
  const file = path.join(stateDir, 'receipts', `${key}.json`);
  // Frames of a set that came while others failed: paid for, so kept beside the receipt.
  const framesDir = path.join(stateDir, 'receipts', `${key}.frames`);
  return {
    async keptFrames() {
      const kept = new Map<number, string>();
      let names: string[];
      try {
        names = await fs.readdir(framesDir);
      } catch {
        return kept;
      }
      for (const name of names) {
        const m = /^frame-(\d{1,2})\.jpg$/.exec(name);
        if (m) kept.set(Number(m[1]), path.join(framesDir, name));
      }
      return kept;
    },
    async keepFrame(frame, from) {
      if (readOnly) return;
      await fs.mkdir(framesDir, { recursive: true });
      await fs.rename(from, path.join(framesDir, `frame-${frame}.jpg`));
    },
    async dropFrames() {
      if (readOnly) return;
      await fs.rm(framesDir, { recursive: true, force: true });
    },
    async load() {
      let text: string;
      try {
        text = await fs.readFile(file, 'utf8');
      } catch {
        return undefined;
      }
      try {
        const saved = JSON.parse(text) as { at?: unknown; body?: unknown };
        return typeof saved.at === 'number' ? { at: saved.at, body: saved.body } : undefined;
      } catch {
        return undefined; // a torn receipt is no receipt; the journal still says a request was sent
      }
    },
    async save(body) {
      if (readOnly) return;
      await writeFileAtomic(file, JSON.stringify({ at: Date.now(), body }));
    },
    async drop() {
      if (readOnly) return;
      await fs.rm(file, { force: true });
    },
  };
}
