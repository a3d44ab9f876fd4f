import { describe, expect, it } from 'vitest';
import { redactUrl } from './logger.ts';

describe('redactUrl', () => {
  it('removes credentials and keeps the rest', () => {
    expect(redactUrl('redis://user:s3cret@10.0.0.1:6379/2')).toBe('redis://redacted@10.0.0.1:6379/2');
    expect(redactUrl('redis://:s3cret@localhost:6379')).toBe('redis://localhost:6379');
    expect(redactUrl('http://127.0.0.1:3100/')).toBe('http://127.0.0.1:3100/');
    expect(redactUrl('http://127.0.0.1:3100')).toBe('http://127.0.0.1:3100');
    expect(redactUrl('not a url')).toBe('[unparsable url]');
  });
});
