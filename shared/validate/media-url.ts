// Which media URLs a graph may name (docs/architecture.md §3, docs/gateways.md §3.1). A URL in a graph
// is handed to a paid gateway that fetches it from its own network, so a shared graph must not aim
// it at loopback, private, link-local or metadata addresses, nor hide such an address behind an odd
// spelling. Pure: the engine adds a DNS check of the host just before the user's run.
import { addressClass } from './address-class';
import { quoted } from './quoted';

export { addressClass } from './address-class';

export interface MediaUrlOptions {
  /** Origins (`scheme://host[:port]`) the user trusts, e.g. a local test server; from the environment. */
  trustedOrigins?: readonly string[];
}

export interface UrlIssue {
  code: 'media.url';
  message: string;
}

/** Names that resolve on the local machine or network, whatever DNS says elsewhere. */
const LOCAL_SUFFIXES = ['localhost', 'local', 'internal', 'intranet', 'lan', 'localdomain', 'home.arpa'];

/** Normalised origin of a URL, or undefined when it is not one. */
export function originOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.origin === 'null' ? undefined : u.origin;
  } catch {
    return undefined;
  }
}

/** Why a graph may not name this media URL, or undefined when it may. */
export function mediaUrlIssue(url: string, opts: MediaUrlOptions = {}): UrlIssue | undefined {
  const issue = (message: string): UrlIssue => ({ code: 'media.url', message: `${quoted(url)} ${message}` });
  // A parser reads through these (tabs and newlines vanish, "\" becomes "/"), a gateway's may not:
  // the URL must mean one thing to every parser.
  if (/[\u0000-\u0020\u007f-\u009f\\]/.test(url))
    return issue('contains a space, a control character or a backslash; write the URL plainly');
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return issue('is not a valid URL');
  }
  const origin = u.origin;
  if (opts.trustedOrigins?.includes(origin)) return undefined;
  if (u.protocol !== 'https:') {
    return issue(
      `uses ${u.protocol.replace(/:$/, '')}; media URLs must be https (a trusted local origin can be listed in SHOTGRAPH_TRUSTED_MEDIA_ORIGINS)`,
    );
  }
  if (u.username || u.password)
    return issue('carries a user name or password; a graph file must hold no credentials');
  const raw = rawHost(url);
  const host = u.hostname;
  // 0x7f.1, 2130706433, 0177.0.0.1, %31… all mean 127.0.0.1 to a URL parser but not to every gateway.
  // (IPv6 literals have many spellings of one address: their class is checked below instead.)
  if (raw && !raw.startsWith('[') && /^[\x21-\x7e]*$/.test(raw) && raw.toLowerCase() !== host) {
    const cls = addressClass(host);
    const what = cls ? `${host}, ${cls.label} address` : host;
    return issue(
      `spells its host unusually (a URL parser reads "${raw}" as ${what}); write the host plainly`,
    );
  }
  const literal = host.startsWith('[') ? host.slice(1, -1) : /^[\d.]+$/.test(host) ? host : undefined;
  if (literal !== undefined) {
    const cls = addressClass(literal);
    return cls ? issue(`points at ${cls.label} address ${literal}; media URLs must be public`) : undefined;
  }
  const name = host.replace(/\.$/, '');
  const local = LOCAL_SUFFIXES.find((s) => name === s || name.endsWith(`.${s}`));
  if (local)
    return issue(`names a host on the local machine or network (${local}); media URLs must be public`);
  if (!name.includes('.')) {
    return issue(
      `names the single-label host "${name}", which only resolves on a local network; media URLs must be public`,
    );
  }
  return undefined;
}

/** The host as written in the URL (before the parser normalised it), without port or brackets. */
function rawHost(url: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(url);
  if (!m) return undefined;
  const authority = m[1]!.slice(m[1]!.lastIndexOf('@') + 1);
  if (authority.startsWith('[')) return authority.slice(0, authority.indexOf(']') + 1).toLowerCase();
  return authority.replace(/:\d*$/, '');
}
