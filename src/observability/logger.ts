// Structured JSON logs (pino) on stderr, so stdout stays free for the CLI's JSON output.
// Secrets never reach a log line: known secret paths are redacted, and URLs are logged without
// their credentials (`redactUrl`).
import { pino, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface LoggerOptions {
  /** @default 'info' */
  readonly level?: LogLevel;
  /** Component name on every line. @default 'walrus-da' */
  readonly name?: string;
}

/** Paths masked wherever they appear in a logged object (config dumps, request logs). */
export const REDACTED_PATHS = [
  '*.jwtSecret',
  '*.jwtSecretFile',
  '*.password',
  '*.authorization',
  'req.headers.authorization',
  '*.headers.authorization',
  '*.*.jwtSecret',
  '*.*.password',
];

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    { name: options.name ?? 'walrus-da', level: options.level ?? 'info', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
    pino.destination({ fd: 2, sync: false }),
  );
}

/** A logger that drops everything (tests, library use without logging). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/**
 * A URL as it may be printed: user:password become `redacted`, every query value becomes
 * `redacted` (API keys travel as `?apikey=…`), the fragment is dropped.
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username || parsed.password) {
      parsed.username = parsed.username ? 'redacted' : '';
      parsed.password = '';
    }
    const keys = [...new Set(parsed.searchParams.keys())];
    for (const key of keys) parsed.searchParams.set(key, 'redacted');
    parsed.hash = '';
    return parsed.toString().replace(/\/$/, url.endsWith('/') ? '/' : '');
  } catch {
    return '[unparsable url]';
  }
}

/** Free text (an error message, a cause) with every URL in it passed through `redactUrl`. */
export function redactUrlsIn(text: string): string {
  return text.replace(/[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi, (url) => redactUrl(url));
}
