/**
 * Reference point, not product: the smallest CONNECT tunnel Node can do (parse the CONNECT line, `net.connect`,
 * `pipe` both ways, TCP_NODELAY), run as its own process by the opt-in `bare-tunnel` route. It calibrates this
 * machine against NOTES.md §6 ("a bare `net` tunnel ~0.9 CPU-s/GiB") and shows what s3proxy's tunnel route adds.
 *
 *   node --import tsx bench/lib/bareTunnel.ts     prints `export HTTPS_PROXY=http://127.0.0.1:<port>` on stderr
 */
import { connect, createServer, type AddressInfo } from "node:net";

const server = createServer({ noDelay: true }, (client) => {
  client.on("error", () => client.destroy());
  let head = "";
  const onData = (d: Buffer): void => {
    head += d.toString("latin1");
    const end = head.indexOf("\r\n\r\n");
    if (end === -1) return;
    client.off("data", onData);
    client.pause();
    const m = /^CONNECT (\[[^\]]+\]|[^:\s]+):(\d+) /.exec(head);
    if (!m) return void client.end("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
    const rest = Buffer.from(head.slice(end + 4), "latin1");
    const upstream = connect({
      host: (m[1] ?? "").replace(/^\[|\]$/g, ""),
      port: Number(m[2]),
      noDelay: true,
    });
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.end());
    upstream.once("connect", () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (rest.length > 0) upstream.write(rest);
      client.pipe(upstream);
      upstream.pipe(client);
    });
  };
  client.on("data", onData);
});
server.listen(0, "127.0.0.1", () => {
  process.stderr.write(`  export HTTPS_PROXY=http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
process.once("SIGTERM", () => process.exit(0));
