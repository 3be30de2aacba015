// Seedream stills on Ark / ModelArk (docs/gateways.md §7): one synchronous POST /images/generations
// per keyframe. Ark answers with the images themselves (links or base64) and keeps no record of the
// request, so never paying twice rests on two things: the journal's intent before the call (a lost
// answer stops the next run from asking blindly again) and the answer saved in the project at once
// (the receipt), from which a later run makes the files without asking again.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CAPABILITIES } from '../../shared/seedance/capabilities';
import { seedreamModel } from '../../shared/seedance/seedream';
import { StillDamagedError, verifyStill } from '../media/verify-still';
import { ARK_DIALECT, arkRegion } from './ark';
import type { GatewayOptions } from './gateways/adapter';
import { DamagedFileError, downloadToFile } from './remote/download';
import { GatewayError, isAmbiguousCreateFailure } from './remote/errors';
import { DEFAULT_RETRY, HttpClient } from './remote/http';
import { fileToDataUri } from './remote/media';
import { makeRedactor, type Redactor } from './remote/redact';
import { ProviderError, type MediaRef, type ShotContext, type StillRequest, type StillResult } from './types';

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
    const body = await seedreamBody(req, resolveSeedreamModel(req.model, baseUrl));
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
    ctx.progress(0.05, `asking Seedream for ${req.count} frame${req.count === 1 ? '' : 's'}`);
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
    await receipt.save(answer.data);
    await ctx.journal.submitted(`images-${answer.requestId}`);
    saved = { at: Date.now(), body: answer.data };
  }
  const parsed = imagesAnswer.safeParse(saved.body);
  if (!parsed.success) {
    await receipt.drop();
    await ctx.journal.finished('failed', 'the saved answer is unreadable');
    throw new ProviderError(
      'The saved Seedream answer of this keyframe is unreadable; the next run asks again.',
    );
  }
  try {
    const images = await materialise(parsed.data, saved.at, req, ctx, opts, redact);
    const billed = parsed.data.usage?.generated_images ?? images.length;
    const price = seedreamModel(req.model)?.usdPerImage;
    await ctx.journal.finished('succeeded');
    return {
      images,
      billedImages: billed,
      ...(price !== undefined ? { costUsd: Math.round(billed * price * 1e4) / 1e4 } : {}),
      ...(parsed.data.usage?.output_tokens !== undefined ? { tokens: parsed.data.usage.output_tokens } : {}),
      ...(resumed ? { resumed: true } : {}),
    };
  } catch (e) {
    if ((e as Error).name === 'AbortError' || e instanceof RetryLater)
      throw e instanceof RetryLater ? e.error : e;
    // What Ark sent cannot make the frames: asking again is the only way on.
    await receipt.drop();
    await ctx.journal.finished('failed', redact((e as Error).message));
    throw e;
  }
}

/** A download that failed on the way: the receipt stays, and the next run fetches again for free. */
class RetryLater extends Error {
  constructor(readonly error: ProviderError) {
    super(error.message);
  }
}

async function materialise(
  answer: ImagesAnswer,
  at: number,
  req: StillRequest,
  ctx: ShotContext,
  opts: GatewayOptions,
  redact: Redactor,
): Promise<string[]> {
  const billed = answer.usage?.generated_images;
  const paid = billed === undefined ? '' : ` (${billed} image${billed === 1 ? ' was' : 's were'} billed)`;
  const failures = answer.data.flatMap((item, i) =>
    item.error ? [`frame ${i + 1}: ${item.error.code ?? 'error'} ${item.error.message ?? ''}`.trim()] : [],
  );
  if (failures.length) {
    throw new ProviderError(
      `Seedream could not make every frame of this keyframe${paid}: ${failures.join('; ')}. Change the prompt or the reference images and run again.`,
      { field: 'prompt' },
    );
  }
  if (answer.data.length < req.count) {
    throw new ProviderError(
      `Seedream made ${answer.data.length} of the ${req.count} frames asked for${paid}; say how many frames the set has in the prompt ("a set of ${req.count} images …") and run again.`,
      { field: 'count' },
    );
  }
  const images: string[] = [];
  for (let i = 0; i < req.count; i++) {
    const item = answer.data[i]!;
    ctx.progress(0.6 + (0.4 * i) / req.count, `saving frame ${i + 1} of ${req.count}`);
    const dest = path.join(ctx.outDir, `frame-${i + 1}.jpg`);
    if (item.b64_json !== undefined) {
      const bytes = strictBase64(item.b64_json);
      if (!bytes)
        throw new ProviderError(
          `Seedream sent frame ${i + 1} as damaged base64${paid}; the next run asks again.`,
        );
      await fs.writeFile(dest, bytes);
      await checked(dest, i, paid, ctx.signal);
    } else if (item.url !== undefined) {
      if (Date.now() - at > LINK_LIFE_MS)
        throw new ProviderError(
          `The link to frame ${i + 1} has expired (links last 24 h)${paid}; the next run asks again.`,
        );
      try {
        await downloadToFile({
          url: item.url,
          dest,
          what: `download frame ${i + 1}`,
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
        if (/the file is damaged/.test((e as Error).message))
          throw new ProviderError(
            `Seedream's frame ${i + 1} is damaged (${redact((e as Error).message)})${paid}; the next run asks again.`,
          );
        throw new RetryLater(
          new ProviderError(
            `Frame ${i + 1} could not be downloaded: ${redact((e as Error).message)}. The answer is kept: the next run fetches it again without paying.`,
            { retryable: true },
          ),
        );
      }
    }
    images.push(dest);
  }
  return images;
}

async function checked(file: string, i: number, paid: string, signal: AbortSignal): Promise<void> {
  try {
    await verifyStill(file, signal);
  } catch (e) {
    if (!(e instanceof StillDamagedError)) throw e;
    throw new ProviderError(
      `Seedream sent a damaged frame ${i + 1} (${e.message})${paid}; the next run asks again.`,
    );
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
