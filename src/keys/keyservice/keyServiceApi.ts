/**
 * The GetDataKey method of the key service, compiled into the code from the definition in keyservice.proto
 * (the build copies only .ts files, so the .proto cannot be read at run time). proto-loader turns this
 * protobuf.js JSON descriptor into the serializers grpc-js needs; test/keys/keyServiceApi.test.ts loads the
 * .proto file and checks both describe the same messages. proto-loader is imported on first use only.
 */
import type { fromJSON, MethodDefinition } from "@grpc/proto-loader";

/** The full method name on the wire (gRPC over HTTP/2: `:path` = /<package>.<service>/<method>). */
export const GET_DATA_KEY_PATH = "/kms.API/GetDataKey";

export interface GetDataKeyRequest {
  data_key_id: string;
  length: number;
}

export interface GetDataKeyResponse {
  data_key: Buffer;
}

/** The descriptor of keyservice.proto in protobuf.js JSON form. */
export const KEY_SERVICE_DESCRIPTOR: Parameters<typeof fromJSON>[0] = {
  nested: {
    kms: {
      nested: {
        API: {
          methods: {
            GetDataKey: {
              requestType: "GetDataKeyRequest",
              responseType: "GetDataKeyResponse",
              comment: "A key the service derives for an id: the same id always yields the same bytes.",
            },
          },
        },
        GetDataKeyRequest: {
          fields: { data_key_id: { type: "string", id: 1 }, length: { type: "uint32", id: 2 } },
        },
        GetDataKeyResponse: { fields: { data_key: { type: "bytes", id: 1 } } },
      },
    },
  },
};

/** Options shared with the test server: field names as in the .proto, absent fields as their defaults. */
export const PROTO_LOADER_OPTIONS = { keepCase: true, defaults: true } as const;

export type GetDataKeyMethod = MethodDefinition<GetDataKeyRequest, GetDataKeyResponse>;

/** GetDataKey's method definition (path, serializers). */
export async function loadGetDataKeyMethod(): Promise<GetDataKeyMethod> {
  const protoLoader = await import("@grpc/proto-loader");
  const service = protoLoader.fromJSON(KEY_SERVICE_DESCRIPTOR, PROTO_LOADER_OPTIONS)["kms.API"] as
    Record<string, GetDataKeyMethod> | undefined;
  const method = service?.GetDataKey;
  if (method?.path !== GET_DATA_KEY_PATH)
    throw new Error("unreachable: the key service descriptor is broken");
  return method;
}
