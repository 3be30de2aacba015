// Comments cite docs/architecture.md and docs/gateways.md by section ("docs/gateways.md §1.5", or a bare
// "§3.1" in a file that cites them). Every such citation must land on a section that exists, so a
// renumbered or deleted section fails here instead of leaving comments pointing nowhere.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = path.resolve(import.meta.dirname, '../..');
const read = (rel: string) => readFileSync(path.join(REPO, rel), 'utf8');

/** Section ids of a document: "5" for "## 5. …", "1.5" for "### 1.5 …", "5.3" for item 3 of §5's list. */
function sectionsOf(markdown: string): Set<string> {
  const ids = new Set<string>();
  let top: string | undefined;
  for (const line of markdown.split('\n')) {
    const h2 = /^## (\d+)\. /.exec(line);
    const h3 = /^### (\d+\.\d+) /.exec(line);
    const item = /^(\d+)\. /.exec(line);
    if (h2) ids.add((top = h2[1]!));
    else if (h3) ids.add(h3[1]!);
    else if (item && top && line.length > 3) ids.add(`${top}.${item[1]}`);
  }
  return ids;
}

/** "1.3–1.12" → ["1.3", "1.12"]; "3.1–3.3" → ["3.1", "3.3"]; "1–2" → ["1", "2"]; "5.9" → ["5.9"]. */
function endpoints(ref: string): string[] {
  const [from, to] = ref.split(/[–-]/);
  if (!to) return [from!];
  const major = from!.includes('.') && !to.includes('.') ? `${from!.split('.')[0]}.` : '';
  return [from!, `${major}${to}`];
}

interface Citation {
  file: string;
  doc: 'architecture' | 'gateways';
  section: string;
}

/** Every section a source file cites, explicitly or bare (bare ones belong to the document it cites). */
function citationsIn(file: string, text: string): Citation[] {
  const found: Citation[] = [];
  const add = (doc: Citation['doc'], ref: string) => {
    for (const section of endpoints(ref)) found.push({ file, doc, section });
  };
  const explicit = /docs\/(architecture|gateways)\.md §(\d+(?:\.\d+)?(?:[–-]\d+(?:\.\d+)?)?)/g;
  for (const m of text.matchAll(explicit)) add(m[1] as Citation['doc'], m[2]!);
  // Further sections in a list after an explicit citation: "docs/gateways.md §1.4, §1.5, §3.1–3.3".
  const lists = /docs\/(architecture|gateways)\.md §[\d.–-]+((?:,\s*§[\d.–-]+)+)/g;
  for (const m of text.matchAll(lists))
    for (const ref of m[2]!.matchAll(/§(\d+(?:\.\d+)?(?:[–-]\d+(?:\.\d+)?)?)/g))
      add(m[1] as Citation['doc'], ref[1]!);
  // Bare citations: only the gateways document has numbered subsections, and a file citing only the
  // architecture document cites it by whole sections.
  const cites = new Set([...text.matchAll(/docs\/(architecture|gateways)\.md/g)].map((m) => m[1]));
  const bareDoc: Citation['doc'] | undefined = cites.has('gateways')
    ? 'gateways'
    : cites.has('architecture')
      ? 'architecture'
      : undefined;
  const stripped = text.replace(lists, '').replace(explicit, '');
  // A section of another named document ("RFC 6455 §7.4.1") is not ours.
  const foreign = /\b(?:RFC|ISO|ECMA)[ -]?\d+\s+§[\d.]+/g;
  for (const m of stripped
    .replace(foreign, '')
    .matchAll(/(?<![\w/.])§(\d+(?:\.\d+)?(?:[–-]\d+(?:\.\d+)?)?)/g)) {
    const ref = m[1]!;
    add(bareDoc ?? (ref.includes('.') ? 'gateways' : 'architecture'), ref);
  }
  return found;
}

function sourceFiles(): string[] {
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], {
    cwd: REPO,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((f) => /\.(ts|tsx|js)$/.test(f) && !f.startsWith('node_modules/'));
  return files.filter((f) => f !== 'test/docs/citations.test.ts');
}

describe('section citations in comments', () => {
  const docs = {
    architecture: sectionsOf(read('docs/architecture.md')),
    gateways: sectionsOf(read('docs/gateways.md')),
  };

  it('reads both documents’ numbering (§1–§9; §1.1–§5.10)', () => {
    for (const n of ['1', '2', '3', '4', '5', '6', '7', '8', '9'])
      expect(docs.architecture.has(n), n).toBe(true);
    for (const id of ['0', '1.1', '1.12', '2.1', '2.5', '3.1', '3.6', '4', '5', '5.1', '5.10'])
      expect(docs.gateways.has(id), id).toBe(true);
  });

  it('land on sections that exist', () => {
    const citations = sourceFiles().flatMap((f) => citationsIn(f, read(f)));
    expect(citations.length).toBeGreaterThan(50);
    const dangling = citations.filter((c) => !docs[c.doc].has(c.section));
    expect(dangling).toEqual([]);
  });

  it('would catch a citation of a section that does not exist', () => {
    const found = citationsIn('x.ts', '// see docs/gateways.md §1.13 and §7.2; docs/architecture.md §10');
    expect(found.map((c) => `${c.doc} ${c.section}`)).toEqual([
      'gateways 1.13',
      'architecture 10',
      'gateways 7.2',
    ]);
    expect(found.filter((c) => !docs[c.doc].has(c.section))).toHaveLength(3);
  });

  it('reads ranges and lists after an explicit citation', () => {
    const found = citationsIn('x.ts', '// docs/gateways.md §1.4, §1.5, §3.1–3.3 and docs/gateways.md §1–2');
    expect(found.map((c) => c.section)).toEqual(['1.4', '1', '2', '1.5', '3.1', '3.3']);
  });
});
