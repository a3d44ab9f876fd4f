import { describe, expect, it } from 'vitest';
import { httpTarget } from './http-target.ts';

describe('httpTarget', () => {
  it('keeps the base path and query, and turns userinfo into Basic auth', () => {
    const target = httpTarget('https://al%40ice:p%3Ass@pub.example/walrus?apikey=k1', 'v1/blobs');
    expect(target.url.toString()).toBe('https://pub.example/walrus/v1/blobs?apikey=k1');
    // base64("al@ice:p:ss")
    expect(target.headers.authorization).toBe('Basic YWxAaWNlOnA6c3M=');
  });

  it('adds nothing to a plain URL', () => {
    const target = httpTarget('http://127.0.0.1:9/', 'status');
    expect(target.url.toString()).toBe('http://127.0.0.1:9/status');
    expect(target.headers).toEqual({});
  });

  it('keeps the request query after the base query', () => {
    const target = httpTarget('http://h/?apikey=a', 'v1/blobs');
    target.url.searchParams.set('epochs', '3');
    expect(target.url.search).toBe('?apikey=a&epochs=3');
  });
});
