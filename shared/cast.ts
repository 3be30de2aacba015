// The film's cast (docs/architecture.md §3, docs/gateways.md §4.1): characters, props and locations
// named once at the top of the graph and called into any shot's prompt as `@Name`. A mention attaches
// the member's reference images (then its asset:// id) and voice to that shot, numbered after what is
// wired, and the mention is spelled the way the shot's gateway reads numbered media.
import { z } from 'zod';
import { formatRef, refStyleFor, type RefKind } from './seedance/prompt-refs';

export const CAST_KINDS = ['character', 'prop', 'location'] as const;
export type CastKind = (typeof CAST_KINDS)[number];

/** Letters, digits and "_", starting with a letter: what `@Name` can spell inside a sentence. */
const NAME = /^\p{L}[\p{L}\p{N}_]{0,39}$/u;
/** Names a prompt already uses for numbered media ("@image 1", "@image_file_1"): never a member. */
const RESERVED = /^(image|video|audio)(_?\d+|_file_\d+)?$/i;
/** Ark's asset library id (docs/gateways.md §1.5); sent as is, never fetched or probed here. */
const ASSET_ID = /^asset:\/\/[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export const castMemberSchema = z.looseObject({
  name: z
    .string()
    .regex(NAME, 'must be 1–40 letters, digits or "_", starting with a letter (it is written @Name)')
    .refine((n) => !RESERVED.test(n), 'reads as a numbered medium ("image 1"); choose another name'),
  kind: z.enum(CAST_KINDS),
  images: z.array(z.string().min(1)).max(9).default([]),
  voice: z.string().min(1).optional(),
  assetId: z.string().regex(ASSET_ID, 'must be asset://<ASSET_ID>').optional(),
});
export type CastMember = z.infer<typeof castMemberSchema>;

export const castSchema = z.array(castMemberSchema).max(200);

/** Where a member's media sit in the graph, for messages: `cast[1].images[0]`. */
export function castField(index: number, part?: string): string {
  return `cast[${index}]${part ? '.' + part : ''}`;
}

export interface Mention {
  name: string;
  start: number;
  end: number;
}

// "@Mira", "(@Mira)", "@Mira's"; not "mail@mira.com" (a letter or dot before the @).
const MENTION = /(?<![\p{L}\p{N}_@.])@(\p{L}[\p{L}\p{N}_]*)/gu;

/** Every `@Name` in a prompt that could be a member (numbered media tokens left out). */
export function findMentions(text: string): Mention[] {
  const out: Mention[] = [];
  for (const m of text.matchAll(MENTION)) {
    const name = m[1] ?? '';
    // "@image 1" / "@image_file_1" are numbered media (prompt-refs.ts), not people.
    if (RESERVED.test(name) || /^(image|video|audio)$/i.test(name)) continue;
    out.push({ name, start: m.index, end: m.index + m[0].length });
  }
  return out;
}

function lookup(cast: readonly CastMember[]): Map<string, CastMember> {
  return new Map(cast.map((m) => [m.name.toLowerCase(), m]));
}

/** The members a prompt calls in, once each, in the order they are first mentioned. */
export function mentionedMembers(prompt: string, cast: readonly CastMember[] | undefined): CastMember[] {
  if (!cast?.length) return [];
  const byName = lookup(cast);
  const seen = new Set<CastMember>();
  for (const m of findMentions(prompt)) {
    const member = byName.get(m.name.toLowerCase());
    if (member) seen.add(member);
  }
  return [...seen];
}

/** `@Names` that match no member, once each. */
export function unknownMentions(prompt: string, cast: readonly CastMember[] | undefined): string[] {
  const byName = lookup(cast ?? []);
  return [...new Set(findMentions(prompt).map((m) => m.name))].filter((n) => !byName.has(n.toLowerCase()));
}

/** A member's images as sent: its files in order, then its asset id (an image on Ark, §1.5). */
export function memberImages(member: CastMember): string[] {
  return [...member.images, ...(member.assetId ? [member.assetId] : [])];
}

export function isAssetId(value: string): boolean {
  return /^asset:\/\//i.test(value);
}

/** What a shot receives from its cast: media after the wired ones, and each member's numbers. */
export interface CastAttachment {
  images: { member: string; value: string }[];
  audios: { member: string; value: string }[];
  /** Per member (lower-case name): its 1-based image and audio numbers in the shot. */
  numbers: Map<string, { image: number[]; audio: number[] }>;
}

/**
 * The media the mentioned members bring, numbered after the shot's own: `wiredImages` counts first
 * frame, last frame and wired reference images, `wiredAudios` the wired reference audios.
 */
export function attachCast(
  members: readonly CastMember[],
  wiredImages: number,
  wiredAudios: number,
): CastAttachment {
  const out: CastAttachment = { images: [], audios: [], numbers: new Map() };
  for (const member of members) {
    const nums = { image: [] as number[], audio: [] as number[] };
    for (const value of memberImages(member)) {
      out.images.push({ member: member.name, value });
      nums.image.push(wiredImages + out.images.length);
    }
    if (member.voice) {
      out.audios.push({ member: member.name, value: member.voice });
      nums.audio.push(wiredAudios + out.audios.length);
    }
    out.numbers.set(member.name.toLowerCase(), nums);
  }
  return out;
}

/** One numbered medium as `gateway` reads it: Ark's bracketed "[image 3]", seed2.io's "@image_file_3". */
export function castRef(kind: RefKind, n: number, gateway: string): string {
  const style = refStyleFor(gateway);
  // Ark's prompt guide brackets numbered references for instruction following (§4).
  return style === 'ark' ? `[${kind} ${n}]` : formatRef(kind, n, style);
}

/** The prompt with each `@Name` spelled as the name and its media: "Mira ([image 3], [image 4])". */
export function spellMentions(prompt: string, attachment: CastAttachment, gateway: string): string {
  let out = '';
  let at = 0;
  for (const m of findMentions(prompt)) {
    const nums = attachment.numbers.get(m.name.toLowerCase());
    if (!nums) continue;
    const refs = [
      ...nums.image.map((n) => castRef('image', n, gateway)),
      ...nums.audio.map((n) => castRef('audio', n, gateway)),
    ];
    out += prompt.slice(at, m.start) + m.name + (refs.length ? ` (${refs.join(', ')})` : '');
    at = m.end;
  }
  return out + prompt.slice(at);
}

/**
 * Seedance takes frames or references, never both (docs/gateways.md §1.5): a shot with a first (and
 * last) frame that calls in the cast sends its frames as the first reference images and says so in
 * the prompt, the documented way to start on a frame in reference mode.
 */
export function framesAsReferences(prompt: string, frames: number, gateway: string): string {
  const said = ['first', 'last']
    .slice(0, frames)
    .map((which, i) => `${castRef('image', i + 1, gateway)} is the ${which} frame.`);
  return [...said, prompt].filter(Boolean).join(' ');
}
