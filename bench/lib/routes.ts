/**
 * How the benchmark's client reaches the origin: the routes compared side by side. Each route opens one client
 * TLS connection the way a real S3 client would on that path and says which Host header to send. Every table
 * and ratio column in the report is generated from the chosen routes: `encrypted` is the intercept route with
 * the proxy's encryption pipeline (its default mode) instead of `--passthrough`.
 */
import { connect as netConnect, type Socket } from "node:net";
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from "node:tls";

/** An S3 name the proxy intercepts (a default S3 pattern, and passed as `--intercept` too). */
export const INTERCEPT_HOST = "bench.s3.amazonaws.com";

/**
 * The access key the encrypting proxy signs with. The origin serves stored ciphertext (with its envelope) to
 * requests signed with it, and plain bytes to everyone else (clients and the pass-through proxy, which forward
 * the client's signature): one origin, both representations of the same object.
 */
export const BENCH_PROXY_KEY_ID = "AKIDBENCHPROXY";
/** Replaced by the runner with the benchmark's KEK file (bench/proxy.ts creates it). */
export const KEY_FILE_ARG = "{keyFile}";

export interface RouteEnv {
  originPort: number;
  /** The origin's CA (what a client trusts for the real S3 endpoint). */
  originCaPem: string;
  /** The proxy's interception CA (what a client trusts through an intercepting proxy). */
  proxyCaPem: string;
}

export interface OpenedConnection {
  socket: TLSSocket;
  /** Host header value for requests on this connection. */
  host: string;
}

export type ProxySpec =
  | {
      kind: "s3proxy";
      flags: readonly string[];
      upstreamCaVia: "flag" | "env";
      /** Run the pass-through step (`--passthrough` on builds that fail closed by default). */
      passthrough: boolean;
    }
  /** Not s3proxy: the minimal reference tunnel of bench/lib/bareTunnel.ts. */
  | { kind: "bare-tunnel" };

const PLAIN_PROXY: ProxySpec = { kind: "s3proxy", flags: [], upstreamCaVia: "flag", passthrough: true };

export interface Route {
  readonly name: string;
  /** One-line description for the report's footnotes. */
  readonly path: string;
  /** How to run this route's s3proxy (flags beyond the common ones), or undefined for no proxy at all. */
  readonly proxy: ProxySpec | undefined;
  open(env: RouteEnv, proxyPort: number | undefined): Promise<OpenedConnection>;
}

/** Sends `CONNECT authority` and resolves with the socket once the proxy has answered 200. */
export function connectThrough(proxyPort: number, authority: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host: "127.0.0.1", port: proxyPort, noDelay: true });
    let got = Buffer.alloc(0);
    const onData = (d: Buffer): void => {
      got = Buffer.concat([got, d]);
      const end = got.indexOf("\r\n\r\n");
      if (end === -1) return;
      socket.off("data", onData);
      socket.off("error", reject);
      socket.pause();
      const head = got.toString("latin1", 0, end);
      if (!/^HTTP\/1\.[01] 200/.test(head)) {
        socket.destroy();
        reject(new Error(`CONNECT ${authority}: ${head.split("\r\n")[0]}`));
        return;
      }
      if (end + 4 < got.length) socket.unshift(got.subarray(end + 4));
      resolve(socket);
    };
    socket.on("data", onData);
    socket.once("error", reject);
    socket.once("connect", () => socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n\r\n`));
  });
}

function handshake(options: ConnectionOptions): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const tls = tlsConnect({ ...options, ALPNProtocols: ["http/1.1"] });
    tls.once("secureConnect", () => {
      tls.off("error", reject);
      resolve(tls);
    });
    tls.once("error", reject);
  });
}

const needPort = (port: number | undefined): number => {
  if (port === undefined) throw new Error("this route needs a proxy");
  return port;
};

export const DIRECT: Route = {
  name: "direct",
  path: "client → origin",
  proxy: undefined,
  async open(env) {
    const raw = await new Promise<Socket>((resolve, reject) => {
      const s = netConnect({ host: "127.0.0.1", port: env.originPort, noDelay: true });
      s.once("connect", () => {
        s.off("error", reject);
        resolve(s);
      });
      s.once("error", reject);
    });
    const socket = await handshake({ socket: raw, servername: "localhost", ca: env.originCaPem });
    return { socket, host: `localhost:${env.originPort}` };
  },
};

async function openTunnelled(env: RouteEnv, proxyPort: number | undefined): Promise<OpenedConnection> {
  const authority = `localhost:${env.originPort}`;
  const raw = await connectThrough(needPort(proxyPort), authority);
  const socket = await handshake({ socket: raw, servername: "localhost", ca: env.originCaPem });
  return { socket, host: authority };
}

export const TUNNEL: Route = {
  name: "tunnel",
  path: "client → proxy (CONNECT localhost:<origin>, raw byte tunnel) → origin; one TLS session end to end",
  proxy: PLAIN_PROXY,
  open: openTunnelled,
};

async function openIntercepted(env: RouteEnv, proxyPort: number | undefined): Promise<OpenedConnection> {
  const raw = await connectThrough(needPort(proxyPort), `${INTERCEPT_HOST}:443`);
  const socket = await handshake({ socket: raw, servername: INTERCEPT_HOST, ca: env.proxyCaPem });
  return { socket, host: INTERCEPT_HOST };
}

export const INTERCEPT: Route = {
  name: "intercept",
  path:
    `client → proxy (CONNECT ${INTERCEPT_HOST}:443, TLS terminated with a leaf from the proxy CA, HTTP parsed, ` +
    "pass-through step, `--passthrough` where the build has it) → pooled keep-alive TLS → origin",
  proxy: PLAIN_PROXY,
  open: openIntercepted,
};

/**
 * Opt-in diagnostic (`--routes …,intercept-envca`): intercept with the origin CA given to the proxy through
 * NODE_EXTRA_CA_CERTS instead of `--upstream-ca`. With `--upstream-ca` the upstream agent gets a `ca` option
 * (all system roots plus the file), which Node's https.Agent serialises into its pool key on every request and
 * parses into a new SecureContext for every new upstream connection; this route shows the cost without that.
 */
export const INTERCEPT_ENV_CA: Route = {
  name: "intercept-envca",
  path: "as intercept, but the proxy trusts the origin CA via NODE_EXTRA_CA_CERTS, not --upstream-ca",
  proxy: { kind: "s3proxy", flags: [], upstreamCaVia: "env", passthrough: true },
  open: openIntercepted,
};

/** Opt-in reference (`--routes …,bare-tunnel`): the same client path as tunnel, through bench/lib/bareTunnel.ts. */
export const BARE_TUNNEL: Route = {
  name: "bare-tunnel",
  path: "as tunnel, through a 30-line `net` CONNECT tunnel (bench/lib/bareTunnel.ts) instead of s3proxy",
  proxy: { kind: "bare-tunnel" },
  open: openTunnelled,
};

/** Intercept with the encryption pipeline: PUT bodies encrypted, GET bodies decrypted, requests re-signed. */
export const ENCRYPTED: Route = {
  name: "encrypted",
  path:
    "as intercept, with the encryption pipeline (the default mode): PUT encrypted, GET decrypted (envelope " +
    "opened, DEK unwrapped with a local KEK per request), every request re-signed with the proxy's credentials",
  proxy: {
    kind: "s3proxy",
    flags: [
      "--key-file",
      KEY_FILE_ARG,
      "--access-key-id",
      BENCH_PROXY_KEY_ID,
      "--secret-access-key",
      "bench-proxy-secret",
      "--region",
      "us-east-1",
    ],
    upstreamCaVia: "flag",
    passthrough: false,
  },
  open: openIntercepted,
};

/** The default routes, in report order; the first is the baseline the others are divided by. */
export const ROUTES: readonly Route[] = [DIRECT, TUNNEL, INTERCEPT, ENCRYPTED];

/** Every route `--routes` accepts. */
export const KNOWN_ROUTES: readonly Route[] = [...ROUTES, BARE_TUNNEL, INTERCEPT_ENV_CA];
