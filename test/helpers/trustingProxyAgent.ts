/**
 * An `https-proxy-agent` that trusts a given CA inside the CONNECT tunnel. Node's https ignores HTTPS_PROXY, so
 * SDK clients and raw requests reach a proxy process through this agent; HttpsProxyAgent passes a constructor
 * `ca` only to the connection to the proxy itself, not to the TLS session it opens inside the tunnel (NOTES.md
 * §1), so the CA is added to the per-request options that session uses.
 */
import type { ClientRequest } from "node:http";
import { HttpsProxyAgent } from "https-proxy-agent";

type ConnectOpts = Parameters<HttpsProxyAgent<string>["connect"]>[1];

export class TrustingProxyAgent extends HttpsProxyAgent<string> {
  constructor(
    proxyUrl: string,
    private readonly tunnelCa: string,
  ) {
    super(proxyUrl);
  }
  override connect(req: ClientRequest, opts: ConnectOpts): ReturnType<HttpsProxyAgent<string>["connect"]> {
    // Only TLS endpoints get a CA (a plain-HTTP target's options type has no `ca`).
    return super.connect(req, opts.secureEndpoint ? { ...opts, ca: this.tunnelCa } : opts);
  }
}
