// Shapes of the publisher's answers to `PUT /v1/blobs` (docs/wire/walrus.md "Publisher and
// aggregator"). serde's
// `rename_all = "camelCase", rename_all_fields = "camelCase"` on `BlobStoreResult`
// (walrus crates/walrus-sdk/src/node_client/responses.rs) makes tags and fields camelCase; the
// OpenAPI YAML's snake_case is wrong. Parsed with zod because the answer is untrusted input.
import { z } from 'zod';

const eventId = z.object({ txDigest: z.string(), eventSeq: z.union([z.string(), z.number()]).transform(String) });
const u64 = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/).transform(Number)]);

const blobObject = z.object({
  id: z.string().regex(/^0x[0-9a-fA-F]{1,64}$/),
  blobId: z.string(),
  registeredEpoch: z.number().int().nonnegative().optional(),
  size: u64.optional(),
  certifiedEpoch: z.number().int().nonnegative().nullable().optional(),
  deletable: z.boolean(),
  storage: z.object({ id: z.string().optional(), startEpoch: z.number().int().nonnegative(), endEpoch: z.number().int().nonnegative(), storageSize: u64 }),
});

export const blobStoreResult = z.union([
  z.object({
    newlyCreated: z.object({
      blobObject,
      resourceOperation: z.record(z.string(), z.object({ encodedLength: u64.optional() }).loose()).optional(),
      cost: u64.optional(),
    }),
  }),
  z.object({
    alreadyCertified: z.object({
      blobId: z.string(),
      endEpoch: z.number().int().nonnegative(),
      event: eventId.optional(),
      object: z.string().regex(/^0x[0-9a-fA-F]{1,64}$/).optional(),
    }),
  }),
  z.object({ markedInvalid: z.object({ blobId: z.string(), event: eventId.optional() }) }),
  z.object({ error: z.object({ blobId: z.string().nullable().optional(), failurePhase: z.string().optional(), errorMsg: z.string().optional() }) }),
]);

export type BlobStoreResult = z.infer<typeof blobStoreResult>;

/** The `Status` error envelope of Walrus HTTP APIs (walrus-storage-node-client src/api/errors.rs). */
const errorEnvelope = z.object({ error: z.object({ code: z.number().optional(), status: z.string().optional(), message: z.string().optional() }).loose() });

/** The human part of a Walrus error body, or a short excerpt of whatever came back. */
export function walrusErrorMessage(body: string): string {
  try {
    const parsed = errorEnvelope.safeParse(JSON.parse(body));
    if (parsed.success) return [parsed.data.error.status, parsed.data.error.message].filter(Boolean).join(': ');
  } catch {
    // not JSON
  }
  return body.slice(0, 200);
}

/** The domain of the authenticated publisher's errors (walrus:crates/walrus-service/src/client/daemon/auth.rs). */
export const PUBLISHER_AUTH_DOMAIN = 'auth.publisher.walrus.space';

const errorInfo = z.object({ error: z.object({ details: z.array(z.object({ reason: z.string().optional(), domain: z.string().optional() }).loose()).optional() }).loose() });

/**
 * Why a publisher refused a store's credentials, or undefined when the answer is not about them:
 * 401/403, any error of the auth domain (a bad claim is 400, a used jti 429, an expired token 504),
 * and axum's 400 for a missing `Authorization` header.
 */
export function publisherAuthRefusal(status: number, body: string): string | undefined {
  if (status < 400) return undefined;
  let info: { reason?: string | undefined; domain?: string | undefined } | undefined;
  try {
    const parsed = errorInfo.safeParse(JSON.parse(body));
    if (parsed.success) info = parsed.data.error.details?.[0];
  } catch {
    // not JSON
  }
  if (status === 401 || status === 403) return info?.reason ?? (status === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN');
  if (info?.domain === PUBLISHER_AUTH_DOMAIN) return info.reason ?? 'REFUSED';
  if (status === 400 && /header of type `authorization` was missing/i.test(body)) return 'MISSING_AUTHORIZATION';
  return undefined;
}
