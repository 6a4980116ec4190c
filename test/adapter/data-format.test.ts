// The data directory's format version: a new directory records weir's, a restart accepts it,
// and a directory of another version (older: written before versions were recorded; newer)
// is refused at open with 55000 and a hint, leaving the directory as it was.
import { pino } from 'pino';
import { describe, expect, test } from 'vitest';
import { DATA_FORMAT_VERSION } from '../../src/adapter/data-format.js';
import { Weir } from '../../src/adapter/weir.js';
import { keys } from '../../src/storage/key-layout.js';
import { LevelKvStore } from '../../src/storage/level-kv-store.js';
import { tempDataDir } from '../harness/temp-dirs.js';

const logger = pino({ level: 'silent' });
const text = (b: Uint8Array | undefined): string | undefined => (b === undefined ? undefined : Buffer.from(b).toString());

async function withStore(dir: string, f: (s: LevelKvStore) => Promise<void>): Promise<void> {
  const s = await LevelKvStore.open(dir);
  try {
    await f(s);
  } finally {
    await s.close();
  }
}

describe('data directory format', () => {
  test('a new directory records the format; a restart opens it', async () => {
    const dataDir = tempDataDir();
    const weir = await Weir.open({ dataDir, logger });
    await weir.close();
    await withStore(dataDir, async (s) => expect(text(await s.get(keys.format))).toBe(String(DATA_FORMAT_VERSION)));
    const again = await Weir.open({ dataDir, logger });
    await again.close();
  });

  test('a directory without a recorded format (an earlier weir) or of a later format is refused with a hint', async () => {
    const dataDir = tempDataDir();
    const weir = await Weir.open({ dataDir, logger });
    await weir.close();
    // What a directory of an earlier weir holds: data, no format key.
    await withStore(dataDir, (s) => s.write([{ type: 'del', key: keys.format }, { type: 'put', key: keys.tick, value: Buffer.from('7') }]));
    await expect(Weir.open({ dataDir, logger })).rejects.toMatchObject({
      code: '55000',
      message: `data directory format 1 is older than this weir's (${DATA_FORMAT_VERSION})`,
      hint: expect.stringContaining('start with a new --data-dir'),
    });
    await withStore(dataDir, async (s) => expect(await s.get(keys.format)).toBeUndefined()); // left as it was
    await withStore(dataDir, (s) => s.write([{ type: 'put', key: keys.format, value: Buffer.from('99') }]));
    await expect(Weir.open({ dataDir, logger })).rejects.toMatchObject({ code: '55000', message: expect.stringContaining('format 99 is newer') });
  });
});
