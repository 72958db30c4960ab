import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { SojournConfig } from '../config/env';
import { createSecretBox, keyFromText, type SecretBox } from './secret-box';

/**
 * The secret box for destination credentials: `SOJOURN_SECRET_KEY` when set (production), else a
 * random key created once under the data dir, so a dev stack works with nothing configured.
 */
export function secretBoxFor(config: Pick<SojournConfig, 'secretKey' | 'dataDir'>): SecretBox {
  if (config.secretKey) return createSecretBox([keyFromText('k1', config.secretKey)]);
  const file = path.join(config.dataDir, 'secret.key');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(config.dataDir, { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  }
  return createSecretBox([keyFromText('dev', fs.readFileSync(file, 'utf8').trim())]);
}
