import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Registered on the dev server at start (SPEC §6); operators filter runs by them in the Web UI. */
export const JourneyIdKey = defineSearchAttributeKey('JourneyId', SearchAttributeType.KEYWORD);
export const JourneyVersionKey = defineSearchAttributeKey('JourneyVersion', SearchAttributeType.INT);
export const UserIdKey = defineSearchAttributeKey('UserId', SearchAttributeType.KEYWORD);
export const StepIdKey = defineSearchAttributeKey('StepId', SearchAttributeType.KEYWORD);
