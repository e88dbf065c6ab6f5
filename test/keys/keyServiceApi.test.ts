/**
 * The key service definition compiled into src/keys/keyservice/keyServiceApi.ts is the one in keyservice.proto:
 * same full method name and the same fields (names, numbers, types) in both messages, as protobuf descriptors.
 * The method path is the one Constellation's keyservice serves (/kms.API/GetDataKey).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as protoLoader from "@grpc/proto-loader";
import {
  GET_DATA_KEY_PATH,
  KEY_SERVICE_DESCRIPTOR,
  PROTO_LOADER_OPTIONS,
} from "../../src/keys/keyservice/keyServiceApi.ts";
import { PROTO_FILE } from "./keyServiceServer.ts";

type Method = protoLoader.MethodDefinition<object, object>;

function method(definition: protoLoader.PackageDefinition): Method {
  const service = definition["kms.API"] as Record<string, Method> | undefined;
  assert.ok(service?.GetDataKey !== undefined);
  return service.GetDataKey;
}

function fields(type: protoLoader.MessageTypeDefinition<object, object>): unknown {
  const descriptor = type.type as {
    field: Array<{ name: string; number: number; type: string; label: string }>;
  };
  return descriptor.field.map(({ name, number, type: t, label }) => ({ name, number, type: t, label }));
}

void describe("key service API", () => {
  void it("is the same in keyservice.proto and the compiled-in descriptor", () => {
    const fromProto = method(protoLoader.loadSync(PROTO_FILE, PROTO_LOADER_OPTIONS));
    const compiled = method(protoLoader.fromJSON(KEY_SERVICE_DESCRIPTOR, PROTO_LOADER_OPTIONS));
    assert.equal(fromProto.path, GET_DATA_KEY_PATH);
    assert.equal(compiled.path, GET_DATA_KEY_PATH);
    assert.equal(GET_DATA_KEY_PATH, "/kms.API/GetDataKey");
    assert.deepEqual(fields(compiled.requestType), fields(fromProto.requestType));
    assert.deepEqual(fields(compiled.responseType), fields(fromProto.responseType));
    assert.deepEqual(fields(compiled.requestType), [
      { name: "data_key_id", number: 1, type: "TYPE_STRING", label: "LABEL_OPTIONAL" },
      { name: "length", number: 2, type: "TYPE_UINT32", label: "LABEL_OPTIONAL" },
    ]);
    assert.deepEqual(fields(compiled.responseType), [
      { name: "data_key", number: 1, type: "TYPE_BYTES", label: "LABEL_OPTIONAL" },
    ]);
  });

  void it("encodes a request as protobuf field 1 (string) and field 2 (varint)", () => {
    const bytes = method(protoLoader.fromJSON(KEY_SERVICE_DESCRIPTOR, PROTO_LOADER_OPTIONS)).requestSerialize(
      {
        data_key_id: "s3proxy-kek",
        length: 32,
      },
    );
    assert.equal(bytes.toString("hex"), `0a0b${Buffer.from("s3proxy-kek").toString("hex")}1020`);
  });
});
