/**
 * Backend messages: one function per server → client message, each appending the message to a
 * MessageWriter. Values are encoded here (text via formatDatum, binary via encodeBinary), so
 * DataRow bytes go straight from datums into the outgoing buffer.
 */
import type { ResultColumn, Notice } from '../../adapter/session-api.js';
import type { Row } from '../../types/datum.js';
import { encodeBinary } from '../../types/binary-format.js';
import { oidOf, typeModifier, typeSize } from '../../types/pg-oid.js';
import type { SqlType } from '../../types/sql-type.js';
import { formatDatum } from '../../types/text-format.js';
import type { MessageWriter } from '../message-writer.js';
import { AuthCode, Backend, ErrorField } from '../message-codes.js';
import type { FormatCode } from './frontend.js';

export function authenticationOk(w: MessageWriter): void {
  w.begin(Backend.Authentication).int32(AuthCode.Ok).end();
}

/** AuthenticationSASL: the mechanisms offered, each a C string, then an empty one. */
export function authenticationSasl(w: MessageWriter, mechanisms: string[]): void {
  w.begin(Backend.Authentication).int32(AuthCode.SASL);
  for (const m of mechanisms) w.cstring(m);
  w.int8(0).end();
}

export function authenticationSaslContinue(w: MessageWriter, data: string): void {
  w.begin(Backend.Authentication).int32(AuthCode.SASLContinue).bytes(Buffer.from(data, 'utf8')).end();
}

export function authenticationSaslFinal(w: MessageWriter, data: string): void {
  w.begin(Backend.Authentication).int32(AuthCode.SASLFinal).bytes(Buffer.from(data, 'utf8')).end();
}

export function parameterStatus(w: MessageWriter, name: string, value: string): void {
  w.begin(Backend.ParameterStatus).cstring(name).cstring(value).end();
}

export function backendKeyData(w: MessageWriter, processId: number, secretKey: number): void {
  w.begin(Backend.BackendKeyData).int32(processId).int32(secretKey).end();
}

export function readyForQuery(w: MessageWriter, status: number): void {
  w.begin(Backend.ReadyForQuery).int8(status).end();
}

/** NegotiateProtocolVersion: the newest minor version we support and the options we ignored. */
export function negotiateProtocolVersion(w: MessageWriter, minor: number, unrecognized: string[]): void {
  w.begin(Backend.NegotiateProtocolVersion).int32((3 << 16) | minor).int32(unrecognized.length);
  for (const o of unrecognized) w.cstring(o);
  w.end();
}

/** The format of column i: none given = text, one = all, else one per column. */
export function formatOf(formats: readonly FormatCode[], i: number): FormatCode {
  if (formats.length === 0) return 0;
  if (formats.length === 1) return formats[0]!;
  return formats[i] ?? 0;
}

export function rowDescription(w: MessageWriter, columns: readonly ResultColumn[], formats: readonly FormatCode[]): void {
  w.begin(Backend.RowDescription).int16(columns.length);
  for (let i = 0; i < columns.length; i++) {
    const c = columns[i]!;
    w.cstring(c.name)
      .uint32(c.tableOid ?? 0)
      .int16(c.columnNumber ?? 0)
      .uint32(oidOf(c.type))
      .int16(typeSize(c.type))
      .int32(typeModifier(c.type))
      .int16(formatOf(formats, i));
  }
  w.end();
}

export function parameterDescription(w: MessageWriter, types: readonly SqlType[]): void {
  w.begin(Backend.ParameterDescription).int16(types.length);
  for (const t of types) w.uint32(oidOf(t));
  w.end();
}

export function dataRow(w: MessageWriter, row: Row, columns: readonly ResultColumn[], formats: readonly FormatCode[]): void {
  w.begin(Backend.DataRow).int16(row.length);
  for (let i = 0; i < row.length; i++) {
    const d = row[i]!;
    if (d === null) {
      w.int32(-1);
      continue;
    }
    const t = columns[i]!.type;
    if (formatOf(formats, i) === 1) {
      const b = encodeBinary(d, t);
      w.int32(b.length).bytes(b);
    } else {
      w.lengthPrefixedString(formatDatum(d, t));
    }
  }
  w.end();
}

/** CopyOutResponse / CopyInResponse: text format overall and for each of `columns` columns. */
export function copyResponse(w: MessageWriter, type: typeof Backend.CopyOutResponse | typeof Backend.CopyInResponse, columns: number): void {
  w.begin(type).int8(0).int16(columns);
  for (let i = 0; i < columns; i++) w.int16(0);
  w.end();
}

export function copyData(w: MessageWriter, data: Uint8Array): void {
  w.begin(Backend.CopyData).bytes(data).end();
}

export function commandComplete(w: MessageWriter, tag: string): void {
  w.begin(Backend.CommandComplete).cstring(tag).end();
}

/** The fields of an ErrorResponse or NoticeResponse. */
export interface ErrorFields {
  severity: 'ERROR' | 'FATAL' | Notice['severity'];
  code: string;
  message: string;
  detail?: string | undefined;
  hint?: string | undefined;
  position?: number | undefined;
}

function fields(w: MessageWriter, type: number, f: ErrorFields): void {
  w.begin(type);
  w.int8(ErrorField.Severity).cstring(f.severity);
  w.int8(ErrorField.SeverityNonLocalized).cstring(f.severity);
  w.int8(ErrorField.Code).cstring(f.code);
  w.int8(ErrorField.Message).cstring(f.message);
  if (f.detail !== undefined) w.int8(ErrorField.Detail).cstring(f.detail);
  if (f.hint !== undefined) w.int8(ErrorField.Hint).cstring(f.hint);
  if (f.position !== undefined) w.int8(ErrorField.Position).cstring(String(f.position));
  w.int8(0).end();
}

export function errorResponse(w: MessageWriter, f: ErrorFields): void {
  fields(w, Backend.ErrorResponse, f);
}

export function noticeResponse(w: MessageWriter, n: Notice): void {
  fields(w, Backend.NoticeResponse, n);
}
