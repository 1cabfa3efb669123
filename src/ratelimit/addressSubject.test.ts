import { describe, expect, it } from 'vitest';
import { addressSubject } from './addressSubject.js';

describe('addressSubject', () => {
  it('keeps an IPv4 address as it is', () => {
    expect(addressSubject('198.51.100.7')).toBe('198.51.100.7');
  });

  it('groups IPv6 by /64, whatever the notation', () => {
    const prefix = '2001:db8:1:2::/64';
    for (const a of ['2001:db8:1:2::1', '2001:DB8:1:2:ffff:ffff:ffff:ffff', '2001:0db8:0001:0002:0:0:0:9', '2001:db8:1:2::5%eth0']) {
      expect(addressSubject(a)).toBe(prefix);
    }
    expect(addressSubject('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(addressSubject('2001:db8::1')).toBe('2001:db8:0:0::/64');
  });

  it('unwraps IPv4-mapped and NAT64 addresses, and counts ::1 as 127.0.0.1', () => {
    expect(addressSubject('::ffff:198.51.100.7')).toBe('198.51.100.7');
    expect(addressSubject('::FFFF:c633:6407')).toBe('198.51.100.7');
    expect(addressSubject('0:0:0:0:0:ffff:198.51.100.7')).toBe('198.51.100.7');
    expect(addressSubject('64:ff9b::198.51.100.7')).toBe('198.51.100.7');
    expect(addressSubject('::1')).toBe('127.0.0.1');
    expect(addressSubject('::ffff:127.0.0.1')).toBe('127.0.0.1');
  });

  it('counts what is not an address as it is', () => {
    expect(addressSubject('unknown')).toBe('unknown');
    expect(addressSubject('')).toBe('');
  });
});
