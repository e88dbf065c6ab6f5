/**
 * An in-test key service on 127.0.0.1: it serves src/keys/keyservice/keyservice.proto (loaded from the .proto
 * file, so the client's compiled-in descriptor is checked against it on the wire) and derives keys the way
 * Constellation's keyservice does, deterministically: HKDF-SHA256(master secret, salt, "key-" + id, length).
 * Requests are recorded; `respond` can replace the answer (a delay, an error, a bad key) for failure tests.
 */
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { hkdfSync } from "node:crypto";
import { fileURLToPath } from "node:url";
import { PROTO_LOADER_OPTIONS } from "../../src/keys/keyservice/keyServiceApi.ts";

export const PROTO_FILE = fileURLToPath(
  new URL("../../src/keys/keyservice/keyservice.proto", import.meta.url),
);
const SALT = Buffer.from("s3proxy test keyservice salt");

interface Request {
  data_key_id: string;
  length: number;
}

type Answer = { key: Buffer } | { error: Partial<grpc.StatusObject> } | { delayMs: number; key?: Buffer };

export interface KeyServiceServer {
  readonly port: number;
  readonly endpoint: string;
  readonly requests: Request[];
  /** Replaces the answer for the next requests (undefined: derive the key). */
  respond: ((request: Request) => Answer | undefined) | undefined;
  /** The key the service derives for `id`. */
  keyFor(id: string, length?: number): Buffer;
  stop(): void;
}

export function deriveTestKey(master: Buffer, id: string, length = 32): Buffer {
  return Buffer.from(hkdfSync("sha256", master, SALT, `key-${id}`, length));
}

export async function startKeyServiceServer(options: {
  master: Buffer;
  port?: number;
  credentials?: grpc.ServerCredentials;
}): Promise<KeyServiceServer> {
  const definition = protoLoader.loadSync(PROTO_FILE, PROTO_LOADER_OPTIONS);
  const api = (grpc.loadPackageDefinition(definition).kms as grpc.GrpcObject)
    .API as grpc.ServiceClientConstructor;
  const server = new grpc.Server();
  const requests: Request[] = [];
  const state: KeyServiceServer = {
    port: 0,
    endpoint: "",
    requests,
    respond: undefined,
    keyFor: (id, length = 32) => deriveTestKey(options.master, id, length),
    stop: () => server.forceShutdown(),
  };
  server.addService(api.service, {
    GetDataKey(
      call: grpc.ServerUnaryCall<Request, { data_key: Buffer }>,
      callback: grpc.sendUnaryData<{ data_key: Buffer }>,
    ) {
      const request = call.request;
      requests.push(request);
      const answer: Answer | undefined = state.respond?.(request);
      if (answer !== undefined && "error" in answer) {
        callback(answer.error, null);
        return;
      }
      const reply = (): void => {
        // As Constellation's keyservice: length 0 and an empty id are INVALID_ARGUMENT.
        if (request.length === 0 || request.data_key_id === "") {
          callback({ code: grpc.status.INVALID_ARGUMENT, details: "bad request" }, null);
          return;
        }
        const key =
          answer !== undefined && "key" in answer && answer.key !== undefined
            ? answer.key
            : state.keyFor(request.data_key_id, request.length);
        callback(null, { data_key: key });
      };
      if (answer !== undefined && "delayMs" in answer) setTimeout(reply, answer.delayMs);
      else reply();
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(
      `127.0.0.1:${options.port ?? 0}`,
      options.credentials ?? grpc.ServerCredentials.createInsecure(),
      (err, bound) => (err === null ? resolve(bound) : reject(err)),
    );
  });
  return Object.assign(state, { port, endpoint: `127.0.0.1:${port}` });
}
