// Issue 13, items 1–2 through the real command: `shotgraph inputs` lists a film's exposed inputs,
// `render --set NAME=VALUE` runs with them (validated like any param, the input named on error), and
// on the mock Ark gateway a changed input pays for exactly the shots that read it and those after.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../electron/engine/run-report';
import type { FilmInput } from '../../shared/graph/inputs';
import type { Graph } from '../../shared/graph/schema';
import { arkMockEnv, atTestSize, copySamples, runCli } from '../helpers/cli';
import { startMockGateway, type MockGateway } from '../mocks/gateway';

const KEY = 'ark-inputs-test-3c9a7e1b5d2f4a6c8e0b';

/** A copy of the samples whose three-shot chain exposes the middle shot's prompt (and two more). */
function chainWithInputs(prefix: string): { dir: string; file: string } {
  const dir = copySamples(prefix);
  const file = path.join(dir, 'three-shot-chain.json');
  const g = JSON.parse(readFileSync(file, 'utf8')) as Graph;
  g.inputs = [
    { name: 'beat', node: 'prompt-2', field: 'text', description: 'What happens in the middle shot' },
    { name: 'length', node: 'shot-3', field: 'duration' },
    { name: 'grade', node: 'final-cut', field: 'loudness.target_lufs' },
  ];
  writeFileSync(file, JSON.stringify(g, null, 2));
  return { dir, file };
}

describe('shotgraph inputs', () => {
  let file: string;
  beforeAll(() => ({ file } = chainWithInputs('shotgraph-inputs-list-')));

  it('prints a table: name, what it takes, its value, its node and field', async () => {
    const res = await runCli(['inputs', file]);
    expect(res.code, res.stderr).toBe(0);
    const lines = res.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^input\s+takes\s+value\s+node\s+description$/);
    expect(lines[2]).toMatch(
      /^beat\s+text\s+The camera drifts.*…\s+prompt-2\.text\s+What happens in the middle shot$/,
    );
    expect(lines[3]).toMatch(/^length\s+auto, 4–15\s+5\s+shot-3\.duration$/);
    expect(lines[4]).toMatch(/^grade\s+number -30 to -5\s+-14\s+final-cut\.loudness\.target_lufs$/);
    expect(lines).toHaveLength(5);
  });

  it('--json gives every field a form needs', async () => {
    const res = await runCli(['inputs', file, '--json']);
    expect(res.code, res.stderr).toBe(0);
    const { inputs, problems } = JSON.parse(res.stdout) as { inputs: FilmInput[]; problems: unknown[] };
    expect(problems).toEqual([]);
    expect(inputs.map((i) => [i.name, i.type, i.value])).toEqual([
      ['beat', 'text', expect.stringMatching(/^The camera drifts/)],
      ['length', 'choice', 5],
      ['grade', 'number', -14],
    ]);
    expect(inputs[1]!.allowed).toEqual(['auto', 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
  });

  it('says so when a film has none (a v1 sample)', async () => {
    const res = await runCli(['inputs', 'graphs/storyboard-film.json']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/no exposed inputs/);
  });

  it('prints hostile text harmlessly: the table without escapes, --json still valid JSON', async () => {
    const { file: odd } = chainWithInputs('shotgraph-inputs-hostile-');
    const g = JSON.parse(readFileSync(odd, 'utf8')) as Graph;
    const description = 'red \u001b[31malert\u001b[0m \u009b2J \u202egnp.exe';
    g.inputs![0]!.description = description;
    writeFileSync(odd, JSON.stringify(g));
    const table = await runCli(['inputs', odd]);
    expect(table.code).toBe(0);
    expect(table.stdout).not.toMatch(/[\u001b\u009b\u202e]/);
    const json = await runCli(['inputs', odd, '--json']);
    expect(json.stdout).not.toMatch(/[\u001b\u009b\u202e]/);
    expect((JSON.parse(json.stdout) as { inputs: FilmInput[] }).inputs[0]!.description).toBe(description);
  });

  it('exits 1 naming a broken declaration', async () => {
    const { file: broken } = chainWithInputs('shotgraph-inputs-broken-');
    const g = JSON.parse(readFileSync(broken, 'utf8')) as Graph;
    g.inputs!.push({ name: 'colour', node: 'shot-1', field: 'colour' });
    writeFileSync(broken, JSON.stringify(g));
    const res = await runCli(['inputs', broken]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(
      /node "shot-1", field "colour": input "colour": a shot node has no field "colour"/,
    );
  });
});

describe('shotgraph render --set: refused before anything runs', () => {
  let dir: string;
  let file: string;
  beforeAll(() => ({ dir, file } = chainWithInputs('shotgraph-inputs-set-')));

  it.each([
    [
      ['--set', 'length=16'],
      /node "shot-3", field "duration": input "length": must be one of auto, 4–15, not "16"/,
    ],
    [['--set', 'grade=loud'], /input "grade": must be a number from -30 to -5, not "loud"/],
    [['--set', 'lenght=5'], /no input named "lenght"; this film's inputs are beat, length, grade/],
  ])('%j', async (args, message) => {
    const report = path.join(dir, 'refused.json');
    const res = await runCli(['render', file, ...args, '--report', report]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(message);
    expect(res.stderr).toMatch(/nothing was rendered or paid for/);
    expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({ status: 'invalid', submissions: 0 });
    expect(existsSync(path.join(dir, '.shotgraph'))).toBe(false);
  });

  it('a malformed or repeated --set is a usage error', async () => {
    expect((await runCli(['render', file, '--set', 'beat'])).code).toBe(2);
    const twice = await runCli(['render', file, '--set', 'beat=a', '--set', 'beat=b']);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/--set "beat" is given twice/);
  });
});

describe('--set on the mock Ark gateway: a changed input pays only for what reads it', () => {
  let gw: MockGateway;
  let env: NodeJS.ProcessEnv;
  let file: string;

  beforeAll(async () => {
    gw = await startMockGateway({ kind: 'ark', queuedMs: 50, runningMs: 150, apiKey: KEY });
    env = arkMockEnv(gw.url, KEY);
    ({ file } = chainWithInputs('shotgraph-inputs-ark-'));
    atTestSize(file); // what is paid for is under test, not the picture
  });
  afterAll(() => gw?.close());

  async function render(...args: string[]) {
    const reportFile = path.join(path.dirname(file), `r-${Math.random().toString(36).slice(2)}.json`);
    const before = gw.stats().creates;
    const res = await runCli(['render', file, '--provider', 'ark', '--report', reportFile, ...args], { env });
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as RunReport;
    return { res, report, creates: gw.stats().creates - before };
  }

  it('the film as saved: 3 creates', async () => {
    const { res, creates } = await render();
    expect(res.code, res.stderr).toBe(0);
    expect(creates).toBe(3);
  });

  it('--set beat=…: 2 creates (the second shot and the one after it), the file unchanged', async () => {
    const saved = readFileSync(file, 'utf8');
    const { res, report, creates } = await render('--set', 'beat=The keeper waves at a passing ship.');
    expect(res.code, res.stderr).toBe(0);
    expect(creates).toBe(2);
    expect(report.nodes['shot-1']!.cached).toBe(true);
    expect(report.nodes['shot-2']!.cached).toBe(false);
    expect(report.nodes['shot-3']!.cached).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe(saved);
  });

  it('the same value again: 0 creates; the saved film again: 0 creates (both cached)', async () => {
    expect((await render('--set', 'beat=The keeper waves at a passing ship.')).creates).toBe(0);
    expect((await render()).creates).toBe(0);
  });

  it('an input of the final cut re-cuts the film and pays for nothing', async () => {
    const { res, creates, report } = await render('--set', 'grade=-20');
    expect(res.code, res.stderr).toBe(0);
    expect(creates).toBe(0);
    expect(report.output).toBeTruthy();
  });
});

describe('--set with a media file (estimate: no render needed)', () => {
  let dir: string;
  let file: string;
  beforeAll(() => {
    dir = copySamples('shotgraph-inputs-media-');
    file = path.join(dir, 'storyboard-film.json');
    const g = JSON.parse(readFileSync(file, 'utf8')) as Graph;
    g.inputs = [{ name: 'harbour', node: 'b-opening', field: 'file' }];
    writeFileSync(file, JSON.stringify(g));
  });

  it('a file outside the project is copied into media/ under its content hash, once', async () => {
    const outside = copySamples('shotgraph-inputs-outside-');
    const picture = path.join(outside, 'dawn.png');
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'color=c=orange:s=640x360',
      '-frames:v',
      '1',
      picture,
    ]);
    for (let i = 0; i < 2; i++) {
      const res = await runCli(['estimate', file, '--set', `harbour=${picture}`], { cwd: outside });
      expect(res.code, res.stderr).toBe(0);
    }
    const copies = readdirSync(path.join(dir, 'media')).filter((f) => f.startsWith('dawn-'));
    expect(copies).toHaveLength(1);
    expect(copies[0]).toMatch(/^dawn-[0-9a-f]{12}\.png$/);
    expect(readFileSync(path.join(dir, 'media', copies[0]!))).toEqual(readFileSync(picture));
  });

  it('a path relative to where the command runs; inside the project it is used where it is', async () => {
    const res = await runCli(['estimate', 'storyboard-film.json', '--set', 'harbour=media/set-design.png'], {
      cwd: dir,
    });
    expect(res.code, res.stderr).toBe(0);
    expect(readdirSync(path.join(dir, 'media')).filter((f) => f.startsWith('set-design'))).toEqual([
      'set-design.png',
    ]);
  });

  it.each([
    ['a missing file', 'nowhere.png', /input "harbour": "nowhere\.png" does not exist/],
    ['a folder', 'media', /input "harbour": "media" is a folder; name a file/],
  ])('refuses %s, naming the input', async (_label, value, message) => {
    const res = await runCli(['estimate', file, '--set', `harbour=${value}`], { cwd: dir });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/node "b-opening", field "file"/);
    expect(res.stderr).toMatch(message);
  });

  it('a FIFO is refused without being opened (no hang)', async () => {
    const fifo = path.join(dir, 'pipe.png');
    execFileSync('mkfifo', [fifo]);
    const res = await runCli(['estimate', file, '--set', `harbour=${fifo}`], { cwd: dir });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/input "harbour": .* is a FIFO/);
  });

  it('a file that is not a picture is refused by validation, naming the input', async () => {
    const text = path.join(dir, 'notes.png');
    writeFileSync(text, 'not a picture');
    const res = await runCli(['render', file, '--set', 'harbour=notes.png'], { cwd: dir });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/node "b-opening", field "file": .*\(input "harbour"\)/);
  });
});
