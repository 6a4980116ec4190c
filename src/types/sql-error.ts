/**
 * SqlError: every error a user can see. `code` is a Postgres SQLSTATE, `message` is lower-case
 * with no trailing period, `detail` and `hint` are sentences (Materialize's error style).
 * `position` is the 1-based character offset into the statement text, as Postgres reports it.
 */
export class SqlError extends Error {
  readonly code: string;
  readonly detail: string | undefined;
  readonly hint: string | undefined;
  position: number | undefined;

  constructor(code: string, message: string, opts: { detail?: string; hint?: string; position?: number } = {}) {
    super(message);
    this.name = 'SqlError';
    this.code = code;
    this.detail = opts.detail;
    this.hint = opts.hint;
    this.position = opts.position;
  }

  static is(e: unknown): e is SqlError {
    return e instanceof SqlError;
  }
}

/** The SQLSTATE codes weir raises, by Postgres's condition names. */
export const SqlState = {
  successfulCompletion: '00000',
  warning: '01000',
  featureNotSupported: '0A000',
  invalidParameterValue: '22023',
  cardinalityViolation: '21000',
  stringDataRightTruncation: '22001',
  numericValueOutOfRange: '22003',
  nullValueNotAllowed: '22004',
  invalidDatetimeFormat: '22007',
  datetimeFieldOverflow: '22008',
  divisionByZero: '22012',
  invalidPrecedingOrFollowingSize: '22013',
  invalidArgumentForNtile: '22014',
  invalidArgumentForNthValue: '22016',
  invalidTextRepresentation: '22P02',
  invalidBinaryRepresentation: '22P03',
  invalidParameterValueJson: '22032',
  dataException: '22000',
  notNullViolation: '23502',
  uniqueViolation: '23505',
  checkViolation: '23514',
  invalidTransactionState: '25000',
  activeSqlTransaction: '25001',
  noActiveSqlTransaction: '25P01',
  inFailedSqlTransaction: '25P02',
  readOnlySqlTransaction: '25006',
  invalidSqlStatementName: '26000',
  invalidCursorName: '34000',
  invalidAuthorizationSpecification: '28000',
  invalidPassword: '28P01',
  serializationFailure: '40001',
  syntaxError: '42601',
  undefinedColumn: '42703',
  undefinedFunction: '42883',
  duplicateFunction: '42723',
  invalidFunctionDefinition: '42P13',
  undefinedTable: '42P01',
  undefinedObject: '42704',
  undefinedParameter: '42P02',
  duplicateObject: '42710',
  duplicateTable: '42P07',
  duplicateColumn: '42701',
  ambiguousColumn: '42702',
  ambiguousFunction: '42725',
  groupingError: '42803',
  datatypeMismatch: '42804',
  wrongObjectType: '42809',
  invalidColumnReference: '42P10',
  dependentObjectsStillExist: '2BP01',
  cannotCoerce: '42846',
  indeterminateDatatype: '42P18',
  invalidTableDefinition: '42P16',
  windowingError: '42P20',
  protocolViolation: '08P01',
  queryCanceled: '57014',
  programLimitExceeded: '54000',
  outOfMemory: '53200',
  insufficientPrivilege: '42501',
  ioError: '58030',
  objectNotInPrerequisiteState: '55000',
  undefinedFile: '58P01',
  internalError: 'XX000',
  dataCorrupted: 'XX001',
} as const;

export type SqlStateCode = (typeof SqlState)[keyof typeof SqlState];
