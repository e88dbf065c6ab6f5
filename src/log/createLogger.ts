/**
 * Structured JSON logs (pino) on stdout: one line per request with its request id, plus lifecycle events.
 * Object data and key material never go to the log; errors carry their cause for operators only.
 */
import { pino, type Logger } from "pino";

export function createLogger(level: string): Logger {
  return pino({ level, base: { svc: "s3proxy" }, timestamp: pino.stdTimeFunctions.isoTime });
}
