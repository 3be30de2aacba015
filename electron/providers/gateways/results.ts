// A finished task's files, saved into the shot's folder the moment they exist (result links die
// after a day): the video, fully demuxed and held to the length the gateway reported before it is
// kept (a short or damaged file is fetched again while the link lives), and its last frame — the
// gateway's own where it hands one back, else taken from the video.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { prepareLastFrame } from '../../media/last-frame';
import { ClipDamagedError, verifyClip } from '../../media/verify-clip';
import { DamagedFileError, downloadToFile, type DownloadOptions } from '../remote/download';
import type { RetryInfo } from '../remote/http';
import { sniffMediaType } from '../remote/media';
import type { Redactor } from '../remote/redact';
import type { Backoff, Sleep } from '../remote/timing';
import type { TaskView } from './adapter';
import type { NetworkLimits } from './limits';

export interface ResultFiles {
  video: string;
  lastFrame: string;
  durationSec: number;
}

export interface FetchResults {
  task: TaskView;
  /** The gateway, as users name it ("Ark"), for messages. */
  label: string;
  limits: NetworkLimits;
  outDir: string;
  signal: AbortSignal;
  redact: Redactor;
  download?: { attempts?: number; backoff?: Backoff };
  sleep?: Sleep;
  random?: () => number;
  onRetry?: (info: RetryInfo) => void;
}

export async function fetchResults(o: FetchResults): Promise<ResultFiles> {
  const { task, signal, limits } = o;
  const common: Omit<DownloadOptions, 'url' | 'dest' | 'what'> = {
    redact: o.redact,
    signal,
    minBytesPerSec: limits.downloadMinBytesPerSec,
    windowMs: limits.downloadWindowMs,
    maxMs: limits.downloadMaxMs,
    ...(o.download?.attempts ? { attempts: o.download.attempts } : {}),
    ...(o.download?.backoff ? { backoff: o.download.backoff } : {}),
    ...(o.sleep ? { sleep: o.sleep } : {}),
    ...(o.random ? { random: o.random } : {}),
    ...(o.onRetry ? { onRetry: o.onRetry } : {}),
  };
  const video = path.join(o.outDir, 'video.mp4');
  let durationSec = task.durationSec ?? 0;
  // No last frame from the gateway: its ffmpeg starts while the clip downloads (a prepared seam,
  // docs/architecture.md §5.2), so the next shot of a chain waits for no process start.
  const ownFrame = task.lastFrameUrl
    ? undefined
    : prepareLastFrame(path.join(o.outDir, 'last-frame.png'), {
        signal,
        ...(task.durationSec ? { expectedSec: task.durationSec } : {}),
      });
  await downloadToFile({
    ...common,
    url: task.videoUrl ?? '',
    dest: video,
    what: `download the video of task ${task.id}`,
    verify: async (tmp) => {
      try {
        const facts = await verifyClip(tmp, {
          ...(task.durationSec ? { expectedSec: task.durationSec } : {}),
          reportedBy: o.label,
          signal,
          ...(limits.verifyTimeoutMs ? { timeoutMs: limits.verifyTimeoutMs } : {}),
        });
        durationSec = facts.durationSec || durationSec;
      } catch (e) {
        // Without ffprobe nothing is kept unverified: the error says how to install it, and the
        // task stays recorded, so the next run downloads it without paying again.
        throw e instanceof ClipDamagedError ? new DamagedFileError(e.message) : e;
      }
    },
  }).catch((e: unknown) => {
    ownFrame?.cancel();
    throw e;
  });
  const lastFrame = ownFrame
    ? await ownFrame.from(video)
    : await downloadFrame(task.lastFrameUrl!, o.outDir, `download the last frame of task ${task.id}`, common);
  return { video, lastFrame, durationSec };
}

/** The gateway's last frame, byte for byte, named by what it really is (docs disagree: png or jpeg, §5.4). */
async function downloadFrame(
  url: string,
  outDir: string,
  what: string,
  common: Omit<DownloadOptions, 'url' | 'dest' | 'what'>,
): Promise<string> {
  let file = path.join(outDir, 'last-frame.png');
  let subtype = 'png';
  await downloadToFile({
    ...common,
    url,
    dest: file,
    what,
    verify: async (tmp) => {
      const type = sniffMediaType(await readHead(tmp), '');
      if (type?.kind !== 'image') throw new DamagedFileError('it is not an image');
      subtype = type.subtype;
    },
  });
  if (subtype !== 'png') {
    const named = path.join(outDir, `last-frame.${subtype === 'jpeg' ? 'jpg' : subtype}`);
    await fs.rename(file, named);
    file = named;
  }
  return file;
}

async function readHead(file: string): Promise<Buffer> {
  const fh = await fs.open(file, 'r');
  try {
    const buf = Buffer.alloc(16);
    const { bytesRead } = await fh.read(buf, 0, 16, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}
