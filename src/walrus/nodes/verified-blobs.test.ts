import { describe, expect, it } from 'vitest';
import { VerifiedBlobCache } from './verified-blobs.ts';

const blob = (size: number) => new Uint8Array(size).fill(size % 251);

describe('VerifiedBlobCache', () => {
  it('loads a blob once and serves later reads from memory, sharing a load in flight', async () => {
    const cache = new VerifiedBlobCache(1000);
    let loads = 0;
    const load = async () => {
      loads++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return blob(100);
    };
    const [a, b] = await Promise.all([cache.get('q', load), cache.get('q', load)]);
    expect(await cache.get('q', load)).toBe(a);
    expect(b).toBe(a);
    expect(loads).toBe(1);
    expect(cache.bytes).toBe(100);
  });

  it('does not keep a failed load, so the next read tries again', async () => {
    const cache = new VerifiedBlobCache(1000);
    await expect(cache.get('q', () => Promise.reject(new Error('nodes down')))).rejects.toThrow('nodes down');
    await new Promise((resolve) => setImmediate(resolve));
    expect(await cache.get('q', () => Promise.resolve(blob(10)))).toEqual(blob(10));
  });

  it('evicts the least recently used blobs past the byte budget', async () => {
    const cache = new VerifiedBlobCache(250);
    const loads: string[] = [];
    const loader = (key: string) => () => {
      loads.push(key);
      return Promise.resolve(blob(100));
    };
    await cache.get('a', loader('a'));
    await cache.get('b', loader('b'));
    await cache.get('a', loader('a')); // a is now more recent than b
    await cache.get('c', loader('c')); // 300 bytes > 250: b goes
    await new Promise((resolve) => setImmediate(resolve));
    expect(cache.bytes).toBe(200);
    await cache.get('a', loader('a'));
    await cache.get('b', loader('b'));
    expect(loads).toEqual(['a', 'b', 'c', 'b']);
  });

  it('serves but does not keep a blob larger than the whole budget', async () => {
    const cache = new VerifiedBlobCache(50);
    expect((await cache.get('big', () => Promise.resolve(blob(100)))).length).toBe(100);
    await new Promise((resolve) => setImmediate(resolve));
    expect(cache.bytes).toBe(0);
  });
});
