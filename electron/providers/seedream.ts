// Seedream stills on Ark / ModelArk (docs/gateways.md §7): one synchronous POST /images/generations
// per keyframe. Ark answers with the images themselves (links or base64) and keeps no record of the
// request, so never paying twice rests on two things: the journal's intent before the call (a lost
// answer stops the next run from asking blindly again) and the answer saved in the project at once
// (the receipt), from which a later run makes the files without asking again.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CAPABILITIES } from '../../shared/seedance/capabilities';
import { SEEDREAM_MAX_IMAGES, SEEDREAM_MAX_REFERENCES, seedreamModel } from '../../shared/seedance/seedream';
import { StillDamagedError, verifyStill } from '../media/verify-still';
import { ARK_DIALECT, arkRegion } from './ark';
import type { GatewayOptions } from './gateways/adapter';
import { DamagedFileError, downloadToFile } from './remote/download';
import { GatewayError, isAmbiguousCreateFailure } from './remote/errors';
import { DEFAULT_RETRY, HttpClient } from './remote/http';
import { fileToDataUri } from './remote/media';
import { makeRedactor, type Redactor } from './remote/redact';
import {
  ProviderError,
  type MediaRef,
  type Receipt,
  type ShotContext,
  type StillRequest,
  type StillResult,
} from './types';

const IMAGES_PATH = '/images/generations';
/** Links in an answer last 24 h (docs/gateways.md §7). */
const LINK_LIFE_MS = 24 * 3600 * 1000;
/** A set of 15 large images takes minutes to make; the answer comes only when all are done. */
const ANSWER_TIMEOUT_MS = 10 * 60_000;
const CONSOLE = 'the Ark console (console.volcengine.com/ark or console.byteplus.com/ark)';

// Each item is an image (a link or base64) or that image's own error, inside a 200.
const imageItem = z
  .looseObject({
    url: z.string().min(1).optional(),
    b64_json: z.string().min(1).optional(),
    size: z.string().optional(),
    error: z.looseObject({ code: z.string().optional(), message: z.string().optional() }).optional(),
  })
  .refine((i) => i.error || i.url || i.b64_json, 'an image item has neither an image nor an error');
const imagesAnswer = z.looseObject({
  model: z.string().optional(),
  created: z.number().optional(),
  data: z.array(imageItem).max(64),
  usage: z
    .looseObject({
      generated_images: z.number().int().nonnegative(),
      output_tokens: z.number().int().nonnegative().optional(),
      total_tokens: z.number().int().nonnegative().optional(),
    })
    .optional(),
});
type ImagesAnswer = z.infer<typeof imagesAnswer>;

/** Friendly name → the region's dated id; a raw id or an `ep-…` endpoint passes through. */
export function resolveSeedreamModel(model: string, baseUrl: string): string {
  return seedreamModel(model)?.ids[arkRegion(baseUrl)] ?? model;
}

/** The request body Ark is sent for a keyframe. */
export async function seedreamBody(req: StillRequest, modelId: string): Promise<Record<string, unknown>> {
  const images = await Promise.all(req.referenceImages.map(imageValue));
  return {
    model: modelId,
    prompt: req.prompt,
    ...(images.length === 1 ? { image: images[0] } : images.length > 1 ? { image: images } : {}),
    size: req.size,
    sequential_image_generation: req.count > 1 ? 'auto' : 'disabled',
    ...(req.count > 1 ? { sequential_image_generation_options: { max_images: req.count } } : {}),
    response_format: req.responseFormat,
    stream: false,
    watermark: false,
  };
}

async function imageValue(ref: MediaRef): Promise<string> {
  if (ref.url) return ref.url;
  return (await fileToDataUri(ref.path!, 'image')).uri;
}

export async function seedreamStills(
  opts: GatewayOptions,
  req: StillRequest,
  ctx: ShotContext,
): Promise<StillResult> {
  const caps = CAPABILITIES.ark;
  const baseUrl = (opts.baseUrl || caps.defaultBaseUrl).replace(/\/+$/, '');
  const redact = makeRedactor([opts.apiKey]);
  const receipt = ctx.receipt;
  if (!receipt) throw new Error('a keyframe needs somewhere to keep the paid answer');
  let saved = await receipt.load();
  const resumed = saved !== undefined;
  if (!saved) {
    const before = ctx.journal.current();
    if (before && (before.state === 'intent' || before.state === 'unknown' || before.state === 'submitted')) {
      throw new ProviderError(
        `An earlier request for this keyframe was sent at ${new Date(before.at).toISOString()} and its answer was lost; ` +
          `Ark keeps no list of image requests, so it may have been billed. Check the usage in ${CONSOLE}; ` +
          `to ask again (and pay again), start a new take of "${req.nodeId}" (render --new-take ${req.nodeId}).`,
        { field: 'prompt' },
      );
    }
    // Frames of the set an earlier answer brought are paid for: ask only for the others.
    const kept = await wholeFrames(receipt, ctx.signal);
    const missing = framesOf(req.count).filter((f) => !kept.has(f));
    const asked = missing.length < req.count ? topUp(req, kept, missing) : req;
    const body = await seedreamBody(asked, resolveSeedreamModel(req.model, baseUrl));
    const http = new HttpClient({
      dialect: ARK_DIALECT,
      redact,
      headers: { Authorization: `Bearer ${opts.apiKey}` },
      retry: opts.retry ?? DEFAULT_RETRY,
      timeoutMs: opts.timeoutMs ?? ANSWER_TIMEOUT_MS,
      ...(opts.sleep ? { sleep: opts.sleep } : {}),
      ...(opts.random ? { random: opts.random } : {}),
      ...(opts.onRetry ? { onRetry: opts.onRetry } : {}),
    });
    await ctx.journal.intent();
    ctx.progress(
      0.05,
      missing.length < req.count
        ? `asking Seedream for the missing frame${missing.length === 1 ? '' : 's'} ${missing.join(', ')}`
        : `asking Seedream for ${req.count} frame${req.count === 1 ? '' : 's'}`,
    );
    let answer: { data: ImagesAnswer; requestId: string };
    try {
      answer = await http.json({
        method: 'POST',
        url: `${baseUrl}${IMAGES_PATH}`,
        body,
        schema: imagesAnswer,
        what: 'make the keyframe',
        idempotent: false,
        signal: ctx.signal,
      });
    } catch (e) {
      throw await failedCall(e, ctx, req, redact);
    }
    // The answer, and which frames of the set its items are, kept before anything else can fail.
    const receiptBody = { frames: missing, answer: answer.data };
    await receipt.save(receiptBody);
    await ctx.journal.submitted(`images-${answer.requestId}`);
    saved = { at: Date.now(), body: receiptBody };
  }
  const read = readReceipt(saved.body, req.count);
  if (!read) {
    await receipt.drop();
    await ctx.journal.finished('failed', 'the saved answer is unreadable');
    throw new ProviderError(
      'The saved Seedream answer of this keyframe is unreadable; the next run asks again.',
    );
  }
  const { frames, answer } = read;
  const billed = answer.usage?.generated_images;
  try {
    const got = await materialise(answer, frames, saved.at, req, ctx, opts, redact);
    // Every frame that came is paid for: keep it before anything can fail, then forget the answer.
    for (const [frame, file] of got.files) await receipt.keepFrame(frame, file);
    await receipt.drop();
    const kept = await wholeFrames(receipt, ctx.signal);
    const missing = framesOf(req.count).filter((f) => !kept.has(f));
    if (missing.length) {
      const paid = billed === undefined ? '' : ` (${billed} image${billed === 1 ? ' was' : 's were'} billed)`;
      const keptList = [...kept.keys()].sort((a, b) => a - b);
      const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);
      const message = [
        `Seedream made ${got.files.size} of the ${frames.length} ${plural(frames.length, 'frame', 'frames')} asked for${paid}` +
          (got.failures.length ? `: ${got.failures.join('; ')}.` : '.'),
        keptList.length
          ? `${plural(keptList.length, 'Frame', 'Frames')} ${keptList.join(', ')} ${plural(keptList.length, 'is', 'are')} kept (paid for): the next run asks only for ${plural(missing.length, 'frame', 'frames')} ${missing.join(', ')}, with the kept frames as references so the set stays consistent.`
          : `The next run asks again for ${plural(missing.length, 'frame', 'frames')} ${missing.join(', ')}.`,
        'If it keeps failing, change the prompt or the reference images.',
      ].join(' ');
      await ctx.journal.finished('failed', redact(message));
      const price = seedreamModel(req.model)?.usdPerImage;
      const spent =
        !resumed && price !== undefined ? Math.round((billed ?? got.files.size) * price * 1e4) / 1e4 : 0;
      throw new ProviderError(message, {
        field: got.failures.length ? 'prompt' : 'count',
        ...(spent ? { costUsd: spent } : {}),
      });
    }
    const images: string[] = [];
    for (const frame of framesOf(req.count)) {
      const dest = path.join(ctx.outDir, `frame-${frame}.jpg`);
      await fs.copyFile(kept.get(frame)!, dest);
      images.push(dest);
    }
    const price = seedreamModel(req.model)?.usdPerImage;
    const billedHere = billed ?? got.files.size;
    await ctx.journal.finished('succeeded');
    return {
      images,
      billedImages: billedHere,
      ...(price !== undefined ? { costUsd: Math.round(billedHere * price * 1e4) / 1e4 } : {}),
      ...(answer.usage?.output_tokens !== undefined ? { tokens: answer.usage.output_tokens } : {}),
      ...(resumed ? { resumed: true } : {}),
    };
  } catch (e) {
    // A download cut off keeps the receipt: the next run fetches the frames again without paying.
    throw e instanceof RetryLater ? e.error : e;
  }
}

/** The kept frames that are still whole pictures; a damaged one counts as missing (asked for again). */
async function wholeFrames(receipt: Receipt, signal: AbortSignal): Promise<Map<number, string>> {
  const kept = await receipt.keptFrames();
  for (const [frame, file] of kept) if (await damage(file, signal)) kept.delete(frame);
  return kept;
}

const framesOf = (count: number): number[] => Array.from({ length: count }, (_, i) => i + 1);

/**
 * The request for the frames a set still lacks. Seedream cannot remake one frame of an earlier set
 * (there is no task to continue, docs/gateways.md §7), so the kept frames go along as reference
 * images, as many as the limits allow (references + images made ≤ 15), and the prompt says which.
 */
function topUp(req: StillRequest, kept: Map<number, string>, missing: number[]): StillRequest {
  const room = Math.min(
    SEEDREAM_MAX_REFERENCES - req.referenceImages.length,
    SEEDREAM_MAX_IMAGES - req.referenceImages.length - missing.length,
  );
  const extra = [...kept.entries()]
    .sort(([a], [b]) => a - b)
    .slice(0, Math.max(0, room))
    .map(([, file]) => ({ path: file }));
  const said = extra.length
    ? ` The last ${extra.length === 1 ? 'reference image is a frame' : `${extra.length} reference images are frames`} of this set already made; match them.`
    : '';
  return {
    ...req,
    prompt: `${req.prompt}\n\nFrame${missing.length === 1 ? '' : 's'} ${missing.join(', ')} of a set of ${req.count}.${said}`,
    referenceImages: [...req.referenceImages, ...extra],
    count: missing.length,
  };
}

/** A saved answer and the frames of the set its items stand for (a receipt of before: all of them). */
function readReceipt(body: unknown, count: number): { frames: number[]; answer: ImagesAnswer } | undefined {
  const wrapped = z
    .object({ frames: z.array(z.number().int().min(1).max(15)), answer: z.unknown() })
    .safeParse(body);
  const parsed = imagesAnswer.safeParse(wrapped.success ? wrapped.data.answer : body);
  if (!parsed.success) return undefined;
  return { frames: wrapped.success ? wrapped.data.frames : framesOf(count), answer: parsed.data };
}

/** A download that failed on the way: the receipt stays, and the next run fetches again for free. */
class RetryLater extends Error {
  constructor(readonly error: ProviderError) {
    super(error.message);
  }
}

/**
 * The answer's images as verified files (frame number → file in ctx.outDir), and what failed: an
 * image's own error, a damaged picture, an expired link or an item the answer did not have.
 */
async function materialise(
  answer: ImagesAnswer,
  frames: number[],
  at: number,
  req: StillRequest,
  ctx: ShotContext,
  opts: GatewayOptions,
  redact: Redactor,
): Promise<{ files: Map<number, string>; failures: string[] }> {
  const files = new Map<number, string>();
  const failures: string[] = [];
  for (const [i, frame] of frames.entries()) {
    const item = answer.data[i];
    if (!item) continue; // a set made shorter than asked: the rest are missing, not failed
    if (item.error) {
      failures.push(`frame ${frame}: ${item.error.code ?? 'error'} ${item.error.message ?? ''}`.trim());
      continue;
    }
    ctx.progress(0.6 + (0.4 * i) / frames.length, `saving frame ${frame} of ${req.count}`);
    const dest = path.join(ctx.outDir, `frame-${frame}.jpg`);
    if (item.b64_json !== undefined) {
      const bytes = strictBase64(item.b64_json);
      if (!bytes) {
        failures.push(`frame ${frame} came as damaged base64`);
        continue;
      }
      await fs.writeFile(dest, bytes);
      const damaged = await damage(dest, ctx.signal);
      if (damaged) {
        failures.push(`frame ${frame} is damaged (${damaged})`);
        continue;
      }
    } else if (item.url !== undefined) {
      if (Date.now() - at > LINK_LIFE_MS) {
        failures.push(`the link to frame ${frame} has expired (links last 24 h)`);
        continue;
      }
      try {
        await downloadToFile({
          url: item.url,
          dest,
          what: `download frame ${frame}`,
          redact,
          signal: ctx.signal,
          ...(opts.download?.attempts ? { attempts: opts.download.attempts } : {}),
          ...(opts.download?.backoff ? { backoff: opts.download.backoff } : {}),
          verify: async (tmp) => {
            try {
              await verifyStill(tmp, ctx.signal);
            } catch (e) {
              if (e instanceof StillDamagedError) throw new DamagedFileError(e.message);
              throw e;
            }
          },
        });
      } catch (e) {
        if ((e as Error).name === 'AbortError') throw e;
        // Every fetch brought the same broken picture: the link will not get better.
        if (/the file is damaged/.test((e as Error).message)) {
          failures.push(`frame ${frame} is damaged (${redact((e as Error).message)})`);
          continue;
        }
        throw new RetryLater(
          new ProviderError(
            `Frame ${frame} could not be downloaded: ${redact((e as Error).message)}. The answer is kept: the next run fetches it again without paying.`,
            { retryable: true },
          ),
        );
      }
    }
    files.set(frame, dest);
  }
  return { files, failures };
}

/** Why a decoded frame is not a whole picture, or undefined when it is. */
async function damage(file: string, signal: AbortSignal): Promise<string | undefined> {
  try {
    await verifyStill(file, signal);
    return undefined;
  } catch (e) {
    if (!(e instanceof StillDamagedError)) throw e;
    return e.message;
  }
}

/** Base64 that is only base64 (Buffer.from skips what it does not understand). */
function strictBase64(text: string): Buffer | undefined {
  const clean = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0) return undefined;
  return Buffer.from(clean, 'base64');
}

/** A failed call: a lost answer is recorded as unknown (it may be billed); an answered error is final. */
async function failedCall(
  e: unknown,
  ctx: ShotContext,
  req: StillRequest,
  redact: Redactor,
): Promise<unknown> {
  if (!(e instanceof GatewayError)) {
    if ((e as Error).name === 'AbortError') await ctx.journal.unknown('cancelled while Seedream was working');
    return e;
  }
  const answered = e.kind === 'http' && e.code !== undefined;
  if (!answered && isAmbiguousCreateFailure(e)) {
    await ctx.journal.unknown(redact(e.message));
    return new ProviderError(
      `${redact(e.message)}. The request may have reached Ark and been billed; Ark keeps no list of image requests, so this keyframe is not asked for again automatically. ` +
        `Check the usage in ${CONSOLE}; to ask again, start a new take of "${req.nodeId}".`,
      { ...(e.requestId ? { requestId: e.requestId } : {}) },
    );
  }
  await ctx.journal.finished('failed', redact(e.message));
  const field =
    e.param === 'size' ? 'size' : e.param === 'image' ? 'reference_images' : e.param ? 'model' : undefined;
  return new ProviderError(`${redact(e.message)}. Failed requests are not billed.`, {
    ...(field ? { field } : {}),
    ...(e.requestId ? { requestId: e.requestId } : {}),
    ...(e.status === 429 || (e.status ?? 0) >= 500 ? { retryable: true } : {}),
  });
}
