/**
 * One Person event as the fields of RisingWave's person struct: (id, name, email_address,
 * credit_card, city, state, date_time, extra). Draw order follows the reference PersonGenerator.
 *
 * id is the event's own dense id (`lastBase0PersonId + firstPersonId`); name is "First Last" from
 * the reference vocabularies in their original case (Flink's; nexmark-rs lower-cases them);
 * extra pads to `avgPersonByteSize` with currentSize = 8 + the lengths of the five strings.
 */
import type { Datum } from '../../types/datum.js';
import type { NexmarkModel } from './nexmark-model.js';
import { nextCreditCard, nextExtra, nextString } from './nexmark-strings.js';
import type { Rng } from './random.js';

export function personFields(m: NexmarkModel, rng: Rng, id: number, timeUs: number): Datum[] {
  const personId = m.lastBase0PersonId(id) + m.firstPersonId;
  const name = `${m.firstNames[rng.int(m.firstNames.length)]!} ${m.lastNames[rng.int(m.lastNames.length)]!}`;
  const email = `${nextString(rng, 7)}@${nextString(rng, 5)}.com`;
  const creditCard = nextCreditCard(rng);
  const city = m.usCities[rng.int(m.usCities.length)]!;
  const state = m.usStates[rng.int(m.usStates.length)]!;
  const size = 8 + name.length + email.length + creditCard.length + city.length + state.length;
  const extra = nextExtra(rng, size, m.avgPersonByteSize);
  return [BigInt(personId), name, email, creditCard, city, state, timeUs, extra];
}
