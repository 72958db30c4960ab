import { makeStepKey, randomSuffix, STEP_KEY_PATTERN, toSnakeCase } from '../../journeys/step-keys';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A `random()` that yields the given values in turn, for a deterministic suffix. */
function sequence(values: number[]): () => number {
  let i = 0;
  return () => {
    const value = values[i % values.length];
    i += 1;
    if (value === undefined) throw new Error('empty sequence');
    return value;
  };
}

describe('toSnakeCase', () => {
  it.each([
    ['First Purchase', 'first_purchase'],
    ['Opened email', 'opened_email'],
    ['New subscribed users', 'new_subscribed_users'],
    ['First Purchase!', 'first_purchase'],
    ['  --Hello,   World--  ', 'hello_world'],
    ['already_snake_case', 'already_snake_case'],
    ['Order #42 (VIP)', 'order_42_vip'],
    ['ﬁrst', 'first'],
    ['Ｆｕｌｌｗｉｄｔｈ', 'fullwidth'],
  ])('%j → %j', (name, expected) => {
    expect(toSnakeCase(name)).toBe(expected);
  });

  it('keeps only lower-case ASCII letters, digits and single underscores', () => {
    for (const name of ['Ça va? Très bien!', 'Straße 7', '日本語のステップ', '🎉 Party 🎉', 'a\tb\nc']) {
      const snake = toSnakeCase(name);
      expect(snake).toMatch(/^[a-z0-9]+(_[a-z0-9]+)*$/);
    }
  });

  it('strips an accent at the end of a word (é → e)', () => {
    expect(toSnakeCase('Café')).toBe('cafe');
    expect(toSnakeCase('Café Olé')).toBe('cafe_ole');
  });

  // BUG: NFKD splits "è" into "e" + U+0300, and the combining mark then becomes a word separator,
  // so an accent at the start or in the middle of a word cuts it in two ("Crème" → "cre_me").
  test('drops combining accents inside a word instead of splitting it', () => {
    expect(toSnakeCase('Crème brûlée')).toBe('creme_brulee');
    expect(toSnakeCase('Día 1')).toBe('dia_1');
    expect(toSnakeCase('Étape')).toBe('etape');
  });

  it('falls back to "x" for a name with no ASCII letter or digit', () => {
    expect(toSnakeCase('日本語')).toBe('x');
    expect(toSnakeCase('!!!')).toBe('x');
    expect(toSnakeCase('')).toBe('x');
  });
});

describe('randomSuffix', () => {
  it('is 6 characters of [a-z0-9]', () => {
    for (let i = 0; i < 200; i++) expect(randomSuffix()).toMatch(/^[a-z0-9]{6}$/);
  });

  it('maps the random number onto the whole alphabet, first to last', () => {
    expect(randomSuffix(() => 0)).toBe('aaaaaa');
    expect(randomSuffix(() => 0.999999)).toBe('999999');
    // Index i is reached by i / 36 exactly.
    const indexes = [0, 25, 26, 35, 10, 1];
    expect(randomSuffix(sequence(indexes.map((i) => i / ALPHABET.length)))).toBe('az09kb');
  });

  it('can produce every character of the alphabet', () => {
    const seen = new Set<string>();
    for (let i = 0; i < ALPHABET.length; i++) {
      for (const c of randomSuffix(() => (i + 0.5) / ALPHABET.length)) seen.add(c);
    }
    expect([...seen].sort().join('')).toBe([...ALPHABET].sort().join(''));
  });

  it('differs between calls with the default random source', () => {
    const suffixes = new Set(Array.from({ length: 50 }, () => randomSuffix()));
    expect(suffixes.size).toBeGreaterThan(45);
  });
});

describe('makeStepKey', () => {
  it('builds the SPEC example', () => {
    expect(makeStepKey('First Purchase', 'Opened email', 'dje83h')).toBe(
      'j_o_first_purchase__opened_email_dje83h',
    );
  });

  it('uses a random suffix when none is given', () => {
    const key = makeStepKey('First Purchase', 'Opened email');
    expect(key).toMatch(/^j_o_first_purchase__opened_email_[a-z0-9]{6}$/);
    expect(key).toMatch(STEP_KEY_PATTERN);
  });

  it('snake-cases both names, including non-ASCII ones', () => {
    expect(makeStepKey('Café Promo', 'Welcome → VIP', 'abc123')).toBe('j_o_cafe_promo__welcome_vip_abc123');
    expect(makeStepKey('日本', 'ステップ', 'abc123')).toBe('j_o_x__x_abc123');
  });

  it.each(['DJE83H', 'dje83', 'dje83h7', 'dje-8h', 'dje 8h', '', 'déj83h'])(
    'rejects the suffix %j',
    (suffix) => {
      expect(() => makeStepKey('First Purchase', 'Opened email', suffix)).toThrow(/suffix/);
    },
  );

  it('keeps names that fit untouched (242 characters of names in total)', () => {
    const journey = 'j'.repeat(121);
    const step = 's'.repeat(121);
    const key = makeStepKey(journey, step, 'abc123');
    expect(key).toBe(`j_o_${journey}__${step}_abc123`);
    expect(key).toHaveLength(255);
  });

  it('truncates two very long names to exactly 255 characters, sharing the room', () => {
    const key = makeStepKey('a'.repeat(300), 'b'.repeat(300), 'abc123');
    expect(key).toHaveLength(255);
    expect(key).toBe(`j_o_${'a'.repeat(121)}__${'b'.repeat(121)}_abc123`);
    expect(key).toMatch(STEP_KEY_PATTERN);
  });

  it('gives a short step name its full length and the rest of the room to the journey', () => {
    const key = makeStepKey('a'.repeat(1000), 'Opened email', 'abc123');
    expect(key).toHaveLength(255);
    expect(key.endsWith('__opened_email_abc123')).toBe(true);
    expect(key).toBe(`j_o_${'a'.repeat(242 - 'opened_email'.length)}__opened_email_abc123`);
  });

  it('gives a short journey name its full length and the rest of the room to the step', () => {
    const key = makeStepKey('First Purchase', 'b'.repeat(1000), 'abc123');
    expect(key).toHaveLength(255);
    expect(key).toBe(`j_o_first_purchase__${'b'.repeat(242 - 'first_purchase'.length)}_abc123`);
  });

  it('never truncates the suffix and never leaves a dangling underscore at a cut', () => {
    const words = Array.from({ length: 120 }, (_, i) => `w${i}`).join(' ');
    for (const [journey, step] of [
      [words, words],
      [words, 'x'],
      ['x', words],
      ['ab '.repeat(200), 'cd '.repeat(200)],
    ] as const) {
      const key = makeStepKey(journey, step, 'zz9z9z');
      expect(key.length).toBeLessThanOrEqual(255);
      expect(key.endsWith('_zz9z9z')).toBe(true);
      expect(key).toMatch(STEP_KEY_PATTERN);
      // Exactly one "__" separator: names never end (or start) with "_".
      expect(key.slice('j_o_'.length).split('__')).toHaveLength(2);
      expect(key).not.toMatch(/___/);
    }
  });

  it('drops an underscore left at the end of a cut name, giving the room to the step', () => {
    const journey = `${'a'.repeat(120)} ${'b'.repeat(200)}`;
    const step = `${'c'.repeat(121)} ${'d'.repeat(200)}`;
    // The journey is cut to 121 characters ("a…a_"), then loses its trailing "_"; the step gets 122.
    expect(makeStepKey(journey, step, 'abc123')).toBe(`j_o_${'a'.repeat(120)}__${'c'.repeat(121)}_abc123`);
  });

  it('produces keys within the limit for long non-ASCII names', () => {
    const key = makeStepKey('Événement spécial '.repeat(40), 'Étape numéro '.repeat(40), 'q1w2e3');
    expect(key.length).toBeLessThanOrEqual(255);
    expect(key).toMatch(STEP_KEY_PATTERN);
    expect(key.endsWith('_q1w2e3')).toBe(true);
  });
});

describe('STEP_KEY_PATTERN', () => {
  it('accepts step keys and rejects other shapes', () => {
    expect(STEP_KEY_PATTERN.test('j_o_first_purchase__opened_email_dje83h')).toBe(true);
    expect(STEP_KEY_PATTERN.test('j_o_first_purchase__opened_email_DJE83H')).toBe(false);
    expect(STEP_KEY_PATTERN.test('j_o_first_purchase_opened_email_dje83h')).toBe(false);
    expect(STEP_KEY_PATTERN.test('first_purchase__opened_email_dje83h')).toBe(false);
  });
});
