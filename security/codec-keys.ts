import { createHmac } from 'node:crypto';
import type { SojournConfig } from '../config/env';
import { devKeyText, keyring, parseKey, parseOldKeys } from './keyring';
import { EncryptionCodec } from './payload-codec';
import { keyFromText } from './secret-box';

type CodecConfig = Pick<SojournConfig, 'dataDir' | 'codecKey' | 'oldCodecKeys' | 'codecToken'>;

/**
 * The payload codec every Temporal client and worker of this deployment shares: `SOJOURN_CODEC_KEY`
 * (production; every replica must have the same), else a random key kept in `<dataDir>/codec.key`.
 */
export function payloadCodecFor(config: CodecConfig): EncryptionCodec {
  const current = config.codecKey
    ? parseKey(config.codecKey, 'c1')
    : keyFromText('dev', devKeyText(config.dataDir, 'codec.key'));
  const old = parseOldKeys(config.oldCodecKeys, 'SOJOURN_OLD_CODEC_KEYS');
  return new EncryptionCodec(keyring(current, old, 'SOJOURN_CODEC_KEY / SOJOURN_OLD_CODEC_KEYS'));
}

/**
 * The token the Temporal UI sends in the codec endpoint's path (`/codec/t/<token>`): the UI cannot
 * send our API key (its "pass access token" option sends its own OIDC token, and only to https
 * endpoints), so the endpoint URL itself carries a capability that only decodes and encodes.
 * `SOJOURN_CODEC_TOKEN`, else derived from the codec key so that every process agrees without storage.
 */
export function codecTokenFor(config: CodecConfig): string {
  if (config.codecToken) return config.codecToken;
  const key = config.codecKey
    ? parseKey(config.codecKey, 'c1').key
    : keyFromText('dev', devKeyText(config.dataDir, 'codec.key')).key;
  return createHmac('sha256', key).update('sojourn codec endpoint token').digest('base64url').slice(0, 32);
}
