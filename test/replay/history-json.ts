import { createRequire } from 'node:module';
import * as proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root';

type History = proto.temporal.api.history.v1.IHistory;

interface ProtoJson {
  toJson(type: unknown, message: unknown): unknown;
  fromJson(type: unknown, json: unknown, options: { ignoreUnknownFields: boolean }): unknown;
}

// historyToJSON and historyFromJSON of @temporalio/common pair their own copy of protobufjs with
// @temporalio/proto's types, and npm installed two copies here ("type must be a Type"): the
// proto package's own protojson works on its own types.
const protoJson = createRequire(require.resolve('@temporalio/proto'))('protobufjs/ext/protojson') as ProtoJson;
const historyType = (patchProtobufRoot(proto) as unknown as { lookupType(name: string): unknown }).lookupType('temporal.api.history.v1.History');

/** A history as the JSON that Temporal's tools write (`temporal workflow show --output json`). */
export function historyToJson(history: History): string {
  return JSON.stringify(protoJson.toJson(historyType, proto.temporal.api.history.v1.History.fromObject(history)), null, 2);
}

/** Reads a history JSON file's text back into a history that replay accepts. */
export function historyFromJson(text: string): History {
  return protoJson.fromJson(historyType, JSON.parse(text), { ignoreUnknownFields: true }) as History;
}
