import type { SojournConfig } from '../config/env';
import { devKeyText, keyring, parseKey, parseOldKeys } from './keyring';
import { createSecretBox, keyFromText, type SecretBox } from './secret-box';

/**
 * The secret box for destination credentials: `SOJOURN_SECRET_KEY` when set (production), else a
 * random key created once under the data dir, so a dev stack works with nothing configured.
 * `SOJOURN_OLD_SECRET_KEYS` keeps earlier keys usable for decryption during a rotation; new data is
 * always sealed with the current key (see `scripts/keys.ts reseal-secrets`).
 */
export function secretBoxFor(
  config: Pick<SojournConfig, 'secretKey' | 'dataDir'> & Partial<Pick<SojournConfig, 'oldSecretKeys'>>,
): SecretBox {
  const current = config.secretKey
    ? parseKey(config.secretKey, 'k1')
    : keyFromText('dev', devKeyText(config.dataDir, 'secret.key'));
  const old = parseOldKeys(config.oldSecretKeys, 'SOJOURN_OLD_SECRET_KEYS');
  return createSecretBox(keyring(current, old, 'SOJOURN_SECRET_KEY / SOJOURN_OLD_SECRET_KEYS'));
}
