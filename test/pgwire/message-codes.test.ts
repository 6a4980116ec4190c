/**
 * The code tables have no duplicates within one direction (the pg-gateway 0x64 lesson), and
 * each byte is the letter the protocol documentation gives.
 */
import { describe, expect, it } from 'vitest';
import { AuthCode, Backend, ErrorField, Frontend, StartupCode, TxStatus, frontendName } from '../../src/pgwire/message-codes.js';

function expectUnique(table: { [k: string]: number }): void {
  const values = Object.values(table);
  expect(new Set(values).size).toBe(values.length);
}

describe('message codes', () => {
  it('are unique within each table', () => {
    for (const t of [Frontend, Backend, StartupCode, AuthCode, ErrorField, TxStatus]) expectUnique(t);
  });

  it('are the documented letters', () => {
    const letters = (t: { [k: string]: number }) => Object.fromEntries(Object.entries(t).map(([k, v]) => [k, String.fromCharCode(v)]));
    expect(letters(Frontend)).toEqual({
      Bind: 'B', Close: 'C', CopyData: 'd', CopyDone: 'c', CopyFail: 'f', Describe: 'D', Execute: 'E', Flush: 'H',
      FunctionCall: 'F', Parse: 'P', Password: 'p', Query: 'Q', Sync: 'S', Terminate: 'X',
    });
    expect(letters(Backend)).toEqual({
      Authentication: 'R', BackendKeyData: 'K', BindComplete: '2', CloseComplete: '3', CommandComplete: 'C',
      CopyData: 'd', CopyDone: 'c', CopyInResponse: 'G', CopyOutResponse: 'H', DataRow: 'D', EmptyQueryResponse: 'I', ErrorResponse: 'E',
      NegotiateProtocolVersion: 'v', NoData: 'n', NoticeResponse: 'N', NotificationResponse: 'A',
      ParameterDescription: 't', ParameterStatus: 'S', ParseComplete: '1', PortalSuspended: 's',
      ReadyForQuery: 'Z', RowDescription: 'T',
    });
  });

  it('startup codes encode version 1234.5678+n and 3.0', () => {
    expect(StartupCode.SSLRequest).toBe((1234 << 16) | 5679);
    expect(StartupCode.GSSENCRequest).toBe((1234 << 16) | 5680);
    expect(StartupCode.CancelRequest).toBe((1234 << 16) | 5678);
    expect(StartupCode.Protocol3).toBe(3 << 16);
  });

  it('names frontend codes for logs', () => {
    expect(frontendName(0x51)).toBe('Query');
    expect(frontendName(1)).toBe('unknown (1)');
  });
});
