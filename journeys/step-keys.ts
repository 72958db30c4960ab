/**
 * Step keys (SPEC §2): `j_o_<journey>__<step>_<suffix>`, at most 255 characters.
 * Destinations use the key as the property (track) or trait (identify) name of journey membership.
 */
const MAX_KEY_LENGTH = 255;
const SUFFIX_LENGTH = 6;
const FIXED_LENGTH = 'j_o_'.length + '__'.length + '_'.length + SUFFIX_LENGTH;
const SUFFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Lower snake case of ASCII letters and digits only ("First Purchase!" → "first_purchase"). */
export function toSnakeCase(name: string): string {
  const snake = name
    .normalize('NFKD')
    // Combining marks left by NFKD ("é" → "e" + U+0301) belong to their letter, not between words.
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return snake === '' ? 'x' : snake;
}

export function randomSuffix(random: () => number = Math.random): string {
  let suffix = '';
  for (let i = 0; i < SUFFIX_LENGTH; i++) {
    suffix += SUFFIX_ALPHABET[Math.floor(random() * SUFFIX_ALPHABET.length)] ?? 'a';
  }
  return suffix;
}

/** Truncates the names (never the suffix) so the key fits in 255 characters, sharing room fairly. */
export function makeStepKey(journeyName: string, stepName: string, suffix: string = randomSuffix()): string {
  if (!/^[a-z0-9]{6}$/.test(suffix)) throw new Error(`step key suffix must be 6 of [a-z0-9], got "${suffix}"`);
  let journey = toSnakeCase(journeyName);
  let step = toSnakeCase(stepName);
  const room = MAX_KEY_LENGTH - FIXED_LENGTH;
  if (journey.length + step.length > room) {
    const half = Math.floor(room / 2);
    const journeyRoom = Math.max(half, room - step.length);
    journey = journey.slice(0, journeyRoom).replace(/_+$/, '');
    step = step.slice(0, room - journey.length).replace(/_+$/, '');
  }
  return `j_o_${journey}__${step}_${suffix}`;
}

export const STEP_KEY_PATTERN = /^j_o_[a-z0-9_]+__[a-z0-9_]+_[a-z0-9]{6}$/;
