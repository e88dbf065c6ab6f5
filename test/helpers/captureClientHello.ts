/** Captures the first flight a real Node TLS client sends (its ClientHello), for parser tests. */
import { createServer, type AddressInfo } from "node:net";
import { connect } from "node:tls";

export async function captureClientHello(servername: string | undefined): Promise<Buffer> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  const got = new Promise<Buffer>((resolve) => {
    server.once("connection", (s) => {
      const chunks: Buffer[] = [];
      s.on("data", (d: Buffer) => {
        chunks.push(d);
        const all = Buffer.concat(chunks);
        if (all.length >= 5 && all.length >= 5 + all.readUInt16BE(3)) {
          resolve(all);
          s.destroy();
        }
      });
    });
  });
  const client = connect({ host: "127.0.0.1", port, ...(servername ? { servername } : {}) });
  client.on("error", () => undefined);
  const hello = await got;
  client.destroy();
  server.close();
  return hello;
}
