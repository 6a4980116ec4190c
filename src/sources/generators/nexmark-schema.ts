/**
 * The column layouts of the Nexmark table types, exactly RisingWave's (names, order, types):
 * the person / auction / bid structs of ci/scripts/sql/nexmark/ddl.sql, and the combined
 * stream `(event_type bigint, person struct, auction struct, bid struct)` in which the two
 * structs other than the event's kind are NULL.
 *
 * Generated values are never NULL except those two structs, and the schema says so.
 */
import type { Column, SqlType } from '../../types/sql-type.js';
import { T } from '../../types/sql-type.js';
import type { NexmarkTableType } from './nexmark-config.js';

type Field = { name: string; type: SqlType };

const PERSON_FIELDS: Field[] = [
  { name: 'id', type: T.int8 },
  { name: 'name', type: T.varchar },
  { name: 'email_address', type: T.varchar },
  { name: 'credit_card', type: T.varchar },
  { name: 'city', type: T.varchar },
  { name: 'state', type: T.varchar },
  { name: 'date_time', type: T.timestamp },
  { name: 'extra', type: T.varchar },
];

const AUCTION_FIELDS: Field[] = [
  { name: 'id', type: T.int8 },
  { name: 'item_name', type: T.varchar },
  { name: 'description', type: T.varchar },
  { name: 'initial_bid', type: T.int8 },
  { name: 'reserve', type: T.int8 },
  { name: 'date_time', type: T.timestamp },
  { name: 'expires', type: T.timestamp },
  { name: 'seller', type: T.int8 },
  { name: 'category', type: T.int8 },
  { name: 'extra', type: T.varchar },
];

const BID_FIELDS: Field[] = [
  { name: 'auction', type: T.int8 },
  { name: 'bidder', type: T.int8 },
  { name: 'price', type: T.int8 },
  { name: 'channel', type: T.varchar },
  { name: 'url', type: T.varchar },
  { name: 'date_time', type: T.timestamp },
  { name: 'extra', type: T.varchar },
];

function columns(fields: Field[]): Column[] {
  return fields.map((f) => ({ name: f.name, type: f.type, nullable: false }));
}

function struct(fields: Field[]): SqlType {
  return { kind: 'record', fields: fields.map((f) => ({ name: f.name, type: f.type })) };
}

export function nexmarkSchema(tableType: NexmarkTableType): Column[] {
  switch (tableType) {
    case 'person':
      return columns(PERSON_FIELDS);
    case 'auction':
      return columns(AUCTION_FIELDS);
    case 'bid':
      return columns(BID_FIELDS);
    case 'combined':
      return [
        { name: 'event_type', type: T.int8, nullable: false },
        { name: 'person', type: struct(PERSON_FIELDS), nullable: true },
        { name: 'auction', type: struct(AUCTION_FIELDS), nullable: true },
        { name: 'bid', type: struct(BID_FIELDS), nullable: true },
      ];
  }
}
