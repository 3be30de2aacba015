// zod issues → Problems that name the node (by id, not array index) and the field.
import type { z } from 'zod';
import type { Problem } from '../problems';

export function zodIssuesToProblems(issues: z.core.$ZodIssue[], doc: Record<string, unknown>): Problem[] {
  return issues.map((issue) => {
    const path = issue.path.map(String);
    if ((path[0] === 'nodes' || path[0] === 'edges') && path.length >= 2) {
      const list = doc[path[0]] as unknown[];
      const item = Array.isArray(list)
        ? (list[Number(path[1])] as Record<string, unknown> | undefined)
        : undefined;
      const field = path.slice(2).join('.') || undefined;
      if (path[0] === 'nodes') {
        const id = typeof item?.id === 'string' ? short(item.id) : `#${path[1]}`;
        return { code: 'schema', nodeId: id, ...(field ? { field } : {}), message: issue.message };
      }
      const part = (v: unknown) => (typeof v === 'string' ? short(v) : '?');
      const label = item
        ? `edge ${part(item.source)}.${part(item.sourcePort)} → ${part(item.target)}.${part(item.targetPort)}`
        : `edge #${path[1]}`;
      // zod's "expected string, received undefined" reads badly for a key that is simply absent.
      const missing = item && path.length === 3 && item[path[2]!] === undefined;
      const message = missing
        ? `"${field}" is missing; an edge needs source, sourcePort, target and targetPort`
        : issue.message;
      return {
        code: 'schema',
        field: `edges[${path[1]}]${field ? '.' + field : ''}`,
        message: `${label}: ${message}`,
        ...(typeof item?.target === 'string' ? { nodeId: item.target } : {}),
      };
    }
    if (path[0] === 'inputs' && path.length >= 2) {
      // Name the input as the user knows it, not by its place in the list.
      const list = doc.inputs;
      const item = Array.isArray(list)
        ? (list[Number(path[1])] as Record<string, unknown> | undefined)
        : undefined;
      const name = typeof item?.name === 'string' ? `input "${short(item.name)}"` : `input #${path[1]}`;
      return {
        code: 'schema',
        field: `inputs[${path[1]}]${path.length > 2 ? '.' + path.slice(2).join('.') : ''}`,
        message: `${name}: ${issue.message}`,
        ...(typeof item?.node === 'string' ? { nodeId: short(item.node) } : {}),
      };
    }
    return { code: 'schema', field: path.join('.') || undefined, message: issue.message } as Problem;
  });
}

/** Problems for one node's params, with `field` set to the param's name. */
export function paramIssuesToProblems(nodeId: string, issues: z.core.$ZodIssue[]): Problem[] {
  return issues.map((issue) => ({
    code: 'param',
    nodeId,
    field: issue.path.map(String).join('.') || 'params',
    message: issue.message,
  }));
}

/** An id or port name as written, shortened when it is far too long to be one (never echo megabytes). */
function short(text: string): string {
  return text.length > 80 ? `${text.slice(0, 60)}… (${text.length} characters)` : text;
}
