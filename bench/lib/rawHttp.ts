/**
 * A deliberately small HTTP/1.1 client over one already-open socket, for the benchmark only: one request at a
 * time on a keep-alive connection, response bodies counted (never stored or copied), request bodies written in
 * 1 MiB slices of one shared buffer with backpressure. node:http would do, but this keeps the client's share of
 * the two cores small and its behaviour obvious, so that the thing being measured is the proxy.
 * Understands Content-Length and chunked responses (an encrypting proxy may re-frame bodies) and skips 1xx.
 */
import type { Duplex } from "node:stream";

export interface RawResponse {
  status: number;
  /** Lower-cased header names; the last value wins. */
  headers: Map<string, string>;
  bodyBytes: number;
}

export interface RequestBody {
  /** Repeated as often as needed to reach `length`. */
  source: Buffer;
  length: number;
}

const WRITE_SLICE = 1024 * 1024;
const MAX_HEAD = 64 * 1024;
const CRLFCRLF = Buffer.from("\r\n\r\n");

/** Counts the payload of a chunked body; `feed` returns where the message ended, or -1 if it needs more. */
class ChunkedCounter {
  bytes = 0;
  private state: "size" | "data" | "data-end" | "trailer" = "size";
  private left = 0;
  private line = "";

  feed(buf: Buffer, from: number): number {
    let at = from;
    while (at < buf.length) {
      if (this.state === "data") {
        const n = Math.min(this.left, buf.length - at);
        this.left -= n;
        this.bytes += n;
        at += n;
        if (this.left === 0) this.state = "data-end";
        continue;
      }
      const nl = buf.indexOf(10, at);
      if (nl === -1) {
        this.line += buf.toString("latin1", at);
        if (this.line.length > 4096) throw new Error("chunked framing: line too long");
        return -1;
      }
      const line = (this.line + buf.toString("latin1", at, nl)).replace(/\r$/, "");
      this.line = "";
      at = nl + 1;
      if (this.state === "data-end") {
        if (line !== "") throw new Error("chunked framing: missing CRLF after chunk data");
        this.state = "size";
      } else if (this.state === "size") {
        const size = parseInt(line.split(";")[0] ?? "", 16);
        if (!Number.isSafeInteger(size) || size < 0) throw new Error(`chunked framing: bad size "${line}"`);
        if (size === 0) this.state = "trailer";
        else [this.state, this.left] = ["data", size];
      } else if (line === "") {
        return at; // the empty line after the trailers ends the message
      }
    }
    return -1;
  }
}

interface InFlight {
  resolve: (r: RawResponse) => void;
  reject: (e: Error) => void;
  head: Buffer[];
  response: RawResponse | undefined;
  /** Bytes of a Content-Length body still to come, or the chunked decoder. */
  left: number;
  chunked: ChunkedCounter | undefined;
}

export class RawHttpConnection {
  private current: InFlight | undefined;
  private broken: Error | undefined;

  constructor(private readonly socket: Duplex) {
    socket.on("data", (d: Buffer) => {
      try {
        this.onData(d);
      } catch (err) {
        this.fail(err instanceof Error ? err : new Error(String(err)));
      }
    });
    socket.on("error", (err) => this.fail(err));
    socket.on("close", () => this.fail(new Error("connection closed")));
  }

  /** Sends one request (`head` without the final blank line) and resolves when its response has been read. */
  request(head: string, body?: RequestBody): Promise<RawResponse> {
    if (this.broken) return Promise.reject(this.broken);
    if (this.current) return Promise.reject(new Error("one request at a time"));
    return new Promise((resolve, reject) => {
      this.current = { resolve, reject, head: [], response: undefined, left: 0, chunked: undefined };
      this.socket.write(`${head}\r\n\r\n`);
      if (body) this.pump(body);
    });
  }

  close(): void {
    this.broken ??= new Error("closed by the benchmark");
    this.socket.destroy();
  }

  private pump(body: RequestBody): void {
    const owner = this.current;
    let sent = 0;
    const step = (): void => {
      // Stop if the response already arrived (an early error status) or the connection broke.
      while (sent < body.length && this.current === owner && !this.broken) {
        const at = sent % body.source.length;
        const n = Math.min(WRITE_SLICE, body.length - sent, body.source.length - at);
        sent += n;
        if (!this.socket.write(body.source.subarray(at, at + n))) {
          this.socket.once("drain", step);
          return;
        }
      }
    };
    step();
  }

  private onData(d: Buffer): void {
    const cur = this.current;
    if (!cur) throw new Error("bytes received with no request in flight");
    let buf = d;
    let at = 0;
    while (!cur.response) {
      cur.head.push(buf.subarray(at));
      const joined = cur.head.length === 1 ? (cur.head[0] ?? buf) : Buffer.concat(cur.head);
      const end = joined.indexOf(CRLFCRLF);
      if (end === -1) {
        if (joined.length > MAX_HEAD) throw new Error("response head too large");
        cur.head = [joined];
        return;
      }
      cur.head = [];
      buf = joined;
      at = end + 4;
      if (!this.parseHead(cur, joined.toString("latin1", 0, end))) continue; // 1xx: read the next head
      if (at === buf.length) break;
    }
    let done: number;
    if (cur.chunked) {
      done = cur.chunked.feed(buf, at);
      if (done !== -1 && cur.response) cur.response.bodyBytes = cur.chunked.bytes;
    } else {
      const n = Math.min(cur.left, buf.length - at);
      cur.left -= n;
      if (cur.response) cur.response.bodyBytes += n;
      done = cur.left === 0 ? at + n : -1;
    }
    if (done === -1) return;
    if (done !== buf.length) throw new Error("bytes after the end of the response (nothing was pipelined)");
    this.current = undefined;
    if (cur.response) cur.resolve(cur.response);
  }

  /** Parses a response head; false for an interim (1xx) response. */
  private parseHead(cur: InFlight, text: string): boolean {
    const [statusLine = "", ...lines] = text.split("\r\n");
    const m = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
    if (!m) throw new Error(`bad status line "${statusLine}"`);
    const status = Number(m[1]);
    if (status < 200) return false;
    const headers = new Map<string, string>();
    for (const line of lines) {
      const colon = line.indexOf(":");
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    cur.response = { status, headers, bodyBytes: 0 };
    if (/chunked/i.test(headers.get("transfer-encoding") ?? "")) cur.chunked = new ChunkedCounter();
    else if (headers.has("content-length")) cur.left = Number(headers.get("content-length"));
    else
      throw new Error("response without Content-Length or chunked framing (read-to-close is not supported)");
    return true;
  }

  private fail(err: Error): void {
    this.broken ??= err;
    const cur = this.current;
    this.current = undefined;
    cur?.reject(err);
  }
}
