// Seedream's POST /api/v3/images/generations on the Ark mock, as docs/gateways.md §7 describes it:
// synchronous, strict body checks with `param` on 400s, real JPEGs made by ffmpeg at the asked size,
// links on loopback or base64, per-image errors inside a 200, `usage.generated_images` counting only
// the images made. Faults per request and frame: an image's own error, garbage base64, a cut-short JPEG.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { runFfmpeg } from '../../electron/media/ffmpeg';
import {
  SEEDREAM,
  SEEDREAM_MAX_IMAGES,
  SEEDREAM_MAX_REFERENCES,
  explicitSize,
  seedreamSizeIssue,
  type SeedreamModel,
} from '../../shared/seedance/seedream';
import type { MediaStore, ProtocolRequest, ProtocolResponse } from './gateway';

export interface ImageFault {
  /** 1-based images request it hits (default: every one). */
  request?: number;
  /** 1-based frame of that answer. */
  frame: number;
  /** `error`: the frame is an error item (not billed); `garbage`: base64 that is not; `truncated`: half a JPEG. */
  kind: 'error' | 'garbage' | 'truncated';
  code?: string;
}

export interface SeedreamMockOptions {
  imageFaults?: ImageFault[];
}

const KNOWN = new Set([
  'model',
  'prompt',
  'image',
  'size',
  'seed',
  'sequential_image_generation',
  'sequential_image_generation_options',
  'stream',
  'guidance_scale',
  'response_format',
  'watermark',
  'optimize_prompt_options',
]);

type Error400 = { message: string; param: string; code?: string };

export function createSeedreamImages(
  o: SeedreamMockOptions,
  media: MediaStore,
  envelope: (
    status: number,
    code: string,
    message: string,
    requestId: string,
    param?: string,
  ) => ProtocolResponse,
) {
  let requests = 0;
  let generated = 0;
  const bodies: Record<string, unknown>[] = [];

  function friendly(model: string): SeedreamModel | undefined {
    for (const [name, facts] of Object.entries(SEEDREAM))
      if (facts.ids.cn === model || facts.ids.intl === model) return name as SeedreamModel;
    return undefined;
  }

  function check(raw: unknown): { body: Record<string, unknown>; model?: SeedreamModel } | Error400 {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw))
      return { message: 'The request body must be a JSON object.', param: '' };
    const body = raw as Record<string, unknown>;
    for (const k of Object.keys(body))
      if (!KNOWN.has(k))
        return {
          message: `The parameter \`${k}\` specified in the request is not valid: unknown parameter.`,
          param: k,
        };
    if (typeof body.model !== 'string' || !body.model)
      return {
        message: 'The request failed because it is missing one or multiple required parameters.',
        param: 'model',
        code: 'MissingParameter',
      };
    const model = friendly(body.model);
    if (!model && !body.model.startsWith('ep-'))
      return {
        message: `The model or endpoint ${body.model} does not exist or you do not have access to it.`,
        param: 'model',
        code: 'InvalidEndpointOrModel.NotFound',
      };
    if (typeof body.prompt !== 'string' || !body.prompt.trim())
      return {
        message: 'The request failed because it is missing one or multiple required parameters.',
        param: 'prompt',
        code: 'MissingParameter',
      };
    const images = body.image === undefined ? [] : Array.isArray(body.image) ? body.image : [body.image];
    if (images.length > SEEDREAM_MAX_REFERENCES)
      return {
        message: `The parameter \`image\` specified in the request is not valid: at most ${SEEDREAM_MAX_REFERENCES} images.`,
        param: 'image',
      };
    for (const img of images)
      if (
        typeof img !== 'string' ||
        !(/^data:image\/[a-z]+;base64,[A-Za-z0-9+/=]+$/.test(img) || /^https?:\/\//.test(img))
      )
        return {
          message:
            'The parameter `image` specified in the request is not valid: must be a URL or data:image/<format>;base64,<data>.',
          param: 'image',
        };
    if (body.size !== undefined) {
      const issue = typeof body.size === 'string' && model ? seedreamSizeIssue(model, body.size) : undefined;
      if (typeof body.size !== 'string' || issue)
        return {
          message: `The parameter \`size\` specified in the request is not valid: ${issue ?? 'must be a string'}.`,
          param: 'size',
        };
    }
    const seq = body.sequential_image_generation ?? 'disabled';
    if (seq !== 'auto' && seq !== 'disabled')
      return {
        message:
          'The parameter `sequential_image_generation` specified in the request is not valid: must be auto or disabled.',
        param: 'sequential_image_generation',
      };
    const opts = body.sequential_image_generation_options as { max_images?: unknown } | undefined;
    const max = opts?.max_images ?? SEEDREAM_MAX_IMAGES;
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > SEEDREAM_MAX_IMAGES)
      return {
        message: `The parameter \`sequential_image_generation_options.max_images\` specified in the request is not valid: must be 1 to ${SEEDREAM_MAX_IMAGES}.`,
        param: 'sequential_image_generation_options.max_images',
      };
    if (seq === 'auto' && images.length + max > SEEDREAM_MAX_IMAGES)
      return {
        message: `The number of input and output images may not exceed ${SEEDREAM_MAX_IMAGES}.`,
        param: 'sequential_image_generation_options.max_images',
      };
    if (
      body.response_format !== undefined &&
      body.response_format !== 'url' &&
      body.response_format !== 'b64_json'
    )
      return {
        message:
          'The parameter `response_format` specified in the request is not valid: must be url or b64_json.',
        param: 'response_format',
      };
    if (body.watermark !== undefined && typeof body.watermark !== 'boolean')
      return {
        message: 'The parameter `watermark` specified in the request is not valid: must be a boolean.',
        param: 'watermark',
      };
    if (body.stream !== undefined && body.stream !== false)
      return { message: 'This mock answers only stream: false.', param: 'stream' };
    return model ? { body, model } : { body };
  }

  function pixels(size: string | undefined, model: SeedreamModel | undefined): [number, number] {
    const wh = explicitSize(size ?? '2048x2048');
    if (wh) return wh;
    const side = size === '1K' ? 1024 : size === '4K' ? 4096 : 2048;
    return model === 'seedream-4.5' && side < 2048 ? [2048, 2048] : [side, side];
  }

  async function makeJpeg(file: string, w: number, h: number, n: number): Promise<void> {
    await runFfmpeg(
      [
        ...['-loglevel', 'error', '-f', 'lavfi', '-i', `testsrc2=size=${w}x${h}:rate=1`],
        ...['-vf', `hue=h=${(n * 47) % 360}`, '-frames:v', '1', '-q:v', '6', file],
      ],
      { timeoutMs: 60_000 },
    );
  }

  async function handle(req: ProtocolRequest): Promise<ProtocolResponse> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(req.body.toString('utf8'));
    } catch {
      return envelope(400, 'InvalidParameter', 'The request body is not valid JSON.', req.requestId);
    }
    const checked = check(parsed);
    if ('param' in checked)
      return envelope(400, checked.code ?? 'InvalidParameter', checked.message, req.requestId, checked.param);
    const { body, model } = checked;
    requests++;
    const nth = requests;
    bodies.push(body);
    const count =
      body.sequential_image_generation === 'auto'
        ? ((body.sequential_image_generation_options as { max_images?: number } | undefined)?.max_images ?? 1)
        : 1;
    const [w, h] = pixels(body.size as string | undefined, model);
    const dir = path.join(media.dir, `images-${nth}`);
    await fs.mkdir(dir, { recursive: true });
    const data: Record<string, unknown>[] = [];
    let made = 0;
    for (let n = 1; n <= count; n++) {
      const fault = o.imageFaults?.find(
        (f) => f.frame === n && (f.request === undefined || f.request === nth),
      );
      if (fault?.kind === 'error') {
        const code = fault.code ?? 'OutputImageSensitiveContentDetected';
        data.push({
          error: {
            code,
            message: 'The request failed because the output image may contain sensitive information.',
          },
        });
        continue;
      }
      const file = path.join(dir, `frame-${n}.jpeg`);
      await makeJpeg(file, w, h, n + nth);
      made++;
      let bytes = await fs.readFile(file);
      if (fault?.kind === 'truncated') {
        bytes = bytes.subarray(0, Math.floor(bytes.length / 2));
        await fs.writeFile(file, bytes);
      }
      if (body.response_format === 'b64_json') {
        data.push({
          b64_json: fault?.kind === 'garbage' ? '%%not*base64%%' : bytes.toString('base64'),
          size: `${w}x${h}`,
        });
      } else {
        if (fault?.kind === 'garbage') await fs.writeFile(file, 'this is not an image');
        data.push({
          url: media.publish(`images-${nth}`, `frame-${n}.jpeg`, file, 'image/jpeg'),
          size: `${w}x${h}`,
        });
      }
    }
    generated += made;
    const answer = {
      model: body.model,
      created: Math.floor(Date.now() / 1000),
      data,
      usage: {
        generated_images: made,
        output_tokens: Math.round((made * w * h) / 256),
        total_tokens: Math.round((made * w * h) / 256),
      },
    };
    const kind = req.fault?.kind;
    // The images are made (and billed) before the answer is lost or mangled.
    if (kind === 'reset_after_create') return { status: 0, reset: true };
    if (kind === 'malformed') return { status: 200, raw: '{"data": [' };
    if (kind === 'garbage') return { status: 200, json: { images: 'none' } };
    return { status: 200, json: answer };
  }

  return {
    handle,
    stats: () => ({ imageRequests: requests, imagesGenerated: generated, imageBodies: bodies }),
  };
}
