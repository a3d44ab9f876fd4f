// Walrus's JSON envelopes (walrus crates/walrus-storage-node-client/src/api/errors.rs `Status`,
// an AIP-193 error; crates/walrus-service/src/common/api.rs `ApiSuccess`):
//
//   error    {"error":{"code":404,"status":"NOT_FOUND","message":"…",
//                      "details":[{"@type":"ErrorInfo","reason":"BLOB_NOT_FOUND",
//                                  "domain":"daemon.walrus.space","metadata":{}}]}}
//   success  {"success":{"code":201,"data":"metadata successfully stored"}}   (nodes only)
//
// `status` and `code` always go together, as in Walrus's `StatusCode` table.

export const DAEMON_DOMAIN = 'daemon.walrus.space';
export const STORAGE_DOMAIN = 'storage.walrus.space';
export const GLOBAL_DOMAIN = 'global';

const HTTP_CODES = {
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 400,
  NOT_FOUND: 404,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  SIZE_EXCEEDED: 403,
  // Not in Walrus's table: its daemon answers oversized bodies with a bare 413 from axum's
  // body limit. We keep the envelope so clients parse every error the same way.
  PAYLOAD_TOO_LARGE: 413,
  RESOURCE_EXHAUSTED: 429,
  DEADLINE_EXCEEDED: 504,
  UNAVAILABLE: 503,
  INTERNAL: 500,
} as const;

export type ApiStatus = keyof typeof HTTP_CODES;

/** An error answered with Walrus's envelope; `reason` is its UPPER_SNAKE machine-readable name. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: ApiStatus;
  readonly reason: string;
  readonly domain: string;
  readonly metadata: Readonly<Record<string, unknown>>;

  constructor(status: ApiStatus, reason: string, message: string, options: { domain?: string; metadata?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = status;
    this.reason = reason;
    this.domain = options.domain ?? DAEMON_DOMAIN;
    this.metadata = options.metadata ?? {};
  }

  get httpCode(): number {
    return HTTP_CODES[this.status];
  }

  toBody(): object {
    return {
      error: {
        code: this.httpCode,
        status: this.status,
        message: this.message,
        details: [{ '@type': 'ErrorInfo', reason: this.reason, domain: this.domain, metadata: this.metadata }],
      },
    };
  }
}

export function successBody<T>(code: number, data: T): { success: { code: number; data: T } } {
  return { success: { code, data } };
}
