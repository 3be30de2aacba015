// Request checks shared by every route of web mode.
import { timingSafeEqual } from 'node:crypto';

export function tokenMatches(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Per port: two servers on 127.0.0.1 must not overwrite each other's cookie. */
export function tokenCookie(port: number): string {
  return `shotgraph-${port}`;
}

/** The value of one cookie in a Cookie header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * The editor's own files (and, in dev mode, every file route of Vite's server): the token in the
 * URL once, then the HttpOnly cookie this server set from it.
 */
export function assetAccess(
  url: URL,
  cookieHeader: string | undefined,
  token: string,
  port: number,
): 'query' | 'cookie' | null {
  if (tokenMatches(url.searchParams.get('token'), token)) return 'query';
  return tokenMatches(cookieValue(cookieHeader, tokenCookie(port)), token) ? 'cookie' : null;
}

/** Only our own host names: a DNS-rebinding page would arrive with its own Host header. */
export function hostAllowed(hostHeader: string | undefined, port: number): boolean {
  return hostHeader === `127.0.0.1:${port}` || hostHeader === `localhost:${port}`;
}
