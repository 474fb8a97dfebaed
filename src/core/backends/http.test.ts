import * as assert from 'node:assert/strict';
import { formatDuration, quoteText, redactUrl } from './errors';
import { isHtml, joinUrl, parseRetryAfter } from './http';
import { normalizeTraceId } from '../../shared/traceId';
import { checkRange, shortTraceId } from './ids';

describe('backend helpers', () => {
  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('3', now), 3000);
    assert.equal(parseRetryAfter(' 0 ', now), 0);
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now), 5000);
    assert.equal(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(null, now), undefined);
  });

  it('joins API paths under a base path, never replacing it', () => {
    const j = (base: string, path: string) => joinUrl(new URL(base), path).toString();
    assert.equal(j('http://h:3200', '/api/echo'), 'http://h:3200/api/echo');
    assert.equal(j('https://t.grafana.net/tempo', '/api/search'), 'https://t.grafana.net/tempo/api/search');
    assert.equal(j('https://t.grafana.net/tempo/', 'api/search'), 'https://t.grafana.net/tempo/api/search');
    assert.equal(
      j('https://g/api/datasources/proxy/uid/abc?x=1', '/api/v2/traces/1'),
      'https://g/api/datasources/proxy/uid/abc/api/v2/traces/1',
    );
  });

  it('redacts credentials from URLs', () => {
    assert.equal(redactUrl('https://user:pw@h/tempo?api_key=k&q=1'), 'https://h/tempo?api_key=***&q=1');
    assert.equal(redactUrl('//user:pw@h/x nonsense'), '//h/x nonsense');
  });

  it('quotes bodies without control characters, cut, with secrets masked', () => {
    assert.equal(quoteText('a\u0000b\u001b[0m\u202e c\n\n d'), 'a b [0m c d');
    assert.equal(quoteText('token abcd1234 refused', ['abcd1234']), 'token *** refused');
    const long = quoteText('x'.repeat(1000));
    assert.equal(long.length, 201);
    assert.ok(long.endsWith('…'));
  });

  it('recognises HTML by type or by its first tag', () => {
    const b = (s: string) => new TextEncoder().encode(s);
    assert.equal(isHtml('text/html; charset=utf-8', b('x')), true);
    assert.equal(isHtml('', b('\n  <!DOCTYPE html><html>')), true);
    assert.equal(isHtml('text/plain', b('<html lang="en">')), true);
    assert.equal(isHtml('application/json', b('{"a":"<html>"}')), false);
    assert.equal(isHtml('application/protobuf', new Uint8Array([0x0a, 0x3c])), false);
  });

  it('normalises trace IDs like Tempo', () => {
    assert.equal(normalizeTraceId(' 5B8EFFF798038103D269B633813FC60C '), '5b8efff798038103d269b633813fc60c');
    assert.equal(normalizeTraceId('123456789abcdef'), '0000000000000000' + '0123456789abcdef');
    assert.equal(normalizeTraceId('0x12'), undefined);
    assert.equal(normalizeTraceId('1'.repeat(33)), undefined);
    assert.equal(shortTraceId('00000000000000000123456789abcdef'), '0123456789abcdef');
    assert.equal(shortTraceId('5b8efff798038103d269b633813fc60c'), '5b8efff798038103d269b633813fc60c');
  });

  it('checks time ranges in seconds', () => {
    assert.deepEqual(checkRange(1.9, 10), { start: 1, end: 10 });
    assert.deepEqual(checkRange(undefined, undefined), {});
    assert.throws(() => checkRange(1_700_000_000_000, undefined), /milliseconds/);
    assert.throws(() => checkRange(-1, undefined), /Unix seconds/);
    assert.throws(() => checkRange(10, 10), /ends/);
  });

  it('formats durations for messages', () => {
    assert.equal(formatDuration(30_000), '30 s');
    assert.equal(formatDuration(300), '0.3 s');
    assert.equal(formatDuration(50), '50 ms');
  });
});
