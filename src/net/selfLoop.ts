/**
 * Loop detection by address: a target whose name resolves to one of this machine's addresses on one of the
 * proxy's own listening ports would make the proxy connect to itself forever (typical when S3 names are
 * redirected to the proxy by DNS and no --upstream-endpoint is set). Only ports we listen on need a lookup.
 */
import { lookup as dnsLookup } from "node:dns/promises";
import { networkInterfaces } from "node:os";

export type Lookup = (host: string) => Promise<string[]>;

const defaultLookup: Lookup = async (host) => (await dnsLookup(host, { all: true })).map((a) => a.address);

function isLocalAddress(address: string): boolean {
  const a = address.toLowerCase().replace(/^::ffff:/, "");
  if (a.startsWith("127.") || a === "::1" || a === "0.0.0.0" || a === "::") return true;
  return Object.values(networkInterfaces()).some((list) => list?.some((i) => i.address.toLowerCase() === a));
}

export async function targetIsSelf(
  host: string,
  port: number,
  listenPorts: ReadonlySet<number>,
  lookup: Lookup = defaultLookup,
): Promise<boolean> {
  if (!listenPorts.has(port)) return false;
  let addresses: string[];
  try {
    addresses = await lookup(host);
  } catch {
    return false; // unresolvable: the connect attempt reports it
  }
  return addresses.some(isLocalAddress);
}
