// How a configured Walrus URL becomes a request: operators put credentials in it, as userinfo
// (`https://user:pass@publisher`) or as a query key (`?apikey=…`). fetch refuses URLs with
// userinfo, and resolving a path against a base drops the base's query, so both are carried over
// by hand: userinfo becomes HTTP Basic auth, the base's query parameters stay on every request.
export interface HttpTarget {
  readonly url: URL;
  readonly headers: Record<string, string>;
}

/** `path` (no leading slash) under `base`, with the base's credentials. */
export function httpTarget(base: string, path: string): HttpTarget {
  const parsed = new URL(base);
  const url = new URL(path, `${parsed.origin}${parsed.pathname.endsWith('/') ? parsed.pathname : `${parsed.pathname}/`}`);
  for (const [key, value] of parsed.searchParams) url.searchParams.append(key, value);
  const headers: Record<string, string> = {};
  if (parsed.username || parsed.password) {
    const user = decodeURIComponent(parsed.username);
    const password = decodeURIComponent(parsed.password);
    headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  }
  return { url, headers };
}
