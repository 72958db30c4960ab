/**
 * The identifiers a Segment call carries (SPEC §3 ID Sync): user_id, anonymous_id, email, phone,
 * ios.idfa / android.idfa, and custom ones from context.externalIds. Pure.
 */
export interface CallIdentity {
  userId?: string;
  anonymousId?: string;
  traits?: Record<string, unknown>;
  context?: Record<string, unknown>;
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

export function identifiersOf(call: CallIdentity): Array<{ type: string; value: string }> {
  const found: Array<{ type: string; value: string }> = [];
  const add = (type: string, value: unknown): void => {
    const text = asString(value);
    if (text && !found.some((f) => f.type === type && f.value === text)) found.push({ type, value: text });
  };
  add('user_id', call.userId);
  add('anonymous_id', call.anonymousId);
  const contextTraits = (call.context?.traits ?? {}) as Record<string, unknown>;
  add('email', call.traits?.email ?? contextTraits.email);
  add('phone', call.traits?.phone ?? contextTraits.phone);
  const device = (call.context?.device ?? {}) as Record<string, unknown>;
  const deviceType = asString(device.type)?.toLowerCase();
  if (deviceType === 'ios' || deviceType === 'android') add(`${deviceType}.idfa`, device.advertisingId);
  const externalIds = call.context?.externalIds;
  if (Array.isArray(externalIds)) {
    for (const external of externalIds as Array<Record<string, unknown>>) {
      const type = asString(external?.type);
      if (type && /^[A-Za-z0-9_.-]{1,64}$/.test(type)) add(type, external.id);
    }
  }
  return found;
}
