import { isIPv4, isIPv6 } from 'node:net';

/** The eight 16-bit groups of a valid IPv6 address (any notation, with or without an IPv4 tail). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase();
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (tail) {
    const [a, b, c, d] = tail.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, -tail.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, rest] = text.split('::') as [string, string | undefined];
  const parse = (s: string) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const left = parse(head);
  const right = rest === undefined ? [] : parse(rest);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/**
 * What a per-address rate limit counts for a client address. IPv4: the address. IPv6: its /64, since one host
 * or home is handed a whole /64 and could otherwise take a fresh bucket for every request. An IPv4 address in
 * IPv6 clothing (`::ffff:a.b.c.d` from a dual-stack socket, or NAT64's `64:ff9b::a.b.c.d`) is that IPv4 address,
 * and `::1` is `127.0.0.1`: the same client either way. Anything else (a proxy header that holds no address) is
 * counted as it is.
 */
export function addressSubject(ip: string): string {
  // Every sign-in step and token request asks for its address's subject, mostly for the same few addresses.
  const known = recent.get(ip);
  if (known !== undefined) return known;
  const subject = subjectOf(ip);
  if (recent.size >= RECENT) recent.clear();
  recent.set(ip, subject);
  return subject;
}

/** The subjects of the addresses seen last (at most RECENT, then forgotten all at once). */
const recent = new Map<string, string>();
const RECENT = 4096;

function subjectOf(ip: string): string {
  const address = ip.trim().replace(/%.*$/, '');
  if (isIPv4(address)) return address;
  if (!isIPv6(address)) return ip;
  const g = ipv6Groups(address);
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  const ipv4 = () => [g[6]! >> 8, g[6]! & 0xff, g[7]! >> 8, g[7]! & 0xff].join('.');
  if (zeroUpTo(5) && g[5] === 0xffff) return ipv4();
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return ipv4();
  if (zeroUpTo(7) && g[7] === 1) return '127.0.0.1';
  return `${g.slice(0, 4).map((x) => x.toString(16)).join(':')}::/64`;
}
