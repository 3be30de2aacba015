// The project-path resolver on a real folder: symlinks (in, out, chains, loops, dangling, folders),
// special files (FIFO, socket, character device, folder) detected without opening them, and where a
// graph may ask for its film to be written.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { link, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveProjectInput, resolveProjectOutput } from '../../electron/engine/project-path';

let tmp: string;
let dir: string;
let outside: string;
let socket: net.Server;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'shotgraph-project-path-'));
  dir = path.join(tmp, 'project');
  outside = path.join(tmp, 'private');
  await mkdir(path.join(dir, 'media'), { recursive: true });
  await mkdir(path.join(dir, '.shotgraph'), { recursive: true });
  await mkdir(outside);
  await writeFile(path.join(dir, 'graph.json'), '{}');
  await writeFile(path.join(dir, 'media', 'still.png'), 'png');
  await writeFile(path.join(outside, 'secret.png'), 'secret');
  await symlink('still.png', path.join(dir, 'media', 'alias.png'));
  await symlink(path.join(outside, 'secret.png'), path.join(dir, 'media', 'out.png'));
  await symlink('out.png', path.join(dir, 'media', 'chain.png')); // chain → out → outside
  await symlink('loop-b.png', path.join(dir, 'media', 'loop-a.png'));
  await symlink('loop-a.png', path.join(dir, 'media', 'loop-b.png'));
  await symlink('gone.png', path.join(dir, 'media', 'dangling.png'));
  await symlink(outside, path.join(dir, 'elsewhere'));
  execFileSync('mkfifo', [path.join(dir, 'media', 'pipe.mp4')]);
  await symlink('pipe.mp4', path.join(dir, 'media', 'to-pipe.mp4'));
  await symlink('/dev/zero', path.join(dir, 'media', 'zero.mp4'));
  socket = net.createServer();
  await new Promise<void>((resolve) => socket.listen(path.join(dir, 'media', 'sock.wav'), resolve));
  execFileSync('mkfifo', [path.join(dir, 'film-pipe.mp4')]);
  await mkdir(path.join(dir, 'folder.mp4'));
  await symlink('graph.json', path.join(dir, 'linked.mp4'));
  await link(path.join(dir, 'graph.json'), path.join(dir, 'hard.mp4'));
  await symlink('.shotgraph', path.join(dir, 'state'));
});

afterAll(async () => {
  await new Promise((resolve) => socket.close(resolve));
  await rm(tmp, { recursive: true, force: true });
});

describe('resolveProjectInput', () => {
  it('gives the real path of a file inside the folder, through a symlink that stays inside', async () => {
    expect(await resolveProjectInput(dir, 'media/still.png')).toMatchObject({
      ok: true,
      path: path.join(dir, 'media', 'still.png'),
      size: 3,
    });
    expect(await resolveProjectInput(dir, 'media/alias.png')).toMatchObject({
      ok: true,
      path: path.join(dir, 'media', 'still.png'),
    });
  });

  it.each([
    ['media/out.png', 'media.outside', 'private'],
    ['media/chain.png', 'media.outside', 'through a symbolic link'],
    ['elsewhere/secret.png', 'media.outside', '--allow-outside'],
    ['media/loop-a.png', 'media.missing', 'loop of symbolic links'],
    ['media/dangling.png', 'media.missing', 'symbolic link to nothing'],
    ['media/pipe.mp4', 'media.not-file', 'is a FIFO (named pipe), not a file'],
    ['media/to-pipe.mp4', 'media.not-file', 'FIFO (named pipe) (through a symbolic link'],
    ['media/sock.wav', 'media.not-file', 'is a socket'],
    ['media', 'media.not-file', 'is a folder'],
    ['media/absent.png', 'media.missing', 'was not found'],
    ['../private/secret.png', 'media.outside', '--allow-outside'],
    ['media/zero.mp4', 'media.outside', '/dev/zero'],
  ])('refuses %s (%s)', async (file, code, words) => {
    const r = await resolveProjectInput(dir, file);
    expect(r).toMatchObject({ ok: false, code });
    expect(!r.ok && r.message).toContain(words);
  });

  it('with consent, follows a link out, and still refuses a device for what it is', async () => {
    expect(await resolveProjectInput(dir, 'media/out.png', { allowOutside: true })).toMatchObject({
      ok: true,
      path: path.join(outside, 'secret.png'),
    });
    const zero = await resolveProjectInput(dir, 'media/zero.mp4', { allowOutside: true });
    expect(zero).toMatchObject({ ok: false, code: 'media.not-file' });
    expect(!zero.ok && zero.message).toContain('a character device');
    const random = await resolveProjectInput(dir, '/dev/random', { allowOutside: true });
    expect(!random.ok && random.message).toContain('a character device');
  });

  it('says what a file should be', async () => {
    const r = await resolveProjectInput(dir, 'media/pipe.mp4', { expected: 'an mp4 video' });
    expect(!r.ok && r.message).toContain('choose an mp4 video');
  });
});

describe('resolveProjectOutput', () => {
  it('accepts a new file in a folder that does not exist yet', async () => {
    expect(await resolveProjectOutput(dir, 'films/today/cut.mp4')).toEqual({
      ok: true,
      path: path.join(dir, 'films', 'today', 'cut.mp4'),
      size: 0,
      mtimeMs: 0,
    });
    expect(existsSync(path.join(dir, 'films'))).toBe(false); // resolving creates nothing
  });

  it.each([
    ['elsewhere/film.mp4', 'output.outside', path.join('private', 'film.mp4')],
    ['film-pipe.mp4', 'output.not-file', 'a FIFO (named pipe)'],
    ['folder.mp4', 'output.not-file', 'a folder'],
    ['linked.mp4', 'output.not-file', 'symbolic link'],
    ['state/film.mp4', 'output.state', '.shotgraph'],
    ['media/still.png/film.mp4', 'output.not-folder', 'not a folder'],
    ['../film.mp4', 'output.outside', '--allow-outside'],
  ])('refuses %s (%s)', async (file, code, words) => {
    const r = await resolveProjectOutput(dir, file, { graphPath: path.join(dir, 'graph.json') });
    expect(r).toMatchObject({ ok: false, code });
    expect(!r.ok && r.message).toContain(words);
  });

  it('refuses the graph file itself, even under another name', async () => {
    const r = await resolveProjectOutput(dir, 'hard.mp4', { graphPath: path.join(dir, 'graph.json') });
    expect(r).toMatchObject({ ok: false, code: 'output.graph' });
  });
});
