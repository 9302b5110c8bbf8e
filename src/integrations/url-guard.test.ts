// The URL guard: which addresses are internal, which URLs pass, and the connection-time lookup.
import { describe, expect, it } from 'vitest';
import type { LookupAddress } from 'node:dns';
import { BlockedAddressError, checkOutboundUrl, createGuardedLookup, isBlockedAddress } from './url-guard.ts';

function lookupAll(host: string, allowPrivate = false): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => {
    createGuardedLookup({ allowPrivate })(host, { all: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses as LookupAddress[]),
    );
  });
}

describe('isBlockedAddress', () => {
  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.251',
    '255.255.255.255',
    '198.18.0.1',
    '::1',
    '::',
    'fe80::1',
    'fc00::1',
    'fd12:3456::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '::ffff:169.254.169.254',
    '64:ff9b::7f00:1',
    '64:ff9b::a00:1',
    '2001:db8::1',
    '::127.0.0.1',
  ])('refuses internal address %s', (address) => {
    expect(isBlockedAddress(address)).toBe(true);
  });

  it.each([
    '93.184.215.14',
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
  ])('lets public address %s through', (address) => {
    expect(isBlockedAddress(address)).toBe(false);
  });

  it('treats anything that is not an IP address as blocked', () => {
    expect(isBlockedAddress('not-an-ip')).toBe(true);
    expect(isBlockedAddress('')).toBe(true);
  });
});

describe('checkOutboundUrl', () => {
  it('accepts a public https URL', () => {
    const result = checkOutboundUrl('https://crm.example.com/leads?x=1');
    expect(result.ok).toBe(true);
  });

  it.each([
    ['http://127.0.0.1:8080/hook', 'private_address'],
    ['http://[::1]/hook', 'private_address'],
    ['http://[::ffff:127.0.0.1]/hook', 'private_address'],
    ['http://2130706433/hook', 'private_address'],
    ['http://0x7f.1/hook', 'private_address'],
    ['http://169.254.169.254/latest/meta-data', 'private_address'],
    ['ftp://example.com/file', 'unsupported_scheme'],
    ['file:///etc/passwd', 'unsupported_scheme'],
    ['https://user:pass@example.com/', 'credentials_in_url'],
    ['not a url', 'invalid_url'],
  ])('refuses %s (%s)', (url, reason) => {
    const result = checkOutboundUrl(url);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toBe(reason);
  });

  it('lets a loopback URL through when private addresses are allowed', () => {
    expect(checkOutboundUrl('http://127.0.0.1:8080/hook', { allowPrivate: true }).ok).toBe(true);
  });
});

describe('createGuardedLookup', () => {
  it('refuses a name that resolves to loopback', async () => {
    await expect(lookupAll('localhost')).rejects.toBeInstanceOf(BlockedAddressError);
  });

  it('resolves the same name when private addresses are allowed', async () => {
    const addresses = await lookupAll('localhost', true);
    expect(addresses.length).toBeGreaterThan(0);
    expect(addresses.every((entry) => isBlockedAddress(entry.address))).toBe(true);
  });

  it('answers in the single-address form when not asked for all', async () => {
    const result = await new Promise<{ address: string; family: number | undefined }>((resolve, reject) =>
      createGuardedLookup({ allowPrivate: true })('localhost', { family: 4 }, (error, address, family) =>
        error ? reject(error) : resolve({ address: address as string, family }),
      ),
    );
    expect(result).toEqual({ address: '127.0.0.1', family: 4 });
  });
});
