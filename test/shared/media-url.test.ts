// The media URL policy as a pure rule: which URLs a shared graph may hand to a paid gateway.
import { describe, expect, it } from 'vitest';
import { addressClass, mediaUrlIssue } from '../../shared/validate/media-url';

describe('addressClass', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.20.30.40', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.10.10', 'link-local'],
    ['169.254.169.254', 'metadata'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['febf:ffff::1', 'link-local'],
    ['fc00::1', 'unique local'],
    ['fd00:ec2::254', 'unique local'],
    ['::ffff:7f00:1', 'IPv4-mapped'],
    ['::ffff:8.8.8.8', 'IPv4-mapped'],
    ['0:0:0:0:0:ffff:a9fe:a9fe', 'IPv4-mapped'],
    ['64:ff9b::7f00:1', 'NAT64'],
    ['2002:7f00:1::', '6to4'],
    ['2001:db8::1', 'documentation'],
    ['ff02::1', 'multicast'],
    ['not an address', 'unrecognised'],
  ])('%s is not public (%s)', (ip, words) => {
    expect(addressClass(ip)?.label).toContain(words);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '93.184.216.34',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700::1111',
    '2a00:1450::1',
  ])('%s is public', (ip) => {
    expect(addressClass(ip)).toBeUndefined();
  });
});

describe('mediaUrlIssue', () => {
  it.each([
    'https://cdn.example.com/still.png',
    'https://CDN.Example.com/a/b.png?x=1#y',
    'https://93.184.216.34/a.png',
    'https://[2606:4700::1111]/a.png',
    'https://cdn.example.com:8443/a.png',
  ])('accepts %s', (url) => {
    expect(mediaUrlIssue(url)).toBeUndefined();
  });

  it.each([
    ['http://cdn.example.com/a.png', 'must be https'],
    ['https://127.0.0.1/a.png', 'loopback'],
    ['https://10.0.0.5/a.png', 'private'],
    ['https://172.16.3.4/a.png', 'private'],
    ['https://192.168.0.10/a.png', 'private'],
    ['https://169.254.169.254/latest/meta-data/', 'metadata'],
    ['https://100.64.1.2/a.png', 'carrier-grade NAT'],
    ['https://0.0.0.0/a.png', 'unspecified'],
    ['https://[::1]/a.png', 'loopback'],
    ['https://[fe80::1]/a.png', 'link-local'],
    ['https://[fd00:ec2::254]/a.png', 'unique local'],
    ['https://[::ffff:127.0.0.1]/a.png', 'IPv4-mapped'],
    ['https://[::ffff:a9fe:a9fe]/a.png', 'IPv4-mapped'],
    ['https://2130706433/a.png', 'unusually'],
    ['https://0x7f.1/a.png', 'unusually'],
    ['https://0177.0.0.1/a.png', 'unusually'],
    ['https://127.1/a.png', 'unusually'],
    ['https://%31%32%37.0.0.1/a.png', 'unusually'],
    ['https://1572395042/a.png', 'unusually'],
    ['https://localhost/a.png', 'local machine'],
    ['https://media.localhost/a.png', 'local machine'],
    ['https://metadata.google.internal/computeMetadata/v1/', 'local machine'],
    ['https://printer.local/a.png', 'local machine'],
    ['https://nas/a.png', 'single-label'],
    ['https://intranet/a.png', 'local machine'],
    ['https://user:secret@cdn.example.com/a.png', 'password'],
    ['https://cdn.exa\tmple.com/a.png', 'control character'],
    ['https://evil.example\\@cdn.example.com/a.png', 'backslash'],
    ['https://cdn.example.com/a b.png', 'space'],
    ['https://[fe80::1%25eth0]/a.png', 'not a valid URL'],
  ])('refuses %s (%s)', (url, words) => {
    const issue = mediaUrlIssue(url);
    expect(issue?.code).toBe('media.url');
    expect(issue?.message).toContain(words);
  });

  it('names the address behind an odd spelling', () => {
    expect(mediaUrlIssue('https://0x7f.1/')?.message).toContain('127.0.0.1, a loopback address');
  });

  it('never shows a control character raw', () => {
    const message = mediaUrlIssue('https://a.example/\u001b[2J.png')!.message;
    expect(message).not.toMatch(/[\u0000-\u001f]/);
    expect(message).toContain('\\u001b');
  });

  it('lets the user trust an origin (a local test server), and only that origin', () => {
    const trustedOrigins = ['http://127.0.0.1:8080'];
    expect(mediaUrlIssue('http://127.0.0.1:8080/still.png', { trustedOrigins })).toBeUndefined();
    expect(mediaUrlIssue('http://127.0.0.1:8081/still.png', { trustedOrigins })?.code).toBe('media.url');
    expect(mediaUrlIssue('https://127.0.0.1:8080/still.png', { trustedOrigins })?.code).toBe('media.url');
  });
});
