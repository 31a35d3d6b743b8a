import { describe, expect, it } from 'vitest';
import { embeddedIpv4, isBlockedAddress } from './blocked-addresses';
import { checkOutboundUrl } from './outbound-url';

describe('blocked addresses', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback /8'],
    ['10.1.2.3', '10/8'],
    ['172.16.0.1', '172.16/12 start'],
    ['172.31.255.255', '172.16/12 end'],
    ['192.168.1.1', '192.168/16'],
    ['169.254.169.254', 'metadata'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['0.0.0.0', 'this network'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::1', 'IPv6 loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'unique-local fc'],
    ['fd00:ec2::254', 'AWS IPv6 metadata'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local with zone'],
    ['ff02::1', 'IPv6 multicast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped dotted'],
    ['::ffff:7f00:1', 'IPv4-mapped hex'],
    ['::ffff:10.0.0.1', 'IPv4-mapped private'],
    ['::ffff:a9fe:a9fe', 'IPv4-mapped metadata'],
    ['64:ff9b::a9fe:a9fe', 'NAT64 of metadata'],
    ['2002:7f00:1::', '6to4 of loopback'],
    ['not-an-ip', 'not an address'],
  ])('%s (%s) is blocked', (address) => {
    expect(isBlockedAddress(address)).toBe(true);
  });

  it.each([
    ['8.8.8.8'],
    ['172.32.0.1'],
    ['172.15.255.255'],
    ['192.169.0.1'],
    ['1.1.1.1'],
    ['2606:4700::1111'],
    ['::ffff:8.8.8.8'],
    ['64:ff9b::808:808'],
  ])('%s is allowed', (address) => {
    expect(isBlockedAddress(address)).toBe(false);
  });

  it('reads the IPv4 address carried by IPv6 forms', () => {
    expect(embeddedIpv4('::ffff:7f00:1')).toBe('127.0.0.1');
    expect(embeddedIpv4('::ffff:192.168.0.1')).toBe('192.168.0.1');
    expect(embeddedIpv4('2002:c0a8:0101::1')).toBe('192.168.1.1');
    expect(embeddedIpv4('2606:4700::1111')).toBeNull();
  });
});

describe('checkOutboundUrl (the save-time rule)', () => {
  const strict = { allowPrivate: false };
  it.each([
    ['http://api.calendly.com', 'OUTBOUND_URL_NOT_HTTPS'],
    ['https://127.0.0.1:8443/', 'OUTBOUND_URL_PRIVATE_ADDRESS'],
    ['https://10.0.0.5/', 'OUTBOUND_URL_PRIVATE_ADDRESS'],
    ['https://172.16.3.4/', 'OUTBOUND_URL_PRIVATE_ADDRESS'],
    ['https://192.168.0.10/', 'OUTBOUND_URL_PRIVATE_ADDRESS'],
    ['https://169.254.169.254/latest/meta-data/', 'OUTBOUND_URL_PRIVATE_ADDRESS'],
    ['https://[::1]/', 'OUTBOUND_URL_PRIVATE_ADDRESS'],
    ['https://[fc00::1]/', 'OUTBOUND_URL_PRIVATE_ADDRESS'],
    ['https://[::ffff:127.0.0.1]/', 'OUTBOUND_URL_PRIVATE_ADDRESS'],
    ['https://2130706433/', 'OUTBOUND_URL_PRIVATE_ADDRESS'], // decimal 127.0.0.1
    ['https://0x7f.1/', 'OUTBOUND_URL_PRIVATE_ADDRESS'], // hex/short form
    ['https://localhost:3000/', 'OUTBOUND_URL_PRIVATE_ADDRESS'],
    ['https://api.localhost/', 'OUTBOUND_URL_PRIVATE_ADDRESS'],
    ['not a url', 'OUTBOUND_URL_INVALID'],
    ['ftp://files.example.com/', 'OUTBOUND_URL_INVALID'],
    ['https://user:secret@api.example.com/', 'OUTBOUND_URL_INVALID'],
  ])('%s → %s', (url, code) => {
    const r = checkOutboundUrl(url, strict);
    expect(r).toEqual({ ok: false, code });
  });

  it('accepts public https URLs', () => {
    for (const url of [
      'https://api.calendly.com',
      'https://services.leadconnectorhq.com/',
      'https://api.cal.com/v2',
      'https://8.8.8.8/',
    ]) {
      expect(checkOutboundUrl(url, strict).ok).toBe(true);
    }
  });

  it('allowPrivate (config allowPrivateUrls, RECON_ALLOW_PRIVATE_URLS=1) lifts the scheme and address rules, not the URL syntax', () => {
    const lax = { allowPrivate: true };
    expect(checkOutboundUrl('http://127.0.0.1:4010', lax).ok).toBe(true);
    expect(checkOutboundUrl('ftp://127.0.0.1', lax)).toEqual({ ok: false, code: 'OUTBOUND_URL_INVALID' });
    expect(checkOutboundUrl('http://u:p@127.0.0.1:4010', lax)).toEqual({ ok: false, code: 'OUTBOUND_URL_INVALID' });
  });
});
