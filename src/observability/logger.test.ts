import { describe, expect, it } from 'vitest';
import { redactUrl, redactUrlsIn } from './logger.ts';

describe('redactUrl', () => {
  it('removes credentials and keeps the rest', () => {
    expect(redactUrl('redis://user:s3cret@10.0.0.1:6379/2')).toBe('redis://redacted@10.0.0.1:6379/2');
    expect(redactUrl('redis://:s3cret@localhost:6379')).toBe('redis://localhost:6379');
    expect(redactUrl('http://127.0.0.1:3100/')).toBe('http://127.0.0.1:3100/');
    expect(redactUrl('http://127.0.0.1:3100')).toBe('http://127.0.0.1:3100');
    expect(redactUrl('not a url')).toBe('[unparsable url]');
  });

  it('masks query values and drops the fragment', () => {
    expect(redactUrl('https://pub.example/v1?apikey=s3cret&epochs=2#frag')).toBe('https://pub.example/v1?apikey=redacted&epochs=redacted');
    expect(redactUrl('https://u:p@pub.example/?apikey=s3cret&apikey=again')).toBe('https://redacted@pub.example/?apikey=redacted');
  });
});

describe('redactUrlsIn', () => {
  it('redacts every URL inside free text', () => {
    const text = redactUrlsIn('fetch https://bob:hunter2@pub.example/x?apikey=k3y failed; also http://a.example/?token=t0k');
    expect(text).toBe('fetch https://redacted@pub.example/x?apikey=redacted failed; also http://a.example/?token=redacted');
    expect(text).not.toMatch(/hunter2|k3y|t0k/);
  });
});
