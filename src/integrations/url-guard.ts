// Keeps customer-supplied URLs (webhooks, CRM endpoints) away from private, loopback and other internal addresses.
import { lookup as dnsLookup } from 'node:dns';
import type { LookupAddress, LookupAllOptions, LookupOneOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

export interface UrlGuardOptions {
  /** Lets private and loopback addresses through: tests and on-premise installs whose CRM sits on the LAN. */
  readonly allowPrivate?: boolean;
}

export type UrlRefusal = 'invalid_url' | 'unsupported_scheme' | 'credentials_in_url' | 'private_address';

export type UrlCheck =
  | { readonly ok: true; readonly url: URL }
  | { readonly ok: false; readonly reason: UrlRefusal; readonly message: string };

/** Raised from the connection-time lookup when a name resolves to an address the guard refuses. */
export class BlockedAddressError extends Error {
  readonly code = 'ERR_LEADGUARD_BLOCKED_ADDRESS';
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(`${host} resolves to ${address}, which is not a public address`);
    this.name = 'BlockedAddressError';
  }
}

// Special-purpose ranges (IANA registries) that never belong to a public service.
const ipv4Ranges: readonly [string, number][] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];
const ipv6Ranges: readonly [string, number][] = [
  ['::', 96], // unspecified, loopback and the deprecated IPv4-compatible block
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['3fff::', 20],
  ['5f00::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
];

const blocked = new BlockList();
for (const [network, prefix] of ipv4Ranges) blocked.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of ipv6Ranges) blocked.addSubnet(network, prefix, 'ipv6');

/** The eight 16-bit groups of an IPv6 address, or undefined when it does not parse. */
function ipv6Groups(address: string): number[] | undefined {
  let text = address.toLowerCase();
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const octets = dotted[1].split('.').map(Number);
    const [a = 0, b = 0, c = 0, d = 0] = octets;
    text = `${text.slice(0, -dotted[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves[1] ? halves[1].split(':') : [];
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  const groups = [...head, ...Array<string>(Math.max(fill, 0)).fill('0'), ...tail].map((g) =>
    parseInt(g, 16),
  );
  return groups.length === 8 && groups.every((g) => g >= 0 && g <= 0xffff) ? groups : undefined;
}

function embeddedIpv4(groups: readonly number[]): string {
  const high = groups[6] ?? 0;
  const low = groups[7] ?? 0;
  return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
}

/** True when an IP address (v4 or v6, IPv4-mapped and NAT64 forms included) is not a public unicast address. */
export function isBlockedAddress(address: string): boolean {
  const family = isIP(address.split('%')[0] ?? '');
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family !== 6) return true;
  const groups = ipv6Groups(address);
  if (!groups) return true;
  const [g0, g1, g2, g3, g4, g5] = groups;
  // IPv4-mapped (::ffff:a.b.c.d) and the NAT64 well-known prefix (64:ff9b::a.b.c.d) carry an IPv4 address to judge.
  const mapped = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0xffff;
  const nat64 = g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0;
  if (mapped || nat64) return blocked.check(embeddedIpv4(groups), 'ipv4');
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 1) return true;
  return blocked.check(address.split('%')[0] ?? address, 'ipv6');
}

/**
 * Checks a URL before any connection: http(s) only, no user:password, and an IP-literal host must
 * be public. Names are judged again when they resolve (see `createGuardedLookup`).
 */
export function checkOutboundUrl(raw: string, options: UrlGuardOptions = {}): UrlCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'invalid_url', message: 'not a valid absolute URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { ok: false, reason: 'unsupported_scheme', message: 'only http and https URLs are allowed' };
  if (url.username || url.password)
    return {
      ok: false,
      reason: 'credentials_in_url',
      message: 'credentials in the URL are not allowed; use a secret',
    };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!options.allowPrivate && isIP(host) && isBlockedAddress(host))
    return { ok: false, reason: 'private_address', message: `${host} is not a public address` };
  return { ok: true, url };
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for http.request / net.connect that refuses names resolving to internal addresses.
 * It judges the very addresses the socket will connect to, so a name that answers public on a
 * first query and private on the next (DNS rebinding) is still refused.
 */
export function createGuardedLookup(options: UrlGuardOptions = {}) {
  return function guardedLookup(
    hostname: string,
    lookupOptions: LookupOneOptions | LookupAllOptions | number,
    callback: LookupCallback,
  ): void {
    const base = typeof lookupOptions === 'number' ? { family: lookupOptions } : lookupOptions;
    dnsLookup(hostname, { ...base, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const refused = options.allowPrivate
        ? undefined
        : addresses.find((entry) => isBlockedAddress(entry.address));
      if (refused) return callback(new BlockedAddressError(hostname, refused.address), []);
      if ('all' in base && base.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first)
        return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), []);
      callback(null, first.address, first.family);
    });
  };
}
