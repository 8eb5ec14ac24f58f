/**
 * JSON value types shared by every protocol definition.
 *
 * Protocol objects are declared as type aliases (not interfaces) so that each of them is assignable to
 * `JsonValue`: object type aliases get an implicit index signature, interfaces do not.
 */

/** Any JSON value, as produced by `JSON.parse`. */
export type JsonValue = null | boolean | number | string | JsonArray | JsonObject;

/** A JSON array. */
export type JsonArray = readonly JsonValue[];

/** A JSON object with arbitrary keys. */
export type JsonObject = { readonly [key: string]: JsonValue };

/** Schema `RecordStringAny`: generic record for arbitrary key-value pairs (config, context, metadata, evidence). */
export type RecordStringAny = { readonly [key: string]: JsonValue };

/** Schema `AnyMap`: any JSON object (`additionalProperties: {}`); used for engine config, secrets and context. */
export type AnyMap = { readonly [key: string]: JsonValue };

/** RFC 3339 timestamp string (schema `format: date-time`); never a `Date`. */
export type DateTimeString = string;
