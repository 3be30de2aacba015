// Templates: Shotgraph's own are listed with their inputs; a new project gets the film and exactly
// the files it names; the user's own are saved without takes, caches or stray files; a hostile
// template cannot reach outside its folder or overwrite anything.
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  builtinTemplatesDir,
  createFromTemplate,
  listTemplates,
  saveAsTemplate,
  userTemplatesDir,
} from '../../electron/engine/templates';
import { parseGraphText } from '../../shared/graph/parse';
import { ProblemError } from '../../shared/problems';
import { REPO } from '../helpers/cli';

const BUILTIN = path.join(REPO, 'graphs/templates');
const tmp = (prefix: string) => mkdtempSync(path.join(os.tmpdir(), prefix));

/** Every file under a folder, relative, sorted. */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

async function refusal(p: Promise<unknown>): Promise<ProblemError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ProblemError);
  return e as ProblemError;
}

function picture(file: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'color=c=teal:s=400x400',
    '-frames:v',
    '1',
    file,
  ]);
}

let userDir: string;
beforeEach(() => {
  userDir = tmp('shotgraph-user-templates-');
});

describe('listTemplates', () => {
  it('lists the five templates Shotgraph ships, each with inputs, shots and a poster', async () => {
    expect(builtinTemplatesDir()).toBe(BUILTIN);
    const list = await listTemplates({ userDir });
    expect(list.map((t) => t.name)).toEqual([
      'dialogue-beat',
      'music-video',
      'product-ad',
      'social-teaser',
      'two-scene-short',
    ]);
    for (const t of list) {
      expect(t.source).toBe('builtin');
      expect(t.title.length).toBeGreaterThan(3);
      expect(t.description.length).toBeGreaterThan(20);
      expect(t.inputs.length).toBeGreaterThanOrEqual(3);
      expect(t.shots).toBeGreaterThanOrEqual(2);
      expect(t.problems).toBeUndefined();
      expect(existsSync(t.poster!)).toBe(true);
    }
    const ad = list.find((t) => t.name === 'product-ad')!;
    expect(ad.inputs.map((i) => [i.name, i.type])).toEqual([
      ['product', 'text'],
      ['photo', 'image'],
      ['closing', 'text'],
      ['length', 'choice'],
    ]);
    const mv = list.find((t) => t.name === 'music-video')!;
    expect(mv.inputs[0]).toMatchObject({
      name: 'track',
      type: 'audio',
      field: 'music.file',
      value: 'media/track.mp3',
    });
  });

  it('keeps its media small: every template file is a few KB', () => {
    for (const f of files(BUILTIN)) {
      const size = readFileSync(path.join(BUILTIN, f)).length;
      expect(size, f).toBeLessThan(32 * 1024);
    }
  });

  it('finds the user folder from SHOTGRAPH_TEMPLATES_DIR, else the OS config folder', () => {
    expect(userTemplatesDir({ SHOTGRAPH_TEMPLATES_DIR: '/x/t' })).toBe(path.resolve('/x/t'));
    if (process.platform === 'linux') {
      expect(userTemplatesDir({ HOME: '/home/a' })).toBe('/home/a/.config/shotgraph/templates');
      expect(userTemplatesDir({ HOME: '/home/a', XDG_CONFIG_HOME: '/cfg' })).toBe('/cfg/shotgraph/templates');
    }
  });

  it('leaves out a folder that is not a template, and ignores bad template.json fields', async () => {
    mkdirSync(path.join(userDir, 'broken'));
    writeFileSync(path.join(userDir, 'broken', 'film.json'), '{ not json');
    mkdirSync(path.join(userDir, 'Bad Name'));
    const odd = path.join(userDir, 'odd');
    mkdirSync(odd);
    writeFileSync(
      path.join(odd, 'film.json'),
      JSON.stringify({ format: 'shotgraph', version: 2, name: 'Odd', nodes: [], edges: [] }),
    );
    writeFileSync(
      path.join(odd, 'template.json'),
      JSON.stringify({ title: 't'.repeat(5000), description: 42, poster: '../../etc/passwd.png' }),
    );
    const user = (await listTemplates({ userDir })).filter((t) => t.source === 'user');
    expect(user).toEqual([
      expect.objectContaining({ name: 'odd', title: 'Odd', description: '', source: 'user', inputs: [] }),
    ]);
    expect(user[0]).not.toHaveProperty('poster');
  });
});

describe('createFromTemplate', () => {
  it('makes a project with the film and exactly the files it names', async () => {
    const dir = path.join(tmp('shotgraph-new-'), 'my ad');
    const made = await createFromTemplate('product-ad', dir, { userDir });
    expect(made.graphPath).toBe(path.join(dir, 'film.json'));
    expect(files(dir)).toEqual(['film.json', 'media/product.png']);
    expect(readFileSync(path.join(dir, 'media/product.png'))).toEqual(
      readFileSync(path.join(BUILTIN, 'product-ad/media/product.png')),
    );
    const parsed = parseGraphText(readFileSync(made.graphPath, 'utf8'));
    expect(parsed.ok && parsed.graph.inputs?.length).toBe(4);
  });

  it('never writes into a folder that has something in it, nor over a file', async () => {
    const dir = tmp('shotgraph-new-full-');
    writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    const e = await refusal(createFromTemplate('product-ad', dir, { userDir }));
    expect(e.problems[0]!.message).toMatch(/is not empty; name a new folder so nothing is overwritten/);
    expect(readdirSync(dir)).toEqual(['notes.txt']);
    const file = path.join(dir, 'notes.txt');
    const e2 = await refusal(createFromTemplate('product-ad', file, { userDir }));
    expect(e2.problems[0]!.message).toMatch(/exists and is not a folder/);
  });

  it('names the templates there are when asked for one there is not', async () => {
    const e = await refusal(createFromTemplate('product-add', tmp('shotgraph-new-'), { userDir }));
    expect(e.problems[0]!.message).toMatch(
      /no template named "product-add"; the templates are dialogue-beat, music-video/,
    );
  });

  it('refuses a template whose film names a file outside its folder, copying nothing', async () => {
    const secret = path.join(tmp('shotgraph-secret-'), 'secret.png');
    picture(secret);
    const t = path.join(userDir, 'sneaky');
    mkdirSync(path.join(t, 'media'), { recursive: true });
    symlinkSync(secret, path.join(t, 'media', 'look.png'));
    const graph = (file: string) =>
      JSON.stringify({
        format: 'shotgraph',
        version: 2,
        name: 'Sneaky',
        nodes: [{ id: 'img', type: 'image', params: { file } }],
        edges: [],
      });
    for (const file of ['media/look.png', '../secret.png', secret]) {
      writeFileSync(path.join(t, 'film.json'), graph(file));
      const dir = path.join(tmp('shotgraph-new-sneaky-'), 'film');
      const e = await refusal(createFromTemplate('sneaky', dir, { userDir }));
      expect(e.problems[0]).toMatchObject({ nodeId: 'img', field: 'file' });
      expect(e.problems[0]!.message).toMatch(/outside the graph's folder|leaves|absolute|outside/);
      expect(existsSync(dir)).toBe(false);
    }
  });
});

describe('saveAsTemplate', () => {
  function project(): string {
    const dir = tmp('shotgraph-save-');
    picture(path.join(dir, 'media', 'hero.png'));
    writeFileSync(path.join(dir, 'stray.txt'), 'not part of the film');
    mkdirSync(path.join(dir, '.shotgraph'));
    writeFileSync(path.join(dir, '.shotgraph', 'journal.jsonl'), '{}\n');
    writeFileSync(
      path.join(dir, 'ad.json'),
      JSON.stringify({
        format: 'shotgraph',
        version: 2,
        name: 'My ad',
        inputs: [{ name: 'hero', node: 'img', field: 'file' }],
        nodes: [
          { id: 'img', type: 'image', params: { file: 'media/hero.png' } },
          { id: 'p', type: 'prompt', params: { text: 'image 1 on a beach' } },
          { id: 's', type: 'shot', take: 3, frozen: true, params: { duration: 4 } },
          { id: 'cut', type: 'final_cut', params: { output: 'films/ad.mp4' } },
        ],
        edges: [
          { source: 'img', sourcePort: 'image', target: 's', targetPort: 'reference_images' },
          { source: 'p', sourcePort: 'text', target: 's', targetPort: 'prompt' },
          { source: 's', sourcePort: 'video', target: 'cut', targetPort: 'clips' },
        ],
      }),
    );
    return dir;
  }

  it('saves the film and its media, without takes, frozen outputs, cache or stray files, and a new film comes from it', async () => {
    const src = project();
    const saved = await saveAsTemplate(path.join(src, 'ad.json'), 'my-ad', { userDir, description: 'Ours' });
    expect(saved).toMatchObject({
      name: 'my-ad',
      title: 'My ad',
      description: 'Ours',
      source: 'user',
      shots: 1,
    });
    expect(saved.inputs.map((i) => i.name)).toEqual(['hero']);
    expect(saved.poster).toBe(path.join(userDir, 'my-ad', 'media', 'hero.png'));
    expect(files(path.join(userDir, 'my-ad'))).toEqual(['film.json', 'media/hero.png', 'template.json']);
    const g = JSON.parse(readFileSync(path.join(userDir, 'my-ad', 'film.json'), 'utf8'));
    const shot = g.nodes.find((n: { id: string }) => n.id === 's');
    expect(shot).not.toHaveProperty('take');
    expect(shot).not.toHaveProperty('frozen');
    expect(g.nodes.find((n: { id: string }) => n.id === 'cut').params.output).toBe('films/ad.mp4');
    expect(readdirSync(userDir)).toEqual(['my-ad']); // no staging folder left

    const listed = await listTemplates({ userDir });
    expect(listed.filter((t) => t.source === 'user').map((t) => t.name)).toEqual(['my-ad']);
    const dir = path.join(tmp('shotgraph-from-mine-'), 'again');
    await createFromTemplate('my-ad', dir, { userDir });
    expect(files(dir)).toEqual(['film.json', 'media/hero.png']);
  });

  it('refuses a bad name, one of Shotgraph’s own, and an existing one unless replacing', async () => {
    const graph = path.join(project(), 'ad.json');
    for (const bad of ['My Ad', '../up', '', 'a'.repeat(80)])
      expect((await refusal(saveAsTemplate(graph, bad, { userDir }))).problems[0]!.code).toBe(
        'template.name',
      );
    expect((await refusal(saveAsTemplate(graph, 'product-ad', { userDir }))).problems[0]!.message).toMatch(
      /one of Shotgraph's own templates/,
    );
    await saveAsTemplate(graph, 'mine', { userDir });
    expect((await refusal(saveAsTemplate(graph, 'mine', { userDir }))).problems[0]!.code).toBe(
      'template.exists',
    );
    const replaced = await saveAsTemplate(graph, 'mine', { userDir, replace: true, title: 'Second' });
    expect(replaced.title).toBe('Second');
    expect(readdirSync(userDir)).toEqual(['mine']);
  });

  it('refuses a film whose media lie outside its folder, leaving nothing behind', async () => {
    const src = project();
    const outside = path.join(tmp('shotgraph-outside-'), 'x.png');
    picture(outside);
    const file = path.join(src, 'ad.json');
    const g = JSON.parse(readFileSync(file, 'utf8'));
    g.nodes[0].params.file = outside;
    writeFileSync(file, JSON.stringify(g));
    const e = await refusal(saveAsTemplate(file, 'outside', { userDir }));
    expect(e.problems[0]).toMatchObject({ nodeId: 'img', field: 'file' });
    expect(readdirSync(userDir)).toEqual([]);
  });
});
