// HTTP Basic credentials (RFC 7617) as op-batcher and op-node send them without knowing it: Go's
// http.Client turns the userinfo of `--altda.da-server=http://<chain>:<secret>@host/chains/<chain>`
// into `Authorization: Basic base64(<user>:<password>)`, with user and password percent-decoded
// by url.Parse and joined by one ':' (golang/go@076c3d7f077ff0f8d02675b66b9794bbff8d2147
// src/net/http/client.go `send` and `basicAuth`; golang/go@011829989365218ba4532e86ab0b6702971daab3
// src/net/url/url.go `parseAuthority`).
// So the user name holds no ':' (url.Parse splits at the first one) and the password may hold
// any number; both are UTF-8, and non-ASCII arrives as its UTF-8 bytes.
//
// The header is untrusted bytes: every way it can be wrong ends as an UnauthenticatedError (401),
// and no message repeats what was presented.
import { UnauthenticatedError } from '../../core/index.ts';

export interface BasicCredentials {
  /** The chain name on this door. */
  readonly user: string;
  readonly password: string;
}

// RFC 7617 section 2: "Basic" (any case), one or more spaces, token68. Go's base64.StdEncoding
// always pads, so only the canonical, padded alphabet is accepted; anything else is a client we
// do not know how to read, and guessing could let two headers mean the same credentials.
const BASIC = /^basic +([A-Za-z0-9+/]*={0,2})$/i;
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The credentials of an Authorization header; undefined when there is no header.
 * @throws UnauthenticatedError when the header is not well-formed Basic credentials
 */
export function parseBasicAuthorization(header: string | undefined): BasicCredentials | undefined {
  if (header === undefined) return undefined;
  const token = BASIC.exec(header)?.[1];
  if (token === undefined) throw new UnauthenticatedError('the Authorization header must be HTTP Basic credentials (user = chain name, password = its secret)');
  const bytes = Buffer.from(token, 'base64');
  if (token.length === 0 || token.length % 4 !== 0 || bytes.toString('base64') !== token) {
    throw new UnauthenticatedError('the Basic credentials are not canonical base64');
  }
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    throw new UnauthenticatedError('the Basic credentials are not UTF-8');
  }
  const colon = text.indexOf(':');
  if (colon < 0) throw new UnauthenticatedError('the Basic credentials have no ":" between user name and password');
  return { user: text.slice(0, colon), password: text.slice(colon + 1) };
}
