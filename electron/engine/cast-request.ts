// A shot's cast, added to its request (docs/gateways.md §4.1): each `@Name` brings the member's
// images (then its asset:// id) and voice after what is wired, and the prompt names them the way the
// shot's gateway numbers media. Files follow the project-path rule, like every path a graph names.
import {
  attachCast,
  castField,
  framesAsReferences,
  isAssetId,
  mentionedMembers,
  spellMentions,
} from '../../shared/cast';
import type { Graph, GraphNode } from '../../shared/graph/schema';
import { isGatewayName, modelCapabilities } from '../../shared/seedance/capabilities';
import { isRemoteUrl } from '../../shared/validate/media-path';
import type { MediaRef, ShotRequest } from '../providers/types';
import { projectInput } from './project-path';

export interface CastPaths {
  graphDir: string;
  allowOutside: boolean;
}

export async function withCast(
  graph: Graph,
  node: GraphNode,
  req: ShotRequest,
  gateway: string,
  paths: CastPaths,
): Promise<ShotRequest> {
  const members = mentionedMembers(req.prompt, graph.cast);
  if (!members.length) return req;
  const frames = (req.firstFrame ? 1 : 0) + (req.lastFrame ? 1 : 0);
  const wiredImages = frames + req.referenceImages.length;
  const attachment = attachCast(members, wiredImages, req.referenceAudios.length);
  const indexOf = new Map((graph.cast ?? []).map((m, i) => [m.name, i]));
  const imageField = (member: string, value: string) => {
    if (isAssetId(value)) return 'assetId';
    const images = graph.cast?.[indexOf.get(member) ?? 0]?.images ?? [];
    return `images[${Math.max(0, images.indexOf(value))}]`;
  };
  const ref = async (value: string, member: string, part: string): Promise<MediaRef> => {
    if (isRemoteUrl(value) || isAssetId(value)) return { url: value };
    const where = { nodeId: node.id, field: castField(indexOf.get(member) ?? 0, part) };
    return { path: await projectInput(paths.graphDir, value, where, { allowOutside: paths.allowOutside }) };
  };
  const images = await Promise.all(
    attachment.images.map((a) => ref(a.value, a.member, imageField(a.member, a.value))),
  );
  const audios = await Promise.all(attachment.audios.map((a) => ref(a.value, a.member, 'voice')));
  const out: ShotRequest = {
    ...req,
    prompt: spellMentions(req.prompt, attachment, gateway),
    referenceImages: [...req.referenceImages, ...images],
    referenceAudios: [...req.referenceAudios, ...audios],
  };
  // Frames and references exclude each other on Seedance (§1.5): where the gateway sends frames by
  // role, a shot with a cast sends them as its first reference images instead and names them in the
  // prompt. seed2.io already does this for every first frame; the animatic has no modes at all.
  const roles = isGatewayName(gateway) && modelCapabilities(gateway, req.model).firstFrame === 'role';
  if (!frames || !roles) return out;
  const { firstFrame, lastFrame, ...rest } = out;
  return {
    ...rest,
    prompt: framesAsReferences(out.prompt, frames, gateway),
    referenceImages: [
      ...(firstFrame ? [firstFrame] : []),
      ...(lastFrame ? [lastFrame] : []),
      ...out.referenceImages,
    ],
  };
}
