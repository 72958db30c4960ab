import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { SecretKey } from './secret-box';

/**
 * Encrypts every workflow and activity payload (inputs, results, signals, queries, memo, failure
 * details) before it reaches the Temporal server, so the server's database and anyone reading
 * histories see ciphertext (SPEC §6). Search attributes are not payloads that pass through codecs,
 * and workflow ids are not payloads at all: both stay readable so operators can find runs.
 *
 * Wire format: metadata `encoding: binary/encrypted` and `encryption-key-id: <id>`; data is
 * IV (12 bytes) ‖ AES-256-GCM ciphertext of the whole original Payload message ‖ tag (16 bytes).
 * Encrypting the whole message (metadata included) hides even which converter produced it.
 */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const text = new TextEncoder();
const untext = new TextDecoder();
const PayloadMessage = temporal.api.common.v1.Payload;

export class EncryptionCodec implements PayloadCodec {
  private readonly current: SecretKey;
  private readonly byId: Map<string, Buffer>;

  /** `keys[0]` encrypts; every key decrypts what was written with its id (rotation). */
  constructor(keys: readonly SecretKey[]) {
    const current = keys[0];
    if (!current) throw new Error('the payload codec needs at least one key');
    this.current = current;
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  get keyId(): string {
    return this.current.id;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.encryptOne(payload));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.decryptOne(payload));
  }

  private encryptOne(payload: Payload): Payload {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    const plain = PayloadMessage.encode(payload).finish();
    const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: {
        encoding: text.encode(ENCRYPTED_ENCODING),
        [KEY_ID_METADATA]: text.encode(this.current.id),
      },
      data,
    };
  }

  private decryptOne(payload: Payload): Payload {
    const encoding = payload.metadata?.encoding;
    // Payloads written before the codec existed (or by other clients) pass through unchanged.
    if (!encoding || untext.decode(encoding) !== ENCRYPTED_ENCODING) return payload;
    const idBytes = payload.metadata?.[KEY_ID_METADATA];
    const id = idBytes ? untext.decode(idBytes) : '';
    const key = this.byId.get(id);
    if (!key)
      throw new Error(
        `payload codec: key "${id}" is not configured (SOJOURN_CODEC_KEY / SOJOURN_OLD_CODEC_KEYS)`,
      );
    const data = Buffer.from(payload.data ?? new Uint8Array());
    if (data.length < IV_BYTES + TAG_BYTES) throw new Error('payload codec: encrypted payload is truncated');
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    const plain = Buffer.concat([
      decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
      decipher.final(),
    ]);
    return PayloadMessage.decode(plain);
  }
}
