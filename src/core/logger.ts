// The logging the core needs, as a port: pino's Logger satisfies it, the core never imports pino.
export interface LogFn {
  (fields: Record<string, unknown>, message: string): void;
}

export interface CoreLogger {
  readonly debug: LogFn;
  readonly info: LogFn;
  readonly warn: LogFn;
  readonly error: LogFn;
}
