// Whether an IP address is one a shared graph may send a gateway to: only public unicast is. Used on
// literal hosts at validation and on the addresses a host name resolves to just before a run, so the
// two checks can never disagree.

export interface AddressClass {
  /** Human words, e.g. "a loopback". */
  label: string;
}

/** IPv4 ranges that are not public unicast, most specific first: [CIDR, label]. */
const V4_RANGES: [string, string][] = [
  ['0.0.0.0/8', 'an unspecified ("this network")'],
  ['10.0.0.0/8', 'a private'],
  ['100.64.0.0/10', 'a shared (carrier-grade NAT)'],
  ['127.0.0.0/8', 'a loopback'],
  ['169.254.169.254/32', 'a cloud metadata'],
  ['169.254.170.2/32', 'a cloud metadata'],
  ['168.63.129.16/32', 'a cloud metadata'],
  ['169.254.0.0/16', 'a link-local'],
  ['172.16.0.0/12', 'a private'],
  ['192.0.0.0/24', 'a reserved (IETF protocol)'],
  ['192.0.2.0/24', 'a documentation'],
  ['192.88.99.0/24', 'a reserved (6to4 relay)'],
  ['192.168.0.0/16', 'a private'],
  ['198.18.0.0/15', 'a benchmarking'],
  ['198.51.100.0/24', 'a documentation'],
  ['203.0.113.0/24', 'a documentation'],
  ['224.0.0.0/4', 'a multicast'],
  ['255.255.255.255/32', 'a broadcast'],
  ['240.0.0.0/4', 'a reserved'],
];

function v4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

function v4Class(addr: number): AddressClass | undefined {
  for (const [cidr, label] of V4_RANGES) {
    const [base, bits] = cidr.split('/');
    const size = 2 ** (32 - Number(bits));
    const start = v4(base!)!;
    if (addr >= start && addr < start + size) return { label };
  }
  return undefined;
}

/** Eight 16-bit groups of an IPv6 address (a dotted IPv4 tail is accepted), or undefined. */
function v6(text: string): number[] | undefined {
  let s = text.toLowerCase();
  const tail = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(s);
  if (tail) {
    const n = v4(tail[1]!);
    if (n === undefined) return undefined;
    s = s.slice(0, -tail[1]!.length) + `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string) => (h ? h.split(':') : []);
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  const fill = 8 - head.length - rest.length;
  if (halves.length === 1 ? head.length !== 8 : fill < 1) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? fill : 0).fill('0'), ...rest];
  if (!all.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return undefined;
  return all.map((g) => parseInt(g, 16));
}

function v6Class(g: number[]): AddressClass | undefined {
  const [a, b] = [g[0]!, g[1]!];
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(8)) return { label: 'an unspecified' };
  if (zeroUpTo(7) && g[7] === 1) return { label: 'a loopback' };
  if (zeroUpTo(5) && g[5] === 0xffff) return { label: 'an IPv4-mapped' };
  if (zeroUpTo(6)) return { label: 'an IPv4-compatible' };
  if (a === 0x64 && b === 0xff9b) return { label: 'a NAT64' };
  if ((a & 0xfe00) === 0xfc00) return { label: 'a private (unique local)' };
  if ((a & 0xffc0) === 0xfe80) return { label: 'a link-local' };
  if ((a & 0xffc0) === 0xfec0) return { label: 'a site-local' };
  if ((a & 0xff00) === 0xff00) return { label: 'a multicast' };
  if (a === 0x2002) return { label: 'a 6to4' };
  if (a === 0x2001 && b === 0x0db8) return { label: 'a documentation' };
  if (a === 0x2001 && b < 0x0200) return { label: 'a reserved (IETF protocol)' };
  if ((a & 0xfff0) === 0x3ff0) return { label: 'a documentation' };
  // Only global unicast (2000::/3) is public; everything else is reserved.
  if ((a & 0xe000) !== 0x2000) return { label: 'a reserved' };
  return undefined;
}

/**
 * The class of a non-public IP address ("a loopback", "a private", …), undefined for a public one.
 * Text that is no IP address at all counts as not public: this is a gate, and it fails closed.
 */
export function addressClass(ip: string): AddressClass | undefined {
  const n = v4(ip);
  if (n !== undefined) return v4Class(n);
  const groups = v6(ip.replace(/^\[|\]$/g, '').replace(/%.*$/, ''));
  if (!groups) return { label: 'an unrecognised' };
  return v6Class(groups);
}
